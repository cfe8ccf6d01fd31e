import { z } from 'zod'
import {
  RemoteError,
  httpStatusError,
  invalidRequestError,
  networkError,
  remoteBusinessError,
} from '../errors'
import {
  nodeHttpTransport,
  parseJsonText,
  validateShape,
  type HttpResponse,
  type HttpTransport,
} from '../http/transport'

/**
 * Rabbitpre audience detail (rabbitpre-audience-detail.md): POST {path} with JSON
 * {companyId, audienceUserIdList?, thirdIdList?, phoneList?, instanceAppid?}.
 *
 * Choices where the document is silent:
 * - success is code "200" (errorCode "SUCCESS", msg "ok"), as Rabbitpre's other open APIs answer;
 *   data null on success reads as no profiles.
 * - the limit ("允许一秒请求一次") is per account: the gate is shared by every client of the same
 *   server origin and companyId in the process. It runs one request at a time and starts each one
 *   at least RABBITPRE_MIN_INTERVAL_MS (+ a small margin for clock and network jitter) after the
 *   previous start. The margin keeps two starts 1000 ms apart from arriving 999 ms apart.
 * - the server's limit answer is recognised by its text (操作频繁), whatever its code, and by HTTP
 *   429; the client then backs off 1 s, 2 s, 4 s… and gives up with kind 'rate-limited'.
 * - any other code is the server's own error (kind 'remote', code = code).
 * - timeoutMs bounds each HTTP attempt; the wait for the account's turn is bounded by the signal.
 */

export const RABBITPRE_DEFAULT_PATH = '/api/audience/detail'
export const RABBITPRE_MIN_INTERVAL_MS = 1_000
export const RABBITPRE_RATE_LIMIT_TEXT = '操作频繁,请稍后重试'
const SPACING_MARGIN_MS = 20
const DEFAULT_MAX_ATTEMPTS = 4
const BACKOFF_BASE_MS = 1_000
const DEFAULT_TIMEOUT_MS = 8_000

/** Time as the limiter sees it; tests swap in a fake one. */
export interface Timer {
  now(): number
  /** resolves after ms, rejects when the signal aborts */
  sleep(ms: number, signal?: AbortSignal): Promise<void>
}

export const realTimer: Timer = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason)
        return
      }
      const onAbort = (): void => {
        clearTimeout(timer)
        reject(signal?.reason)
      }
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort)
        resolve()
      }, ms)
      signal?.addEventListener('abort', onAbort, { once: true })
    }),
}

/**
 * One account's request slot: tasks run one at a time in arrival order, and every request start
 * (begin) is spaced at least intervalMs after the previous one.
 */
export class RateGate {
  private busy = false
  private readonly waiters: (() => void)[] = []
  private lastStart = Number.NEGATIVE_INFINITY

  constructor(
    readonly timer: Timer,
    readonly intervalMs: number,
  ) {}

  async run<T>(task: (begin: () => Promise<void>) => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.acquire(signal)
    try {
      return await task(() => this.begin(signal))
    } finally {
      this.release()
    }
  }

  /** when the last request through this gate started (timer time), for tests */
  get lastStartAt(): number {
    return this.lastStart
  }

  private acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortedError(false))
    if (!this.busy) {
      this.busy = true
      return Promise.resolve()
    }
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        const i = this.waiters.indexOf(waiter)
        if (i >= 0) this.waiters.splice(i, 1)
        reject(abortedError(false))
      }
      const waiter = (): void => {
        signal?.removeEventListener('abort', onAbort)
        resolve()
      }
      this.waiters.push(waiter)
      signal?.addEventListener('abort', onAbort, { once: true })
    })
  }

  private release(): void {
    const next = this.waiters.shift()
    // The slot passes straight to the next waiter, so nobody can slip in between.
    if (next) next()
    else this.busy = false
  }

  private async begin(signal?: AbortSignal): Promise<void> {
    const wait = this.lastStart + this.intervalMs - this.timer.now()
    if (wait > 0) await sleepOrAbort(this.timer, wait, signal)
    this.lastStart = this.timer.now()
  }
}

/** Gates per time source, then per account: all real-time clients of one account share one. */
const gates = new WeakMap<Timer, Map<string, RateGate>>()

export function rabbitpreGate(
  baseUrl: string,
  companyId: string,
  timer: Timer = realTimer,
): RateGate {
  let byAccount = gates.get(timer)
  if (!byAccount) {
    byAccount = new Map()
    gates.set(timer, byAccount)
  }
  const key = `${accountOrigin(baseUrl)}|${companyId}`
  let gate = byAccount.get(key)
  if (!gate) {
    gate = new RateGate(timer, RABBITPRE_MIN_INTERVAL_MS + SPACING_MARGIN_MS)
    byAccount.set(key, gate)
  }
  return gate
}

