import { z } from 'zod'
import { invalidRequestError, remoteBusinessError, shapeError } from '../errors'
import { nodeHttpTransport, parseJsonResponse, type HttpTransport } from '../http/transport'

/**
 * The customer data platform's tag lookup (cdp-customer-tags.md): GET {path}?project_id=…
 * &user_phone=…[&oneid=…] with a fixed Host header, because the service sits behind an ingress
 * gateway that routes on Host rather than on the address the app connects to.
 *
 * Choices where the document is silent:
 * - success is error_code 0; "no tags for this number" is error_code 0 with data null (the sandbox
 *   answers that way); an absent data, {} or [] is read the same way, as no tags.
 * - any other error_code is the platform's own error (kind 'remote', code = error_code); its text
 *   is taken from error_msg / msg / message when the platform sends one.
 * - the table types several fields as int while the example sends every value as a string: both
 *   are accepted; text fields come back as strings ('' when absent), id as a number.
 */

export const CDP_DEFAULT_PATH = '/9afc'
/** The Host value from the document; configurable because each environment has its own. */
export const CDP_DEFAULT_HOST_HEADER = '3322-2.ipaas.myqcloud.com'
const DEFAULT_TIMEOUT_MS = 8_000

export interface CdpClientOptions {
  /** scheme, host and port, e.g. http://127.0.0.1:PORT */
  baseUrl: string
  path?: string
  hostHeader?: string
  transport?: HttpTransport
  timeoutMs?: number
}

export interface CdpTagQuery {
  projectId: string | number
  /** 11-digit mainland mobile */
  phone: string
  oneId?: string
}

export interface CdpCallOptions {
  signal?: AbortSignal
  timeoutMs?: number
}

/** Text that may arrive as a string, a number or nothing; always a string for the app. */
const text = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v) => (v === null || v === undefined ? '' : String(v).trim()))

const intLike = z.union([
  z.number().int(),
  z
    .string()
    .trim()
    .regex(/^-?\d+$/, '应为整数')
    .transform(Number),
])

export const cdpTagsSchema = z.object({
  id: intLike
    .nullish()
    .transform((v) => v ?? undefined)
    .optional(),
  one_id: text,
  uid: text,
  user_name: text,
  user_phone: text,
  project_id: text,
  project_name: text,
  /** visited in the last 3 months */
  project_name_quarter: text,
  /** visited in the last 6 months */
  project_name_half: text,
  opinions_area: text,
  opinions_project: text,
  /** in the example, not in the table */
  valid_wake_clue: text,
  valid_wake_pub_clue: text,
  cloud_ad: text,
  cloud_meet: text,
  cloud_counsel: text,
  other_project_owner: text,
  cust_interval_action: text,
})
export type CdpTags = z.output<typeof cdpTagsSchema>

const messageText = z.string().nullish().catch(undefined)

const envelopeSchema = z.object({
  error_code: intLike,
  data: z.unknown().optional(),
  error_msg: messageText,
  msg: messageText,
  message: messageText,
})

const PHONE_RE = /^1\d{10}$/
/** project ids and one_ids are opaque tokens; anything else is a caller bug, not a query */
const TOKEN_RE = /^[A-Za-z0-9_-]{1,64}$/

export class CdpClient {
  private readonly baseUrl: string
  private readonly path: string
  private readonly hostHeader: string
  private readonly transport: HttpTransport
  private readonly timeoutMs: number

  constructor(opts: CdpClientOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '')
    this.path = opts.path ?? CDP_DEFAULT_PATH
    this.hostHeader = opts.hostHeader ?? CDP_DEFAULT_HOST_HEADER
    this.transport = opts.transport ?? nodeHttpTransport
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS
  }

  /** The tags for a number, or null when the platform has none. */
  async getTags(query: CdpTagQuery, opts: CdpCallOptions = {}): Promise<CdpTags | null> {
    const params = buildParams(query)
    const url = `${this.baseUrl}${this.path}?${params.toString()}`
    const res = await this.transport('cdp', {
      method: 'GET',
      url,
      headers: { host: this.hostHeader, accept: 'application/json' },
      timeoutMs: opts.timeoutMs ?? this.timeoutMs,
      ...(opts.signal ? { signal: opts.signal } : {}),
    })
    const env = parseJsonResponse('cdp', res, envelopeSchema)
    if (env.error_code !== 0) {
      const detail = env.error_msg ?? env.msg ?? env.message ?? `错误码 ${env.error_code}`
      throw remoteBusinessError('cdp', `客户数据中台：${detail}`, env.error_code)
    }
    if (isEmptyData(env.data)) return null
    const parsed = cdpTagsSchema.safeParse(env.data)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      const field = ['data', ...(issue?.path.map(String) ?? [])].join('.')
      throw shapeError('cdp', field, issue?.message ?? '')
    }
    const tags = parsed.data
    // An answer about another number must never be shown as this caller's profile.
    const wanted = params.get('user_phone') ?? ''
    if (tags.user_phone !== '' && tags.user_phone.replace(/\D/g, '').slice(-11) !== wanted) {
      throw shapeError('cdp', 'data.user_phone', '与查询的手机号不一致')
    }
    return tags
  }
}

function buildParams(query: CdpTagQuery): URLSearchParams {
  const projectId = String(query.projectId ?? '').trim()
  if (!TOKEN_RE.test(projectId)) {
    throw invalidRequestError('cdp', 'project_id', '项目 id 不能为空，且只能包含字母、数字、_ 和 -')
  }
  const phone = String(query.phone ?? '').trim()
  if (!PHONE_RE.test(phone)) {
    throw invalidRequestError('cdp', 'user_phone', '手机号应为 1 开头的 11 位数字')
  }
  const params = new URLSearchParams({ project_id: projectId, user_phone: phone })
  const oneId = query.oneId?.trim()
  if (oneId !== undefined && oneId !== '') {
    if (!TOKEN_RE.test(oneId)) {
      throw invalidRequestError('cdp', 'oneid', 'one_id 只能包含字母、数字、_ 和 -')
    }
    params.set('oneid', oneId)
  }
  return params
}

function isEmptyData(data: unknown): boolean {
  if (data === undefined || data === null) return true
  if (Array.isArray(data)) return data.length === 0
  return typeof data === 'object' && Object.keys(data).length === 0
}

export interface CdpDisplayTag {
  /** the CDP field the tag comes from */
  key: keyof CdpTags
  label: string
  value: string
}

/** Display order: what the agent needs first when the call connects. */
const DISPLAY_FIELDS: readonly (readonly [keyof CdpTags, string])[] = [
  ['project_name_quarter', '近3个月到访楼盘'],
  ['project_name_half', '近6个月到访楼盘'],
  ['opinions_area', '意向区域'],
  ['opinions_project', '意向楼盘'],
  ['valid_wake_pub_clue', '可唤醒公客'],
  ['valid_wake_clue', '可唤醒线索'],
  ['cloud_ad', '浏览广告'],
  ['cloud_meet', '预约时间'],
  ['cloud_counsel', '是否咨询'],
  ['other_project_owner', '其他楼盘业主'],
  ['cust_interval_action', '跟进间隙客户行为'],
]

/** The tags as label/value pairs for the agent, empty values left out. */
export function cdpDisplayTags(tags: CdpTags): CdpDisplayTag[] {
  const out: CdpDisplayTag[] = []
  for (const [key, label] of DISPLAY_FIELDS) {
    const value = tags[key]
    if (typeof value === 'string' && value.trim() !== '') out.push({ key, label, value })
  }
  return out
}
