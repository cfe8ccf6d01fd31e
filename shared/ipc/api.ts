import { contractEventNames, contractMethods, eventChannelOf } from './channels'
import type { CallcenterApi, EventName } from './contract'
import type { IpcResult } from './errors'

export type Invoke = (channel: string, args: unknown[]) => Promise<unknown>
export type Subscribe = (channel: string, listener: (payload: unknown) => void) => () => void

/**
 * Builds the renderer's global from the contract over any carrier: Electron's ipcRenderer in the
 * preload, or the web bridge's WebSocket in development. Only contract channels can be reached;
 * there is no generic invoke.
 */
export function buildCallcenterApi(invoke: Invoke, subscribe: Subscribe): CallcenterApi {
  const api: Record<string, unknown> = {}
  for (const { service, method, channel } of contractMethods()) {
    const group = (api[service] ??= {}) as Record<string, unknown>
    group[method] = (...args: unknown[]) => invoke(channel, args) as Promise<IpcResult<unknown>>
  }
  const events: readonly string[] = contractEventNames
  api.on = (event: EventName, listener: (payload: unknown) => void): (() => void) => {
    if (!events.includes(event)) throw new Error(`unknown event ${String(event)}`)
    return subscribe(eventChannelOf(event), listener)
  }
  for (const group of Object.values(api)) if (typeof group === 'object') Object.freeze(group)
  return Object.freeze(api) as unknown as CallcenterApi
}