function accountOrigin(baseUrl: string): string {
  try {
    return new URL(baseUrl).origin
  } catch {
    return baseUrl
  }
}

export interface RabbitpreClientOptions {
  baseUrl: string
  path?: string
  companyId: string
  instanceAppid?: string
  transport?: HttpTransport
  /** per HTTP attempt */
  timeoutMs?: number
  /** clock and sleep for the limiter and the back-off */
  timer?: Timer
  /** attempts when the server answers 操作频繁 (first try included); default 4 */
  maxAttempts?: number
}

export interface RabbitpreCallOptions {
  signal?: AbortSignal
  timeoutMs?: number
}

export interface RabbitpreQuery {
  phoneList?: string[]
  audienceUserIdList?: number[]
  thirdIdList?: string[]
}

// --- response schema ---

/** null reads as absent; absent keys stay absent in the output */
const absent = <T extends z.ZodType>(schema: T) =>
  schema
    .nullish()
    .transform((v) => v ?? undefined)
    .optional()
const str = absent(z.union([z.string(), z.number()]).transform(String))
const int = absent(
  z.union([
    z.number().int(),
    z
      .string()
      .trim()
      .regex(/^-?\d+$/, '应为整数')
      .transform(Number),
  ]),
)
/** Free-form lists (addressList, userType, …) whose items the document leaves open. */
const looseList = absent(z.array(z.unknown()))

/**
 * {"count":数量,"updateTime":时间戳}. The document's own example carries placeholder objects
 * ({"waring": …}) here, so anything without a numeric count reads as absent.
 */
const activityCount = z
  .unknown()
  .transform((v): { count: number; updateTime?: number } | undefined => {
    if (typeof v !== 'object' || v === null) return undefined
    const o = v as Record<string, unknown>
    const count = typeof o.count === 'string' ? Number(o.count) : o.count
    if (typeof count !== 'number' || !Number.isFinite(count)) return undefined
    const updateTime = typeof o.updateTime === 'string' ? Number(o.updateTime) : o.updateTime
    return typeof updateTime === 'number' && Number.isFinite(updateTime)
      ? { count, updateTime }
      : { count }
  })
  .optional()

const sexSchema = absent(
  z
    .union([z.number(), z.string().trim().regex(/^\d$/).transform(Number)])
    .pipe(z.union([z.literal(0), z.literal(1), z.literal(2)])),
)

export const rabbitpreProfileSchema = z.object({
  orgId: str,
  /** documented as a timestamp, sent as yyyy-MM-dd HH:mm:ss in the example */
  createTime: str,
  audienceUserId: z.union([
    z.number().int(),
    z.string().trim().regex(/^\d+$/, '应为整数').transform(Number),
  ]),
  openids: absent(
    z.array(
      z.looseObject({
        openid: str,
        unionid: str,
        fromTo: str,
        appid: str,
        platform: str,
        jcappid: int,
        identityId: str,
        identityType: str,
      }),
    ),
  ),
  unionid: str,
  mpAppid: str,
  phoneList: absent(z.array(z.looseObject({ phone: str, isVerify: str }))),
  realName: str,
  sex: sexSchema,
  avatar: str,
  wxNickname: str,
  wxCountry: str,
  wxProvince: str,
  wxCity: str,
  province: str,
  city: str,
  lbsProvince: str,
  lbsCity: str,
  addressList: looseList,
  birthday: int,
  remark: str,
  lastActiveTime: int,
  gzhInteractTime: int,
  markFlag: int,
  userType: looseList,
  payFeature: str,
  industry: looseList,
  subWechatList: looseList,
  sourceAudid: int,
  sourceCnl: int,
  sourceCnlName: str,
  sourceCnlDeptId: int,
  sourceCnlDeptName: str,
  sourceCnlType: str,
  sourceAppType: str,
  active: int,
  weekActive: activityCount,
  monthActive: activityCount,
  spread: int,
  weekSpread: activityCount,
  monthSpread: activityCount,
  phone: str,
  wechatList: absent(
    z.array(
      z.looseObject({
        appid: str,
        wechatName: str,
        gzhInteractTime: int,
        firstSubDate: int,
        firstSubSourceCnlType: str,
        firstSubSourceCnl: int,
        firstSubSourceCnlDeptId: int,
        firstSubSourceTaskId: int,
      }),
    ),
  ),
  thirdId: str,
})
export type RabbitpreProfile = z.output<typeof rabbitpreProfileSchema>

