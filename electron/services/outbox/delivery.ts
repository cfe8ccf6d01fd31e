import type { OutboxKind } from '../../../shared/domain'
import type { DataCenterClient } from '../../core/datacenter/client'
import { DC_DUPLICATE_SID, isDuplicateSid } from '../../core/datacenter/codes'
import { parseSid } from '../../core/datacenter/sid'
import { isRemoteError, type RemoteError } from '../../core/errors'
import { AppError } from '../../core/app-error'
import type { WeixinClient } from '../../core/weixin/client'
import type { RefCache } from '../db/ref-cache'
import type { OutboxError, OutboxRow } from './outbox-store'
import type { OutboxPayloads } from './types'

/**
 * How each outbox kind is sent, and what a failure means for the item.
 *
 * weixin (savecallback, save_to_customer) has no idempotency key. A failure that proves the
 * request never arrived (connection refused: maybeDelivered false) is retried with back-off. A
 * failure after the request went out (answer lost, HTTP error, a body that is not the documented
 * JSON) makes the item `maybe-delivered`: the store marks it uncertain, retries it once, and
 * parks it for the agent if that retry is ambiguous too. The server's own refusal (errmsg such as
 * 传入数据错误) or a request the client rejects before sending parks it as failed.
 *
 * The Data Center (report_call) is delivered in steps, each write with its own SID stored in the
 * row before it is first sent and re-sent on every retry, so transport failures simply retry and
 * a 1013 (SID seen) means the earlier try arrived. See deliverReportCall for each step.
 */

export type OutboxSystem = 'weixin' | 'datacenter'

export function systemOf(kind: OutboxKind): OutboxSystem {
  return kind.startsWith('weixin.') ? 'weixin' : 'datacenter'
}

/** The clients delivery needs (ConnectionManager.get() provides them). */
export interface OutboxConnections {
  weixin: Pick<WeixinClient, 'saveCallback' | 'saveToCustomer'>
  datacenter: Pick<DataCenterClient, 'call' | 'nextSid'> | null
}

/**
 * What an attempt came to. `reach` tells the engine about the remote system: 'offline' when the
 * request could not reach it (refused, timeout, DNS), 'online' when something answered.
 */
export type DeliveryResult = (
  | { type: 'delivered'; result?: unknown; steps?: unknown }
  | { type: 'retry'; error: OutboxError; steps?: unknown; immediate?: boolean }
  | { type: 'maybe-delivered'; error: OutboxError; steps?: unknown }
  | { type: 'failed'; error: OutboxError; steps?: unknown }
) & { reach?: 'online' | 'offline' }

export interface DeliveryContext {
  conns: OutboxConnections
  signal?: AbortSignal
  /** commits the row's steps now (a step done, a new SID), before the next request */
  saveSteps(steps: unknown): void
}

export interface Deliverer {
  /**
   * Called while the row is claimed, inside the claim's transaction: returns the steps to store
   * with the 'sending' mark (the Data Center SIDs), or undefined to leave them.
   */
  prepare?(row: OutboxRow, conns: OutboxConnections): unknown
  deliver(row: OutboxRow, ctx: DeliveryContext): Promise<DeliveryResult>
}

// --- classification ---

const OFFLINE_CAUSES = new Set<unknown>(['refused', 'timeout', 'dns'])

function errorInfo(e: RemoteError, suffix?: string): OutboxError {
  const out: OutboxError = {
    kind: e.kind,
    message: suffix ? `${e.message}（${suffix}）` : e.message,
  }
  if (e.code !== undefined) out.code = e.code
  if (e.field !== undefined) out.field = e.field
  return out
}

function reachOf(e: RemoteError): 'online' | 'offline' {
  return e.kind === 'network' && OFFLINE_CAUSES.has(e.code) ? 'offline' : 'online'
}

const internalError = (e: unknown): OutboxError =>
  // a step's progress could not be saved (disk full, …): the agent's text as it is
  e instanceof AppError && e.kind === 'storage'
    ? { kind: 'storage', message: e.message }
    : {
        kind: 'internal',
        message: `同步时发生内部错误：${e instanceof Error ? e.message : String(e)}`,
      }

