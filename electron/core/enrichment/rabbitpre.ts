import { z } from 'zod'
import { RemoteError, httpStatusError, invalidRequestError, remoteBusinessError } from '../errors'
import {
  nodeHttpTransport,
  parseJsonText,
  validateShape,
  type HttpResponse,
  type HttpTransport,
} from '../http/transport'
import { rabbitpreGate, realTimer, sleepOrAbort, type RateGate, type Timer } from './rabbitpre-gate'
import { absent, rabbitpreProfileSchema, type RabbitpreProfile } from './rabbitpre-profile'
import { rabbitpreAnswers, type RabbitpreAnswers } from './rabbitpre-answers'

// the client's callers and tests reach the gate, profile and display through this module
export { RABBITPRE_MIN_INTERVAL_MS, RateGate, rabbitpreGate, realTimer } from './rabbitpre-gate'
export type { Timer } from './rabbitpre-gate'
export { rabbitpreProfileSchema, type RabbitpreProfile } from './rabbitpre-profile'
export {
  formatChinaTime,
  summariseRabbitpreProfile,
  type RabbitpreDisplayItem,
} from './rabbitpre-display'

/**
 * Rabbitpre audience detail (rabbitpre-audience-detail.md): POST {path} with JSON
 * {companyId, audienceUserIdList?, thirdIdList?, phoneList?, instanceAppid?}.
 *
 * Choices where the document is silent:
 * - success is code "200" (errorCode "SUCCESS", msg "ok"), as Rabbitpre's other open APIs answer;
 *   data null on success reads as no profiles.
 * - the limit ("允许一秒请求一次") is per account (rabbitpre-gate.ts).
 * - the server's limit answer is recognised by its text (操作频繁), whatever its code, and by HTTP
 *   429. The account is shared by every desktop of the call center, so the limit is often a
 *   colleague's doing: the client backs off 1–2 s, 2–4 s, 4–8 s… (jittered, so desktops that
 *   were refused together do not come back together) and then gives up with kind
 *   'rate-limited', in words that do not blame the agent; getAudienceOrLast answers with the
 *   last good answer for the number instead (rabbitpre-answers.ts).
 * - any other code is the server's own error (kind 'remote', code = code).
 * - timeoutMs bounds each HTTP attempt; the wait for the account's turn is bounded by the signal.
 */

export const RABBITPRE_DEFAULT_PATH = '/api/audience/detail'
export const RABBITPRE_RATE_LIMIT_TEXT = '操作频繁,请稍后重试'
/** what the agent reads when the shared account stays busy (never the server's 操作频繁) */
export const RABBITPRE_BUSY_TEXT = '兔展：同一账号的查询较多，暂时没有结果，请稍后再看'
const DEFAULT_MAX_ATTEMPTS = 4
const BACKOFF_BASE_MS = 1_000
const DEFAULT_TIMEOUT_MS = 8_000

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
  /** [0, 1): the back-off's jitter (tests fix it) */
  random?: () => number
}

/** An answer, and when it is the last good one rather than a fresh one, its time (epoch ms). */
export interface RabbitpreLookup {
  profiles: RabbitpreProfile[]
  asOf: number | null
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
  private readonly random: () => number
  private readonly answers: RabbitpreAnswers

  constructor(opts: RabbitpreClientOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '')
    this.url = this.baseUrl + (opts.path ?? RABBITPRE_DEFAULT_PATH)
    this.companyId = (opts.companyId ?? '').trim()
    this.instanceAppid = opts.instanceAppid?.trim() || undefined
    this.transport = opts.transport ?? nodeHttpTransport
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS
    this.timer = opts.timer ?? realTimer
    this.maxAttempts = Math.max(1, Math.floor(opts.maxAttempts ?? DEFAULT_MAX_ATTEMPTS))
    this.random = opts.random ?? Math.random
    this.answers = rabbitpreAnswers(`${this.baseUrl}|${this.companyId}`)
  }

  /**
   * Profiles for these mobiles, or — when the account stays busy past the back-off — the last
   * good answer for the same mobiles with its time. Without one, the busy error.
   */
  async getAudienceOrLast(
    phones: string[],
    opts: RabbitpreCallOptions = {},
  ): Promise<RabbitpreLookup> {
    const key = [...new Set(phones.map((p) => p.trim()))].sort().join(',')
    try {
      const profiles = await this.getAudienceByPhones(phones, opts)
      this.answers.put(key, { profiles, at: this.timer.now() })
      return { profiles, asOf: null }
    } catch (e) {
      const last = this.answers.get(key)
      if (e instanceof RemoteError && e.kind === 'rate-limited' && last) {
        return { profiles: last.profiles, asOf: last.at }
      }
      throw e
    }
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
            message: RABBITPRE_BUSY_TEXT,
          })
        }
        // at least the doubling step (the server's window), up to twice it
        const step = BACKOFF_BASE_MS * 2 ** (attempt - 1)
        await sleepOrAbort(this.timer, Math.round(step * (1 + this.random())), opts.signal)
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
