import { ConsultantResolver } from './consultant-resolver'
import type { Deliverer } from './delivery'
import type { ProjectResolver } from './project-resolver'
import { deliverReportCall } from './report-call'
import { prepareReportSteps } from './report-steps'
import type { OutboxRow } from './rows'
import { deliverWeixin } from './weixin-delivery'

export interface DelivererOptions {
  projects: ProjectResolver
  /** 工号 → Data Center consultant; default one cached in memory only */
  consultants?: ConsultantResolver
}

/** The real delivery: each kind to its system (weixin-delivery.ts, report-call.ts). */
export function createDeliverer(opts: DelivererOptions): Deliverer {
  const consultants = opts.consultants ?? new ConsultantResolver()
  return {
    prepare(row, conns) {
      if (row.kind !== 'datacenter.report_call' || !conns.datacenter) return undefined
      return prepareReportSteps(row.steps, conns.datacenter)
    },

    async deliver(row, ctx) {
      switch (row.kind) {
        case 'weixin.savecallback':
        case 'weixin.save_to_customer':
          return deliverWeixin(
            row as OutboxRow<'weixin.savecallback' | 'weixin.save_to_customer'>,
            ctx,
          )
        case 'datacenter.report_call':
          return deliverReportCall(
            row as OutboxRow<'datacenter.report_call'>,
            ctx,
            opts.projects,
            consultants,
          )
      }
    },
  }
}
