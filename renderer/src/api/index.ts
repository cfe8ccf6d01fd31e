import type {
  CallcenterApi,
  EventName,
  EventPayload,
  MethodArgs,
  MethodName,
  MethodRet,
  ServiceName,
} from '../../../shared/ipc/contract'
import type { AppErrorInfo, AppErrorKind } from '../../../shared/ipc/errors'

/**
 * The one module that touches `window.callcenter`. Its client has the contract's shape, but each
 * method answers the value itself and throws a CallcenterError on failure, so stores read like
 * ordinary async code.
 */

export class CallcenterError extends Error {
  readonly kind: AppErrorKind
  readonly code: string | number | undefined
  readonly field: string | undefined
  readonly params: Record<string, string | number> | undefined
  readonly system: AppErrorInfo['system']

  constructor(info: AppErrorInfo) {
    super(info.message)
    this.name = 'CallcenterError'
    this.kind = info.kind
    this.code = info.code
    this.field = info.field
    this.params = info.params
    this.system = info.system
  }
}

export type Client = {
  [S in ServiceName]: {
    [M in MethodName<S>]: (...args: MethodArgs<S, M>) => Promise<MethodRet<S, M>>
  }
} & {
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void
}

type ErrorListener = (error: CallcenterError) => void
const errorListeners = new Set<ErrorListener>()

/** Every failed call is reported here too: the session store turns 'not-logged-in' into a screen. */
export function onApiError(listener: ErrorListener): () => void {
  errorListeners.add(listener)
  return () => errorListeners.delete(listener)
}

export function createClient(raw: CallcenterApi): Client {
  const client: Record<string, unknown> = {}
  for (const [service, group] of Object.entries(raw)) {
    if (typeof group !== 'object' || group === null) continue
    const wrapped: Record<string, unknown> = {}
    for (const [method, fn] of Object.entries(group as Record<string, unknown>)) {
      if (typeof fn !== 'function') continue
      wrapped[method] = async (...args: unknown[]) => {
        let result: { ok: boolean; value?: unknown; error?: AppErrorInfo }
        try {
          result = await (fn as (...a: unknown[]) => Promise<typeof result>)(...args)
        } catch {
          // the carrier itself failed (bridge socket closed): as good as an unreachable main
          result = { ok: false, error: { kind: 'network', message: '与本机服务的连接已断开' } }
        }
        if (result.ok) return result.value
        const error = new CallcenterError(
          result.error ?? { kind: 'internal', message: '内部错误，请稍后重试' },
        )
        for (const listener of errorListeners) listener(error)
        throw error
      }
    }
    client[service] = wrapped
  }
  client.on = (event: EventName, listener: (payload: never) => void) =>
    raw.on(event, listener as never)
  return client as Client
}

let current: Client | undefined

/** The app's client; built from the preload's global on first use. */
export function useApi(): Client {
  current ??= createClient(window.callcenter)
  return current
}

/** Tests put a fake `window.callcenter` in place (or null to go back to the real one). */
export function setApi(raw: CallcenterApi | null): void {
  current = raw ? createClient(raw) : undefined
}
