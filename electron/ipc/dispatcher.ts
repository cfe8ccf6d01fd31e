import { z } from 'zod'
import { contractMethods } from '../../shared/ipc/channels'
import { ipcContract, type ServiceImpls, type ServiceName } from '../../shared/ipc/contract'
import type { AppErrorInfo, IpcResult } from '../../shared/ipc/errors'
import { RemoteError } from '../core/errors'
import { AppError } from '../core/app-error'

// Validation messages reach the agent: Chinese, whatever the OS locale.
z.config(z.locales.zhCN())

export interface CallContext {
  /** URL of the frame that sent the call (Electron: event.senderFrame.url; bridge: Origin) */
  senderUrl: string | undefined
}

export interface Dispatcher {
  readonly channels: readonly string[]
  dispatch(channel: string, args: unknown, ctx: CallContext): Promise<IpcResult<unknown>>
}

export interface DispatcherOptions {
  /** whether a frame URL is the app's own page */
  isAllowedSender(url: string | undefined): boolean
  /** where internal failures go (never with argument values: they may carry a password) */
  logError(message: string, error: unknown): void
}

interface Route {
  service: ServiceName
  method: string
  args: z.ZodType
  ret: z.ZodType
}

/**
 * The one door between the renderer and the services, independent of Electron: main's ipcMain,
 * the web bridge and the in-memory test pair all call `dispatch`. It never throws.
 */
export function createDispatcher(services: ServiceImpls, opts: DispatcherOptions): Dispatcher {
  const routes = new Map<string, Route>()
  for (const { service, method, channel } of contractMethods()) {
    const spec = (ipcContract[service] as Record<string, { args: z.ZodType; ret: z.ZodType }>)[
      method
    ]
    if (!spec) continue
    routes.set(channel, { service, method, args: spec.args, ret: spec.ret })
  }

  async function dispatch(
    channel: string,
    args: unknown,
    ctx: CallContext,
  ): Promise<IpcResult<unknown>> {
    const route = typeof channel === 'string' ? routes.get(channel) : undefined
    if (!route) return fail({ kind: 'unknown-channel', message: '未知的请求通道' })
    if (!opts.isAllowedSender(ctx.senderUrl)) {
      return fail({ kind: 'forbidden', message: '请求来源不是本应用页面，已拒绝' })
    }
    const parsed = route.args.safeParse(args)
    if (!parsed.success) return fail(invalidArgs(parsed.error))
    const impl = (
      services[route.service] as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>
    )[route.method]
    if (typeof impl !== 'function') {
      return fail({ kind: 'internal', message: '该功能尚未提供' })
    }
    try {
      const value = await impl.apply(services[route.service], parsed.data as unknown[])
      // Answers go through the contract's schema too: unknown keys are stripped, so a field
      // that is not in the contract (a secret, an internal id) can never reach the renderer.
      const out = route.ret.safeParse(value === undefined ? null : value)
      if (!out.success) {
        opts.logError(`${channel}: answer does not match the contract`, out.error)
        return fail({ kind: 'internal', message: '内部错误：返回数据不符合约定' })
      }
      return { ok: true, value: out.data }
    } catch (e) {
      return fail(toErrorInfo(e, channel, opts))
    }
  }

  return { channels: [...routes.keys()], dispatch }
}

function fail(error: AppErrorInfo): IpcResult<never> {
  return { ok: false, error }
}

/**
 * The most of a caller's input a validation error echoes. A record key or value is part of the
 * issue's path (and a custom message may quote the input): a 10 MiB key must not come back as a
 * 20 MiB error.
 */
export const MAX_ECHO = 200

function clip(s: string, max = MAX_ECHO): string {
  return s.length <= max ? s : `${s.slice(0, max)}…（已截断，共 ${s.length} 个字符）`
}

function invalidArgs(error: z.ZodError): AppErrorInfo {
  const issue = error.issues[0]
  // path[0] is the argument's position; the field is what follows
  const field = issue
    ? clip(
        issue.path
          .slice(1)
          .map((p) => clip(String(p), 64))
          .join('.'),
      )
    : ''
  const text = clip(issue?.message ?? '参数无效')
  return {
    kind: 'invalid-args',
    field,
    message: field ? `参数 ${field} 无效：${text}` : `参数无效：${text}`,
  }
}

export function toErrorInfo(e: unknown, channel: string, opts: DispatcherOptions): AppErrorInfo {
  if (e instanceof RemoteError) return e.toJSON()
  if (e instanceof AppError) return e.toJSON()
  opts.logError(`${channel} failed`, e)
  return { kind: 'internal', message: '内部错误，请稍后重试；如持续出现请导出诊断信息联系支持' }
}
