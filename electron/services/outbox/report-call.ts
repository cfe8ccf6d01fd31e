import type { DataCenterClient } from '../../core/datacenter/client'
import { isDuplicateSid } from '../../core/datacenter/codes'
import { parseSid } from '../../core/datacenter/sid'
import { isRemoteError } from '../../core/errors'
import { customerGender, dataCenterTime, leadGender } from './datacenter-values'
import type { DeliveryContext, DeliveryResult } from './delivery'
import { classifyDataCenterFailure } from './failures'
import type { ProjectResolver } from './project-resolver'
import { reportSteps, type ReportSteps, type Step, type StepName } from './report-steps'
import type { OutboxRow } from './rows'
import type { OutboxPayloads } from './types'

/**
 * The Data Center side of one call, one function per step:
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

/** What every step works with. */
interface Report {
  dc: Pick<DataCenterClient, 'call' | 'nextSid'>
  p: OutboxPayloads['datacenter.report_call']
  steps: ReportSteps
  projGUID: string
  /** a request's options: the write's SID (a read takes a fresh one) and the abort signal */
  opt(sid?: string | null): { sid?: string; signal?: AbortSignal }
  /** commits the steps now */
  save(): void
  /** takes (and commits) a new SID for a step */
  newSid(s: Step): string
}

class StepFailure extends Error {
  constructor(
    readonly step: StepName,
    readonly original: unknown,
  ) {
    super(original instanceof Error ? original.message : String(original))
  }
}

async function run<T>(step: StepName, f: () => Promise<T>): Promise<T> {
  try {
    return await f()
  } catch (e) {
    throw new StepFailure(step, e)
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

const refused = (message: string, field: string): DeliveryResult => ({
  type: 'failed',
  error: { kind: 'invalid-request', message, field },
})

export async function deliverReportCall(
  row: OutboxRow<'datacenter.report_call'>,
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
  const p = row.payload
  // SIDs were taken (and stored) at claim; one missing here is taken and stored before use
  const steps = reportSteps(row.steps)
  const signal = ctx.signal
  const save = (): void => ctx.saveSteps(steps)
  const anySid = steps.follow.sid ?? steps.opportunity.sid ?? steps.lead.sid ?? steps.customer.sid
  const appid = (anySid && parseSid(anySid)?.appid) || 'default'

  try {
    const followTime = dataCenterTime(p.followTime)
    if (!followTime) return refused(`跟进时间格式不正确：${p.followTime}`, 'followTime')
    if (!p.projectName.trim()) {
      return refused('缺少项目名称，无法在数据中心找到项目；请填写项目名称后重试', 'projectName')
    }

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

    const r: Report = {
      dc,
      p,
      steps,
      projGUID: steps.projGUID,
      opt: (sid) => ({ ...(sid ? { sid } : {}), ...(signal ? { signal } : {}) }),
      save,
      newSid: (s) => {
        s.sid = dc.nextSid()
        save()
        return s.sid
      },
    }
    await run('customer', () => reportCustomer(r))
    await run('lead', () => reportLead(r))
    await run('opportunity', () => reportOpportunity(r))
    await run('follow', () => reportFollow(r, followTime))
    const { lead: l, opportunity: o, follow: f } = steps
    return {
      type: 'delivered',
      reach: 'online',
      steps,
      result: {
        projGUID: r.projGUID,
        cstGUID: steps.customer.cstGUID,
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

/** 1. The customer, one per mobile: looked up, created when absent. */
async function reportCustomer({ dc, p, steps, projGUID, opt, save, newSid }: Report) {
  const c = steps.customer
  if (c.done) return
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
}

/** 2. The lead of this customer and project: identified, created when absent. */
async function reportLead({ dc, p, steps, projGUID, opt, save, newSid }: Report) {
  const l = steps.lead
  if (l.done) return
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
}

/** 3. The sales opportunity (the Data Center answers a repeat with the existing oppGUID). */
async function reportOpportunity({ dc, p, steps, projGUID, opt, save, newSid }: Report) {
  const o = steps.opportunity
  if (o.done) return
  for (let round = 0; !o.done && round < 3; round++) {
    try {
      const r = await dc.call(
        'opportunity_info_create',
        {
          cstGUID: steps.customer.cstGUID as string,
          projGUID,
          userGUID: p.userNum,
          status: '问询',
          cstWill: p.cstWill,
          ...(steps.lead.leadGUID ? { leadGUID: steps.lead.leadGUID } : {}),
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
}

/** 4. The follow-up itself; its success is the item's delivery (committed with the outcome). */
async function reportFollow({ dc, p, steps, projGUID, opt, newSid }: Report, followTime: string) {
  const f = steps.follow
  if (f.done) return
  try {
    const r = await dc.call(
      'cst_follow_update',
      {
        cstGUID: steps.customer.cstGUID as string,
        projGUID,
        followTime,
        followContent: p.followContent,
        followType: 1,
        userGUID: p.userNum,
        oppGUID: steps.opportunity.oppGUID as string,
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
}
