/**
 * The serialisable shape of every failure a remote-system client can report. It crosses IPC
 * unchanged, so the renderer can show `message` (Chinese, for the agent) and branch on `kind`.
 */
export const remoteSystems = ['weixin', 'datacenter', 'cdp', 'rabbitpre', 'miaosuan'] as const
export type RemoteSystem = (typeof remoteSystems)[number]

export const remoteSystemNames: Record<RemoteSystem, string> = {
  weixin: '置业外呼服务',
  datacenter: '数据中心',
  cdp: '客户数据中台',
  rabbitpre: '兔展',
  miaosuan: '秒算',
}

export type RemoteErrorKind =
  /** connection refused/reset, DNS, timeout or abort: the request may or may not have arrived */
  | 'network'
  /** an HTTP status other than 200 */
  | 'http'
  /** a body that is not JSON (an HTML error page, truncated JSON) */
  | 'not-json'
  /** JSON that does not match the documented shape */
  | 'shape'
  /** a response whose signature does not verify (Data Center 1009) */
  | 'signature'
  /** the remote system's own error (errmsg, errcode, code) */
  | 'remote'
  /** rejected locally before sending: a missing or malformed field */
  | 'invalid-request'
  /** the client-side or server-side rate limit */
  | 'rate-limited'

export interface RemoteErrorInfo {
  kind: RemoteErrorKind
  system: RemoteSystem
  /** Chinese text for the agent */
  message: string
  /** the remote code where there is one (Data Center §5 code, CDP error_code, …) */
  code?: number | string
  /** the field a request or response check failed on */
  field?: string
  /** HTTP status for kind 'http' */
  status?: number
  /** for 'network': whether the request may have reached the server (answer lost) */
  maybeDelivered?: boolean
}
