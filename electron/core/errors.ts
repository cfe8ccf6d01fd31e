import {
  remoteSystemNames,
  type RemoteErrorInfo,
  type RemoteErrorKind,
  type RemoteSystem,
} from '../../shared/remote-error'

/**
 * The one error type every remote client throws. Nothing else escapes a client: a failure is
 * always one of the kinds of RemoteErrorKind, with Chinese text for the agent.
 */
export class RemoteError extends Error implements RemoteErrorInfo {
  readonly kind: RemoteErrorKind
  readonly system: RemoteSystem
  readonly code?: number | string
  readonly field?: string
  readonly status?: number
  readonly maybeDelivered?: boolean

  constructor(info: RemoteErrorInfo, options?: { cause?: unknown }) {
    super(info.message, options)
    this.name = 'RemoteError'
    this.kind = info.kind
    this.system = info.system
    if (info.code !== undefined) this.code = info.code
    if (info.field !== undefined) this.field = info.field
    if (info.status !== undefined) this.status = info.status
    if (info.maybeDelivered !== undefined) this.maybeDelivered = info.maybeDelivered
  }

  toJSON(): RemoteErrorInfo {
    const out: RemoteErrorInfo = { kind: this.kind, system: this.system, message: this.message }
    if (this.code !== undefined) out.code = this.code
    if (this.field !== undefined) out.field = this.field
    if (this.status !== undefined) out.status = this.status
    if (this.maybeDelivered !== undefined) out.maybeDelivered = this.maybeDelivered
    return out
  }
}

export function isRemoteError(e: unknown): e is RemoteError {
  return e instanceof RemoteError
}

export type NetworkCause = 'timeout' | 'aborted' | 'refused' | 'reset' | 'dns' | 'other'

const networkText: Record<NetworkCause, string> = {
  timeout: '请求超时',
  aborted: '请求已取消',
  refused: '无法连接服务器',
  reset: '连接被中断',
  dns: '找不到服务器地址',
  other: '网络错误',
}

export function networkError(
  system: RemoteSystem,
  cause: NetworkCause,
  maybeDelivered: boolean,
  original?: unknown,
): RemoteError {
  return new RemoteError(
    {
      kind: 'network',
      system,
      code: cause,
      maybeDelivered,
      message: `${remoteSystemNames[system]}：${networkText[cause]}`,
    },
    { cause: original },
  )
}

export function httpStatusError(system: RemoteSystem, status: number): RemoteError {
  return new RemoteError({
    kind: 'http',
    system,
    status,
    message: `${remoteSystemNames[system]}返回了 HTTP ${status}`,
  })
}

/** RemoteError.code of a not-json answer that is an HTML page. */
export const NOT_JSON_HTML_PAGE = 'html-page'

export function notJsonError(system: RemoteSystem, snippet: string): RemoteError {
  const looksHtml = /^\s*</.test(snippet)
  return new RemoteError({
    kind: 'not-json',
    system,
    // an HTML page is the server's (or a gateway's) error page: the request was not processed,
    // unlike a JSON answer cut short, which came from a server that did the work
    ...(looksHtml ? { code: NOT_JSON_HTML_PAGE } : {}),
    message: looksHtml
      ? `${remoteSystemNames[system]}返回了网页而不是数据（可能是错误页）`
      : `${remoteSystemNames[system]}返回的数据不完整或不是 JSON`,
  })
}

export function shapeError(system: RemoteSystem, field: string, detail: string): RemoteError {
  return new RemoteError({
    kind: 'shape',
    system,
    field,
    message: `${remoteSystemNames[system]}返回的数据格式不符：${field || '(根)'} ${detail}`,
  })
}

export function invalidRequestError(
  system: RemoteSystem,
  field: string,
  message: string,
  code?: number,
): RemoteError {
  const info: RemoteErrorInfo = { kind: 'invalid-request', system, field, message }
  if (code !== undefined) info.code = code
  return new RemoteError(info)
}

export function remoteBusinessError(
  system: RemoteSystem,
  message: string,
  code?: number | string,
): RemoteError {
  const info: RemoteErrorInfo = { kind: 'remote', system, message }
  if (code !== undefined) info.code = code
  return new RemoteError(info)
}