/** A weixin write's failure → what happens to the item. */
export function classifyWeixinFailure(e: unknown): DeliveryResult {
  // Clients throw only RemoteErrors; anything else happened somewhere after we started, so the
  // request may have gone out.
  if (!isRemoteError(e)) return { type: 'maybe-delivered', error: internalError(e) }
  const error = errorInfo(e)
  switch (e.kind) {
    case 'network':
      if (e.maybeDelivered === false) return { type: 'retry', error, reach: reachOf(e) }
      return { type: 'maybe-delivered', error, reach: reachOf(e) }
    case 'http':
    case 'not-json':
    case 'shape':
    case 'signature':
      return { type: 'maybe-delivered', error, reach: 'online' }
    case 'rate-limited':
      return { type: 'retry', error, reach: 'online' }
    case 'remote':
      return { type: 'failed', error, reach: 'online' }
    case 'invalid-request':
      return { type: 'failed', error }
  }
}

/**
 * Data Center codes that are the server's passing trouble rather than a verdict on the data: the
 * item is retried (with a new SID for that step, since the server has answered the old one).
 */
const DC_TRANSIENT = new Set<unknown>([-1, 1005, 1014, 6001])

// --- Data Center steps ---

interface Step {
  /** the SID this write is (re-)sent under; null: a new one is taken before the next send */
  sid: string | null
  done: boolean
  /**
   * the write went out under `sid` and no answer came back (stored with the attempt's outcome,
   * so a crash loses it; then the step starts with its lookup, which is as safe)
   */
  sent?: boolean
}

export interface ReportSteps {
  projGUID?: string
  customer: Step & { cstGUID?: string; created?: boolean; duplicate?: boolean }
  lead: Step & { leadGUID?: string; existed?: boolean; duplicate?: boolean }
  opportunity: Step & { oppGUID?: string }
  follow: Step & { followGUID?: string; duplicate?: boolean }
}

type StepName = 'project' | 'customer' | 'lead' | 'opportunity' | 'follow'
const WRITE_STEPS = ['customer', 'lead', 'opportunity', 'follow'] as const
const stepLabel: Record<StepName, string> = {
  project: '查找数据中心项目',
  customer: '客户资料',
  lead: '线索上报',
  opportunity: '销售机会上报',
  follow: '跟进信息上报',
}

export function reportSteps(value: unknown): ReportSteps {
  const v = (value && typeof value === 'object' ? value : {}) as Partial<ReportSteps>
  const step = <T extends object>(s: T | undefined): Step & T =>
    ({ sid: null, done: false, ...(s ?? {}) }) as Step & T
  const out: ReportSteps = {
    customer: step(v.customer),
    lead: step(v.lead),
    opportunity: step(v.opportunity),
    follow: step(v.follow),
  }
  if (typeof v.projGUID === 'string' && v.projGUID) out.projGUID = v.projGUID
  return out
}

/** Takes a SID for every unfinished write step that has none (stored with the claim). */
export function prepareReportSteps(
  value: unknown,
  dc: Pick<DataCenterClient, 'nextSid'>,
): ReportSteps {
  const steps = reportSteps(value)
  for (const name of WRITE_STEPS) {
    const s = steps[name]
    if (!s.done && !s.sid) s.sid = dc.nextSid()
  }
  return steps
}

/**
 * cst_info_create requires gender 1 or 2 and has no "unknown". A 0 is read from the 称呼
 * (…先生 → 1; …女士/小姐/太太 → 2); when that says nothing either, 1 is sent. The lead
 * (s_lead_create, which allows 0) keeps the 0.
 */
export function customerGender(gender: 0 | 1 | 2, name: string): 1 | 2 {
  if (gender !== 0) return gender
  if (/(女士|小姐|太太|夫人)$/.test(name.trim())) return 2
  return 1
}

export function leadGender(gender: 0 | 1 | 2, name: string): 0 | 1 | 2 {
  if (gender !== 0) return gender
  if (/(先生|男士)$/.test(name.trim())) return 1
  if (/(女士|小姐|太太|夫人)$/.test(name.trim())) return 2
  return 0
}

const DC_TIME_RE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/

