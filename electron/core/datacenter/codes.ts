import { remoteSystemNames } from '../../../shared/remote-error'
import { RemoteError } from '../errors'

/**
 * The Data Center's error codes (§5), with their Chinese text. 1001 and 1002 carry the field in
 * brackets (`缺少必须参数[mobile]`). The 3xxx and 5xxx rows are empty in the document; they get a
 * generic text for their range so the agent still sees what kind of failure it was.
 */
export const DATACENTER_CODES = {
  0: '成功',
  [-1]: '未知错误',
  1001: '缺少必须参数',
  1002: '参数类型错误',
  1003: '不支持的请求方式',
  1004: '请求数据格式错误',
  1005: '系统处理失败',
  1006: '请求数据过大',
  1007: '请求数据缺失',
  1008: '不支持的接口请求',
  1009: '接入验证失败',
  1010: '接口权限验证失败',
  1011: '未知业务应用',
  1012: '查询的记录不存在',
  1013: '消息序列号重复',
  1014: '响应返回数据格式错误',
  1015: '消息序列号格式错误',
  9001: '非法身份证号码',
  9002: '非法手机号码',
  9003: '销售机会编号不存在',
  2001: '客户不存在',
  2002: '客户已经存在',
  2003: '手机号码已被占用',
  2004: '证件号码已被占用',
  3001: '经纪人业务错误',
  3002: '经纪人业务错误',
  3003: '经纪人业务错误',
  4001: '项目不存在',
  4002: '置业顾问不存在',
  4003: '置业顾问已经存在',
  4004: '代理公司已经存在',
  4005: '代理公司不存在',
  5001: '客户行为服务错误',
  5002: '客户行为服务错误',
  5003: '客户行为服务错误',
  6001: '消息推送失败',
} as const satisfies Record<number, string>

export type DataCenterCode = keyof typeof DATACENTER_CODES

export const DC_SUCCESS = 0
export const DC_MISSING_FIELD = 1001
export const DC_BAD_FIELD = 1002
export const DC_BAD_FORMAT = 1004
export const DC_AUTH_FAILED = 1009
export const DC_DUPLICATE_SID = 1013
export const DC_BAD_SID = 1015

/** Codes whose document text has a `[%s]` slot for the field. */
const FIELD_CODES = new Set<number>([DC_MISSING_FIELD, DC_BAD_FIELD])

export function isKnownDataCenterCode(code: number): code is DataCenterCode {
  return Object.hasOwn(DATACENTER_CODES, code)
}

/** The §5 text for a code (with `[field]` for 1001/1002); a fallback for codes not in §5. */
export function dataCenterCodeText(code: number, field?: string): string {
  if (!isKnownDataCenterCode(code)) {
    if (code >= 3000 && code < 4000) return DATACENTER_CODES[3001]
    if (code >= 5000 && code < 6000) return DATACENTER_CODES[5001]
    return `${DATACENTER_CODES[-1]}（错误码 ${code}）`
  }
  const text: string = DATACENTER_CODES[code]
  return FIELD_CODES.has(code) ? `${text}[${field ?? ''}]` : text
}

/** Pulls the field out of a server message like `缺少必须参数[mobile]`. */
export function fieldFromErrmsg(errmsg: string): string | undefined {
  const m = /\[([^\]]*)\]\s*$/.exec(errmsg.trim())
  return m?.[1] ? m[1] : undefined
}

export interface DataCenterErrorOptions {
  /** the field a 1001/1002 is about */
  field?: string
  /** the server's errmsg; kept where it says more than the table */
  errmsg?: string
  /** 'invalid-request' for a local check before sending; the server's answer is 'remote' */
  kind?: 'remote' | 'invalid-request'
  cause?: unknown
}

const SYSTEM_PREFIX = `${remoteSystemNames.datacenter}：`

/**
 * The typed error for a §5 code: system 'datacenter', the code, Chinese text for the agent. 1009
 * is a signature failure whichever side found it, so it is kind 'signature'.
 */
export function dataCenterError(code: number, opts: DataCenterErrorOptions = {}): RemoteError {
  const errmsg = opts.errmsg?.trim() ?? ''
  const field =
    opts.field ?? (FIELD_CODES.has(code) && errmsg ? fieldFromErrmsg(errmsg) : undefined)
  const base = dataCenterCodeText(code, field)
  // Keep the server's own words when they add something (a reason, or the only text for codes
  // the document leaves empty); do not repeat them when they are the table's text.
  let detail = base
  if (errmsg && !base.includes(errmsg))
    detail = errmsg.includes(base) ? errmsg : `${base}：${errmsg}`
  const kind = code === DC_AUTH_FAILED ? 'signature' : (opts.kind ?? 'remote')
  return new RemoteError(
    {
      kind,
      system: 'datacenter',
      code,
      message: SYSTEM_PREFIX + detail,
      ...(field !== undefined ? { field } : {}),
    },
    opts.cause === undefined ? undefined : { cause: opts.cause },
  )
}

/** A response (or, in the CLI, an envelope) whose authCode, dataCode or appid does not verify. */
export function signatureError(detail?: string, cause?: unknown): RemoteError {
  const e = dataCenterError(DC_AUTH_FAILED, { cause })
  if (!detail) return e
  return new RemoteError(
    { ...e.toJSON(), message: `${e.message}（${detail}）` },
    cause === undefined ? undefined : { cause },
  )
}

/** A local request check failure: 1001 missing, 1002 wrong type or too long. */
export function invalidFieldError(code: 1001 | 1002, field: string, why?: string): RemoteError {
  const e = dataCenterError(code, { field, kind: 'invalid-request' })
  if (!why) return e
  return new RemoteError({ ...e.toJSON(), message: `${e.message}：${why}` })
}

/** The outbox's question: did the Data Center say it has already seen this SID? */
export function isDuplicateSid(err: unknown): boolean {
  return (
    err instanceof RemoteError &&
    err.system === 'datacenter' &&
    err.kind === 'remote' &&
    err.code === DC_DUPLICATE_SID
  )
}