const codeSchema = z.union([z.string(), z.number()]).transform(String)
const envelopeSchema = z.object({
  code: codeSchema,
  errorCode: codeSchema.nullish(),
  msg: z.string().nullish().catch(undefined),
  data: z.unknown().optional(),
})
const successSchema = z.object({ data: absent(z.array(rabbitpreProfileSchema)) })

const SUCCESS_CODE = '200'
const PHONE_RE = /^1\d{10}$/

export class RabbitpreClient {
  private readonly url: string
  private readonly companyId: string
  private readonly instanceAppid: string | undefined
  private readonly transport: HttpTransport
  private readonly timeoutMs: number
  private readonly timer: Timer
  private readonly maxAttempts: number
  private readonly baseUrl: string

  constructor(opts: RabbitpreClientOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '')
    this.url = this.baseUrl + (opts.path ?? RABBITPRE_DEFAULT_PATH)
    this.companyId = (opts.companyId ?? '').trim()
    this.instanceAppid = opts.instanceAppid?.trim() || undefined
    this.transport = opts.transport ?? nodeHttpTransport
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS
    this.timer = opts.timer ?? realTimer
    this.maxAttempts = Math.max(1, Math.floor(opts.maxAttempts ?? DEFAULT_MAX_ATTEMPTS))
  }

  /** The gate this client's requests pass through (shared with the account's other clients). */
  get gate(): RateGate {
    return rabbitpreGate(this.baseUrl, this.companyId, this.timer)
  }

  /** Profiles for these mobiles (those Rabbitpre knows; possibly none). */
  getAudienceByPhones(
    phones: string[],
    opts: RabbitpreCallOptions = {},
  ): Promise<RabbitpreProfile[]> {
    return this.getAudience({ phoneList: phones }, opts)
  }

  async getAudience(
    query: RabbitpreQuery,
    opts: RabbitpreCallOptions = {},
  ): Promise<RabbitpreProfile[]> {
    const body = JSON.stringify(this.buildBody(query))
    return this.gate.run(async (begin) => {
      for (let attempt = 1; ; attempt++) {
        await begin()
        const res = await this.transport('rabbitpre', {
          method: 'POST',
          url: this.url,
          headers: { 'content-type': 'application/json; charset=utf-8' },
          body,
          // a lookup by phone: POST only because the list goes in the body
          idempotent: true,
          timeoutMs: opts.timeoutMs ?? this.timeoutMs,
          ...(opts.signal ? { signal: opts.signal } : {}),
        })
        const outcome = readResponse(res)
        if (outcome.kind === 'ok') return outcome.profiles
        if (attempt >= this.maxAttempts) {
          throw new RemoteError({
            kind: 'rate-limited',
            system: 'rabbitpre',
            code: outcome.code,
            message: `兔展：${RABBITPRE_RATE_LIMIT_TEXT}（已重试 ${attempt - 1} 次）`,
          })
        }
        await sleepOrAbort(this.timer, BACKOFF_BASE_MS * 2 ** (attempt - 1), opts.signal)
      }
    }, opts.signal)
  }

  private buildBody(query: RabbitpreQuery): Record<string, unknown> {
    if (this.companyId === '') {
      throw invalidRequestError('rabbitpre', 'companyId', '未配置兔展企业 id（companyId）')
    }
    const body: Record<string, unknown> = { companyId: this.companyId }
    const phoneList = query.phoneList ?? []
    phoneList.forEach((p, i) => {
      if (typeof p !== 'string' || !PHONE_RE.test(p.trim())) {
        throw invalidRequestError(
          'rabbitpre',
          `phoneList.${i}`,
          `第 ${i + 1} 个手机号应为 1 开头的 11 位数字`,
        )
      }
    })
    const audienceUserIdList = query.audienceUserIdList ?? []
    audienceUserIdList.forEach((id, i) => {
      if (!Number.isSafeInteger(id) || id <= 0) {
        throw invalidRequestError('rabbitpre', `audienceUserIdList.${i}`, '用户档案 id 应为正整数')
      }
    })
    const thirdIdList = query.thirdIdList ?? []
    thirdIdList.forEach((id, i) => {
      if (typeof id !== 'string' || id.trim() === '') {
        throw invalidRequestError('rabbitpre', `thirdIdList.${i}`, '第三方客户 id 不能为空')
      }
    })
    if (phoneList.length + audienceUserIdList.length + thirdIdList.length === 0) {
      throw invalidRequestError(
        'rabbitpre',
        'phoneList',
        'audienceUserIdList、thirdIdList、phoneList 不能同时为空',
      )
    }
    if (audienceUserIdList.length > 0) body.audienceUserIdList = audienceUserIdList
    if (thirdIdList.length > 0) body.thirdIdList = thirdIdList.map((id) => id.trim())
    if (phoneList.length > 0) body.phoneList = [...new Set(phoneList.map((p) => p.trim()))]
    if (this.instanceAppid !== undefined) body.instanceAppid = this.instanceAppid
    return body
  }
}