/** followTime as the Data Center wants it: yyyy-MM-dd HH:mm:ss, Beijing time. */
export function dataCenterTime(value: string): string | null {
  if (DC_TIME_RE.test(value)) return value
  const t = Date.parse(value)
  if (Number.isNaN(t)) return null
  const b = new Date(t + 8 * 3600_000)
  const pad = (n: number): string => String(n).padStart(2, '0')
  return (
    `${b.getUTCFullYear()}-${pad(b.getUTCMonth() + 1)}-${pad(b.getUTCDate())} ` +
    `${pad(b.getUTCHours())}:${pad(b.getUTCMinutes())}:${pad(b.getUTCSeconds())}`
  )
}

// --- the project map (base_project_list) ---

interface ProjectMap {
  fetchedAt: number
  byName: Record<string, string>
}

export interface ProjectResolverOptions {
  cache?: Pick<RefCache, 'get' | 'put'> | null
  now?: () => number
  /** a name not in the map triggers a new listing only this long after the last one */
  minRefreshMs?: number
  pageSize?: number
}

/**
 * Maps a weixin project to the Data Center's projGUID by exact name (surrounding spaces aside),
 * from base_project_list. The map is cached in ref_cache (per Data Center appid), so delivery
 * works without listing projects each time; an unknown name lists them again, at most once per
 * minRefreshMs. Where several projects share a name, a valid (status 1) last-level (ifEnd 1) one
 * wins.
 */
export class ProjectResolver {
  private readonly cache: Pick<RefCache, 'get' | 'put'> | null
  private readonly now: () => number
  private readonly minRefreshMs: number
  private readonly pageSize: number
  private readonly maps = new Map<string, ProjectMap>()
  private readonly refreshing = new Map<string, Promise<ProjectMap>>()
  /** maps found wrong (a projGUID the Data Center did not know): listed again before use */
  private readonly stale = new Set<string>()

  constructor(opts: ProjectResolverOptions = {}) {
    this.cache = opts.cache ?? null
    this.now = opts.now ?? Date.now
    this.minRefreshMs = opts.minRefreshMs ?? 30_000
    this.pageSize = opts.pageSize ?? 200
  }

  private key(appid: string): string {
    return `datacenter.projects:${appid}`
  }

  private cached(appid: string): ProjectMap | null {
    const inMemory = this.maps.get(appid)
    if (inMemory) return inMemory
    const v = this.cache?.get(this.key(appid)) as ProjectMap | undefined
    if (v && typeof v.fetchedAt === 'number' && v.byName && typeof v.byName === 'object') {
      this.maps.set(appid, v)
      return v
    }
    return null
  }

  /** The projGUID for a name, or null when the Data Center has no such project. */
  async resolve(
    dc: Pick<DataCenterClient, 'call'>,
    appid: string,
    name: string,
    signal?: AbortSignal,
  ): Promise<string | null> {
    const wanted = name.trim()
    const map = this.stale.has(appid) ? null : this.cached(appid)
    const hit = map?.byName[wanted]
    if (hit) return hit
    if (map && this.now() - map.fetchedAt < this.minRefreshMs) return null
    const fresh = await this.refresh(dc, appid, signal)
    this.stale.delete(appid)
    return fresh.byName[wanted] ?? null
  }

  /** The map is wrong (the Data Center answered 4001 for one of its projGUIDs): list again. */
  invalidate(appid: string): void {
    this.stale.add(appid)
  }

  private refresh(
    dc: Pick<DataCenterClient, 'call'>,
    appid: string,
    signal?: AbortSignal,
  ): Promise<ProjectMap> {
    let p = this.refreshing.get(appid)
    if (!p) {
      p = this.list(dc, signal).finally(() => this.refreshing.delete(appid))
      this.refreshing.set(appid, p)
    }
    return p.then((map) => {
      this.maps.set(appid, map)
      try {
        this.cache?.put(this.key(appid), map)
      } catch {
        // a cache that cannot be written only costs a listing next time
      }
      return map
    })
  }

  private async list(
    dc: Pick<DataCenterClient, 'call'>,
    signal?: AbortSignal,
  ): Promise<ProjectMap> {
    const byName: Record<string, string> = {}
    const rank: Record<string, number> = {}
    let page = 1
    let total = 1
    // a bound, in case a server keeps answering with more pages
    while (page <= total && page <= 100) {
      const { content } = await dc.call(
        'base_project_list',
        { page, pageSize: this.pageSize },
        signal ? { signal } : {},
      )
      total = content.totalPage
      for (const p of content.list) {
        const name = p.projName.trim()
        const r = (p.status === 1 ? 2 : 0) + (p.ifEnd === 1 ? 1 : 0)
        if (name && (rank[name] === undefined || r > rank[name])) {
          byName[name] = p.projGUID
          rank[name] = r
        }
      }
      page++
    }
    return { fetchedAt: this.now(), byName }
  }
}

