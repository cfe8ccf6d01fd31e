import type { DataCenterClient } from '../../core/datacenter/client'

/**
 * A Data Center report's progress, stored in the outbox row (steps) so a retry or a restart
 * resumes at the first unfinished step, re-sending each write under the SID it was first sent
 * with.
 */

export interface Step {
  /** the SID this write is (re-)sent under; null: a new one is taken before the next send */
  sid: string | null
  done: boolean
  /**
   * the write went out under `sid` and no answer came back (stored with the attempt's outcome,
   * so a crash loses it; then the step starts with its lookup, which is as safe)
   */
  sent?: boolean
}

/**
 * `duplicate`: a send was answered 1013 and a read then found the record (1013 alone proves
 * nothing: another desktop may have used the SID). `resent`: how often a 1013 whose record was
 * not there made the step send again under a new SID.
 */
export interface ReportSteps {
  projGUID?: string
  /** the Data Center consultant the agent's 工号 maps to (base_consultant_list) */
  userGUID?: string
  customer: Step & { cstGUID?: string; created?: boolean; duplicate?: boolean; resent?: number }
  lead: Step & { leadGUID?: string; existed?: boolean; duplicate?: boolean; resent?: number }
  opportunity: Step & {
    oppGUID?: string
    /** an existing opportunity was found (opportunity_info_query) and updated, not created */
    existed?: boolean
    duplicate?: boolean
    resent?: number
  }
  follow: Step & { followGUID?: string; duplicate?: boolean; resent?: number }
}

export type StepName = 'project' | 'consultant' | 'customer' | 'lead' | 'opportunity' | 'follow'
export const WRITE_STEPS = ['customer', 'lead', 'opportunity', 'follow'] as const

/** How the agent knows each step, in a failure's message. */
export const stepLabel: Record<StepName, string> = {
  project: '查找数据中心项目',
  consultant: '查找数据中心置业顾问',
  customer: '客户资料',
  lead: '线索上报',
  opportunity: '销售机会上报',
  follow: '跟进信息上报',
}

/** The stored steps, with every missing part filled in as not done. */
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
  if (typeof v.userGUID === 'string' && v.userGUID) out.userGUID = v.userGUID
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
