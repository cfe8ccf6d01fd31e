import { parseSid } from '../../core/datacenter/sid'
import type { ConsultantResolver } from './consultant-resolver'
import { dataCenterTime } from './datacenter-values'
import { referenceKey } from '../connections/profile-key'
import type { DeliveryContext, DeliveryResult } from './delivery'
import { classifyDataCenterFailure } from './failures'
import type { ProjectResolver } from './project-resolver'
import { Parked, type Report } from './report-context'
import { reportCustomer, reportLead } from './report-record-steps'
import { reportFollow, reportOpportunity } from './report-sales-steps'
import { reportSteps, type StepName } from './report-steps'
import type { OutboxRow } from './rows'

/**
 * The Data Center side of one call, in steps:
 *
 * 0. project: the weixin project's name → projGUID (ProjectResolver); unknown → parked.
 *    consultant: the agent's 工号 → the Data Center consultant's userGUID (ConsultantResolver,
 *    base_consultant_list); unknown or disabled → parked with the reason, never retried blindly.
 * 1. customer, 2. lead (report-record-steps.ts), 3. opportunity, 4. follow-up
 *    (report-sales-steps.ts).
 *
 * Reads take a fresh SID each time. Writes are sent under the SID stored in the row (taken at
 * claim), re-sent under it after a transport failure; a 1013 is confirmed with a read before the
 * step counts as done, and answered by a new SID when the record is not there
 * (report-context.ts). Every finished step and every new SID is committed before the next
 * request, so a retry (or a restart) resumes at the first unfinished step. A server answer with
 * a §5 error ends that SID's use (failures.ts).
 */

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
    throw e instanceof Parked ? e : new StepFailure(step, e)
  }
}

const refused = (message: string, field: string): DeliveryResult => ({
  type: 'failed',
  error: { kind: 'invalid-request', message, field },
})

const CONSULTANT_MISSING = {
  unknown: (userNum: string) =>
    `数据中心没有工号 ${userNum} 的置业顾问（置业顾问不存在），跟进无法上报。` +
    '请管理员在数据中心为该工号开通置业顾问后，在同步面板点“重试”',
  disabled: (userNum: string) =>
    `数据中心里工号 ${userNum} 的置业顾问已停用，跟进无法上报。` +
    '请管理员在数据中心启用后，在同步面板点“重试”',
}

export async function deliverReportCall(
  row: OutboxRow<'datacenter.report_call'>,
  ctx: DeliveryContext,
  projects: ProjectResolver,
  consultants: ConsultantResolver,
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
  // the reference maps are per system: training's sandbox has the same appid as production
  const appid = referenceKey((anySid && parseSid(anySid)?.appid) || 'default', row.profile)

  try {
    const followTime = dataCenterTime(p.followTime)
    if (!followTime) return refused(`跟进时间格式不正确：${p.followTime}`, 'followTime')
    if (!p.projectName.trim()) {
      return refused('缺少项目名称，无法在数据中心找到项目；请填写项目名称后重试', 'projectName')
    }

    if (!steps.projGUID) {
      const guid = await run('project', () => projects.resolve(dc, appid, p.projectName, signal))
      if (!guid) {
        throw new Parked({
          kind: 'remote',
          message: `数据中心没有名为「${p.projectName.trim()}」的项目`,
          field: 'projectName',
        })
      }
      steps.projGUID = guid
      save()
    }
    if (!steps.userGUID) {
      const found = await run('consultant', () => consultants.resolve(dc, appid, p.userNum, signal))
      if (!found.found) {
        throw new Parked({
          kind: 'remote',
          code: 4002,
          message: CONSULTANT_MISSING[found.reason](p.userNum.trim()),
          field: 'userNum',
        })
      }
      steps.userGUID = found.userGUID
      save()
    }

    const r: Report = {
      dc,
      p,
      steps,
      projGUID: steps.projGUID,
      userGUID: steps.userGUID,
      followTime,
      ...(signal ? { signal } : {}),
      save,
    }
    await run('customer', () => reportCustomer(r))
    await run('lead', () => reportLead(r))
    await run('opportunity', () => reportOpportunity(r))
    await run('follow', () => reportFollow(r))
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
    if (e instanceof Parked) return { type: 'failed', error: e.error, reach: 'online', steps }
    const step = e instanceof StepFailure ? e.step : 'project'
    const original = e instanceof StepFailure ? e.original : e
    return classifyDataCenterFailure(original, step, steps, {
      onUnknownProject: () => projects.invalidate(appid),
      onUnknownConsultant: () => consultants.invalidate(appid),
    })
  }
}