// --- the deliverer ---

class StepFailure extends Error {
  constructor(
    readonly step: StepName,
    readonly original: unknown,
  ) {
    super(original instanceof Error ? original.message : String(original))
  }
}

function isCode(e: unknown, ...codes: number[]): boolean {
  return (
    isRemoteError(e) &&
    e.system === 'datacenter' &&
    e.kind === 'remote' &&
    codes.includes(e.code as number)
  )
}

export interface DelivererOptions {
  projects: ProjectResolver
}

export function createDeliverer(opts: DelivererOptions): Deliverer {
  return {
    prepare(row, conns) {
      if (row.kind !== 'datacenter.report_call' || !conns.datacenter) return undefined
      return prepareReportSteps(row.steps, conns.datacenter)
    },

    async deliver(row, ctx) {
      const signal = ctx.signal
      const callOpts = signal ? { signal } : {}
      switch (row.kind) {
        case 'weixin.savecallback':
          try {
            await ctx.conns.weixin.saveCallback(
              row.payload as OutboxPayloads['weixin.savecallback'],
              callOpts,
            )
            return { type: 'delivered', reach: 'online' }
          } catch (e) {
            return classifyWeixinFailure(e)
          }
        case 'weixin.save_to_customer':
          try {
            await ctx.conns.weixin.saveToCustomer(
              row.payload as OutboxPayloads['weixin.save_to_customer'],
              callOpts,
            )
            return { type: 'delivered', reach: 'online' }
          } catch (e) {
            return classifyWeixinFailure(e)
          }
        case 'datacenter.report_call':
          return deliverReportCall(row, ctx, opts.projects)
      }
    },
  }
}

/**
 * The Data Center side of one call:
 *
 * 0. project: the weixin project's name → projGUID (ProjectResolver); unknown → parked.
 * 1. customer: cst_info_get by mobile; 1012/2001 → cst_info_create. A 1013 (or 2002) on the
 *    create means a customer exists: its cstGUID is read back with cst_info_get; if it is still
 *    not there, the earlier try did not create it, and a new SID is taken for a new create.
 * 2. lead: s_lead_identify (phone + project); 0 → s_lead_create; 1013 → it arrived (done).
 *    For both: when a create went out unanswered, the retry re-sends it under its SID before
 *    anything else (so 1013 tells); if that mark was lost with a crash, the lookup comes first,
 *    which finds what the lost try created.
 * 3. opportunity_info_create → oppGUID. The Data Center answers a second report of the same
 *    customer and project with the existing oppGUID, and an opportunity cannot be read back by
 *    customer, so a 1013 is answered by creating again under a NEW SID, which returns the
 *    existing oppGUID.
 * 4. cst_follow_update → followGUID; 1013 → it arrived: delivered.
 *
 * Reads (cst_info_get, s_lead_identify, base_project_list) take a fresh SID each time: a read
 * re-sent under its old SID would only get 1013 and no data. Every finished step and every new
 * SID is committed before the next request, so a retry (or a restart) resumes at the first
 * unfinished step. A server answer with a §5 error ends that SID's use: the step gets a new one
 * for its next try, so a 1013 can only mean an unanswered earlier try arrived.
 */