type Outcome = { kind: 'ok'; profiles: RabbitpreProfile[] } | { kind: 'rate-limited'; code: string }

function readResponse(res: HttpResponse): Outcome {
  if (res.status === 429) return { kind: 'rate-limited', code: '429' }
  if (res.status !== 200) throw httpStatusError('rabbitpre', res.status)
  const env = validateShape('rabbitpre', envelopeSchema, parseJsonText('rabbitpre', res.text))
  if (env.code !== SUCCESS_CODE) {
    if (env.msg?.includes('操作频繁')) return { kind: 'rate-limited', code: env.code }
    const detail = env.msg?.trim() || `错误码 ${env.errorCode ?? env.code}`
    throw remoteBusinessError('rabbitpre', `兔展：${detail}`, env.code)
  }
  return { kind: 'ok', profiles: validateShape('rabbitpre', successSchema, env).data ?? [] }
}

function abortedError(maybeDelivered: boolean): RemoteError {
  return networkError('rabbitpre', 'aborted', maybeDelivered)
}

async function sleepOrAbort(timer: Timer, ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) throw abortedError(false)
  try {
    await timer.sleep(ms, signal)
  } catch (e) {
    throw networkError('rabbitpre', 'aborted', false, e)
  }
}

// --- display ---

export interface RabbitpreDisplayItem {
  label: string
  value: string
}

const SEX_NAMES = { 0: '未知', 1: '男', 2: '女' } as const
const CHANNEL_TYPES: Record<string, string> = { EMPLOYEE: '员工', FIXED: '自有渠道' }

/** yyyy-MM-dd HH:mm in China time (UTC+8 all year), whatever the machine's zone. */
export function formatChinaTime(ms: number): string {
  const d = new Date(ms + 8 * 3_600_000)
  const p = (n: number): string => String(n).padStart(2, '0')
  return (
    `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ` +
    `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`
  )
}

function ago(ms: number, now: number): string {
  const days = Math.floor((now - ms) / 86_400_000)
  if (days < 0) return ''
  if (days === 0) return '（今天）'
  return `（${days} 天前）`
}

/** The profile as label/value lines for the agent; absent facts are left out. */
export function summariseRabbitpreProfile(
  p: RabbitpreProfile,
  now: number = Date.now(),
): RabbitpreDisplayItem[] {
  const out: RabbitpreDisplayItem[] = []
  const add = (label: string, value: string | undefined): void => {
    if (value !== undefined && value.trim() !== '') out.push({ label, value: value.trim() })
  }
  add('姓名', p.realName)
  add('昵称', p.wxNickname)
  if (p.sex !== undefined && p.sex !== 0) add('性别', SEX_NAMES[p.sex])
  // IP city is the freshest, then the WeChat profile's, then the location grant.
  const place =
    joinPlace(p.province, p.city) ??
    joinPlace(p.wxProvince, p.wxCity) ??
    joinPlace(p.lbsProvince, p.lbsCity)
  add('城市', place)
  if (p.lastActiveTime !== undefined) {
    add('最近活跃', formatChinaTime(p.lastActiveTime) + ago(p.lastActiveTime, now))
  }
  if (p.active !== undefined) {
    const parts = [`总 ${p.active}`]
    if (p.weekActive) parts.push(`7 天 ${p.weekActive.count}`)
    if (p.monthActive) parts.push(`30 天 ${p.monthActive.count}`)
    add('活跃度', parts.join(' · '))
  }
  if (p.spread !== undefined && p.spread > 0) add('传播力', String(p.spread))
  if (p.sourceCnlName !== undefined) {
    const type = p.sourceCnlType ? CHANNEL_TYPES[p.sourceCnlType] : undefined
    add('来源渠道', type ? `${p.sourceCnlName}（${type}）` : p.sourceCnlName)
  }
  add('来源作品', p.sourceAppType)
  const wechats = (p.wechatList ?? [])
    .map((w) => w.wechatName)
    .filter((n) => n !== undefined && n !== '')
  if (wechats.length > 0) add('关注公众号', wechats.join('、'))
  add('备注', p.remark)
  return out
}

function joinPlace(province: string | undefined, city: string | undefined): string | undefined {
  const c = city?.trim() ?? ''
  const pr = province?.trim() ?? ''
  if (c === '' && pr === '') return undefined
  if (pr === '' || c === pr || c.startsWith(pr)) return c || pr
  return c === '' ? pr : `${pr} ${c}`
}