async function deliverReportCall(
  row: OutboxRow,
  ctx: DeliveryContext,
  projects: ProjectResolver,
): Promise<DeliveryResult> {
  const dc = ctx.conns.datacenter
  if (!dc) {
    return {
      type: 'failed',
      error: { kind: 'config', message: '未配置数据中心连接，无法上报跟进；配置后请重试' },
    }
  }
  const p = row.payload as OutboxPayloads['datacenter.report_call']
  // SIDs were taken (and stored) at claim; one missing here is taken and stored before use
  const steps = reportSteps(row.steps)
  const signal = ctx.signal
  const opt = (sid?: string | null) => ({ ...(sid ? { sid } : {}), ...(signal ? { signal } : {}) })
  const save = (): void => ctx.saveSteps(steps)
  const newSid = (s: Step): string => {
    s.sid = dc.nextSid()
    save()
    return s.sid
  }
  const anySid = steps.follow.sid ?? steps.opportunity.sid ?? steps.lead.sid ?? steps.customer.sid
  const appid = (anySid && parseSid(anySid)?.appid) || 'default'

  const run = async <T>(step: StepName, f: () => Promise<T>): Promise<T> => {
    try {
      return await f()
    } catch (e) {
      throw new StepFailure(step, e)
    }
  }

  try {
    const followTime = dataCenterTime(p.followTime)
    if (!followTime) {
      return {
        type: 'failed',
        error: {
          kind: 'invalid-request',
          message: `跟进时间格式不正确：${p.followTime}`,
          field: 'followTime',
        },
      }
    }
    if (!p.projectName.trim()) {
      return {
        type: 'failed',
        error: {
          kind: 'invalid-request',
          message: '缺少项目名称，无法在数据中心找到项目；请填写项目名称后重试',
          field: 'projectName',
        },
      }
    }

    // 0. project
    if (!steps.projGUID) {
      const guid = await run('project', () => projects.resolve(dc, appid, p.projectName, signal))
      if (!guid) {
        return {
          type: 'failed',
          error: {
            kind: 'remote',
            message: `数据中心没有名为「${p.projectName.trim()}」的项目`,
            field: 'projectName',
          },
          reach: 'online',
          steps,
        }
      }
      steps.projGUID = guid
      save()
    }
    const projGUID = steps.projGUID

    // 1. customer
    const c = steps.customer
    if (!c.done) {
      await run('customer', async () => {
        const lookup = async (): Promise<string | null> => {
          try {
            return (await dc.call('cst_info_get', { mobile: p.mobile }, opt())).content.cstGUID
          } catch (e) {
            if (isCode(e, 1012, 2001)) return null
            throw e
          }
        }
        // After an unanswered create, the retry re-sends it under the same SID first (1013: it
        // arrived); otherwise, or when that mark was lost in a crash, the lookup comes first.
        let cstGUID = c.sent ? null : await lookup()
        for (let round = 0; !cstGUID && round < 3; round++) {
          try {
            const sid = c.sid ?? newSid(c)
            c.sent = true
            const r = await dc.call(
              'cst_info_create',
              {
                projGUID,
                customerName: p.customerName,
                gender: customerGender(p.gender, p.customerName),
                mobile: p.mobile,
                userGUID: p.userNum,
              },
              opt(sid),
            )
            cstGUID = r.content.cstGUID
            c.created = true
          } catch (e) {
            if (!isDuplicateSid(e) && !isCode(e, 2002)) throw e
            if (isDuplicateSid(e)) c.duplicate = true
            cstGUID = await lookup()
            if (!cstGUID && !isDuplicateSid(e)) throw e
            // 1013 and still unknown: the earlier try did not create it; a new SID below
            if (!cstGUID) newSid(c)
          }
        }
        if (!cstGUID) throw new Error('客户资料上报后仍查询不到客户')
        c.cstGUID = cstGUID
        c.done = true
        delete c.sent
        save()
      })
    }
    const cstGUID = c.cstGUID as string

    // 2. lead
    const l = steps.lead
    if (!l.done) {
      await run('lead', async () => {
        // as for the customer: an unanswered create is re-sent first, else identify first
        if (!l.sent) {
          const identify = await dc.call('s_lead_identify', { phone: p.mobile, projGUID }, opt())
          if (identify.content.result === 1) l.existed = true
        }
        if (!l.existed) {
          try {
            const sid = l.sid ?? newSid(l)
            l.sent = true
            const r = await dc.call(
              's_lead_create',
              {
                projGUID,
                consultantId: p.userNum,
                cstName: p.customerName,
                cstTel: p.mobile,
                cstType: '个人',
                cstGender: leadGender(p.gender, p.customerName),
                leadSource: '来电',
                topic: '外呼跟进',
              },
              opt(sid),
            )
            l.leadGUID = r.content.leadGUID
          } catch (e) {
            if (!isDuplicateSid(e)) throw e
            l.duplicate = true
          }
        }
        delete l.sent
        l.done = true
        save()
      })
    }

    // 3. opportunity
    const o = steps.opportunity
    if (!o.done) {
      await run('opportunity', async () => {
        for (let round = 0; !o.done && round < 3; round++) {
          try {
            const r = await dc.call(
              'opportunity_info_create',
              {
                cstGUID,
                projGUID,
                userGUID: p.userNum,
                status: '问询',
                cstWill: p.cstWill,
                ...(l.leadGUID ? { leadGUID: l.leadGUID } : {}),
              },
              opt(o.sid ?? newSid(o)),
            )
            o.oppGUID = r.content.oppGUID
            o.done = true
          } catch (e) {
            if (!isDuplicateSid(e)) throw e
            // It arrived, but its oppGUID cannot be read back: report again under a new SID,
            // which the Data Center answers with the existing opportunity's oppGUID.
            newSid(o)
          }
        }
        if (!o.done) throw new Error('销售机会上报多次返回消息序列号重复')
        save()
      })
    }

    // 4. follow-up
    const f = steps.follow
    if (!f.done) {
      await run('follow', async () => {
        try {
          const r = await dc.call(
            'cst_follow_update',
            {
              cstGUID,
              projGUID,
              followTime,
              followContent: p.followContent,
              followType: 1,
              userGUID: p.userNum,
              oppGUID: o.oppGUID as string,
              ...(p.nextDate ? { nextDate: p.nextDate } : {}),
              ...(p.nextContent ? { nextContent: p.nextContent } : {}),
              cstWill: p.cstWill,
            },
            opt(f.sid ?? newSid(f)),
          )
          f.followGUID = r.content.followGUID
        } catch (e) {
          if (!isDuplicateSid(e)) throw e
          f.duplicate = true
        }
        f.done = true
      })
    }
    return {
      type: 'delivered',
      reach: 'online',
      steps,
      result: {
        projGUID,
        cstGUID,
        ...(l.leadGUID ? { leadGUID: l.leadGUID } : {}),
        oppGUID: o.oppGUID,
        ...(f.followGUID ? { followGUID: f.followGUID } : {}),
      },
    }
  } catch (e) {
    const step = e instanceof StepFailure ? e.step : 'project'
    const original = e instanceof StepFailure ? e.original : e
    return classifyDataCenterFailure(original, step, steps, () => projects.invalidate(appid))
  }
}

/**
 * A Data Center failure → what happens to the item. Transport trouble retries under the same
 * SIDs (never uncertain: the SID makes a re-send safe). A §5 answer retires the SID of the step
 * it answered; passing server trouble retries, anything else parks the item with the reason.
 */
export function classifyDataCenterFailure(
  e: unknown,
  step: StepName,
  steps: ReportSteps,
  onUnknownProject?: () => void,
): DeliveryResult {
  const label = stepLabel[step]
  if (!isRemoteError(e)) {
    // a storage failure while saving the steps, or an unexpected answer sequence
    return {
      type: 'retry',
      error: { ...internalError(e), message: `${internalError(e).message}（${label}）` },
      steps,
    }
  }
  const error = errorInfo(e, label)
  const retire = (): void => {
    if (step !== 'project') {
      const s = steps[step]
      if (!s.done) {
        s.sid = null
        delete s.sent
      }
    }
  }
  switch (e.kind) {
    case 'network':
      return { type: 'retry', error, steps, reach: reachOf(e) }
    case 'http':
    case 'not-json':
    case 'shape':
    case 'signature':
    case 'rate-limited':
      return { type: 'retry', error, steps, reach: 'online' }
    case 'invalid-request':
      if (e.code === 1015 && e.field === 'sid') {
        // SIDs taken under another appid (the connection profile changed): new ones, now
        for (const name of WRITE_STEPS) if (!steps[name].done) steps[name].sid = null
        return { type: 'retry', error, steps, immediate: true }
      }
      return { type: 'failed', error, steps }
    case 'remote':
      if (e.code === DC_DUPLICATE_SID) {
        // a read answered 1013 cannot happen (fresh SIDs); treat as passing trouble
        retire()
        return { type: 'retry', error, steps, reach: 'online' }
      }
      retire()
      if (e.code === 4001) {
        // the cached projGUID is unknown there (the map is old): look the project up again
        delete steps.projGUID
        onUnknownProject?.()
      }
      if (DC_TRANSIENT.has(e.code)) return { type: 'retry', error, steps, reach: 'online' }
      return { type: 'failed', error, steps, reach: 'online' }
  }
}
