import { guid } from '../random'
import { definedOnly, Refusal, type Handlers } from './handler-kit'
import type { DcCustomer, DcOpportunity, World } from './state'

/**
 * The sales opportunity commands (§4.3.4, §4.3.5, §4.3.8, §4.3.9). The document lists no
 * processing steps for them; the sandbox checks the project (4001), then the customer (2001),
 * then the opportunity (9003), as cst_follow_update's steps do.
 *
 * - opportunity_info_create always adds an opportunity: the document has no "one per customer
 *   and project" rule, so a client that creates on every call makes duplicates here as it would
 *   there (the client looks one up with opportunity_info_query first).
 * - opportunity_info_update replaces what the request carries (status, cstWill, userGUID, …) on
 *   the opportunity named by oppGUID, which must be that customer's in that project (9003).
 * - opportunity_info_query by oppGUID (9003 when unknown) or by customer and project (an empty
 *   list when there is none); data/list is sent as an array.
 */

const refuse = (code: number): Refusal => new Refusal(code)

interface OppFields {
  oppSource?: string | undefined
  dsReason?: string | undefined
  isLocalHouseHold?: number | undefined
  socialSecurityYear?: number | undefined
  dsDate?: string | undefined
  leadGUID?: string | undefined
  topic?: string | undefined
  dlgs?: string | undefined
  khly?: string | undefined
}

const extraOf = (d: OppFields): Record<string, unknown> =>
  definedOnly({
    oppSource: d.oppSource,
    dsReason: d.dsReason,
    isLocalHouseHold: d.isLocalHouseHold,
    socialSecurityYear: d.socialSecurityYear,
    dsDate: d.dsDate,
    leadGUID: d.leadGUID,
    topic: d.topic,
    dlgs: d.dlgs,
    khly: d.khly,
  })

function queryRow(o: DcOpportunity): object {
  return definedOnly({
    oppGUID: o.oppGUID,
    cstGUID: o.cstGUID,
    projGUID: o.projGUID,
    userGUID: o.userGUID,
    status: o.status,
    cstWill: o.cstWill,
    firstCstWill: o.firstCstWill ?? o.cstWill,
    // 是 in the table: 0 是本地户口 / 1 否, and the years; the sandbox knows neither: 1 and 0
    isLocalHouseHold: (o.extra.isLocalHouseHold as number | undefined) ?? 1,
    socialSecurityYear: (o.extra.socialSecurityYear as number | undefined) ?? 0,
    ...o.extra,
  })
}

export function opportunityHandlers(
  db: () => World,
  projects: ReadonlySet<string>,
  byGuid: (cstGUID: string) => DcCustomer | undefined,
  byCertNum: (certNum: string) => DcCustomer | undefined,
): Pick<
  Handlers,
  | 's_opportunity_identify'
  | 'opportunity_info_create'
  | 'opportunity_info_update'
  | 'opportunity_info_query'
> {
  const oppsOf = (cstGUID: string, projGUID: string): DcOpportunity[] =>
    [...db().opportunities.values()].filter((o) => o.cstGUID === cstGUID && o.projGUID === projGUID)
  return {
    s_opportunity_identify: (d) => {
      if (!projects.has(d.projGUID)) return refuse(4001)
      // 4.3.4: 根据电话号码或者证件ID（优先使用电话号码）查询客户
      const c = (d.phone && db().customers.get(d.phone)) || (d.cardId && byCertNum(d.cardId))
      if (!c) return refuse(2001)
      return { result: oppsOf(c.cstGUID, d.projGUID).length > 0 ? 1 : 0 }
    },
    opportunity_info_create: (d) => {
      if (!projects.has(d.projGUID)) return refuse(4001)
      const c = byGuid(d.cstGUID)
      if (!c) return refuse(2001)
      const opp: DcOpportunity = {
        oppGUID: guid(db().rng),
        cstGUID: c.cstGUID,
        projGUID: d.projGUID,
        userGUID: d.userGUID,
        status: d.status,
        cstWill: d.cstWill,
        firstCstWill: d.cstWill,
        extra: extraOf(d),
      }
      db().opportunities.set(opp.oppGUID, opp)
      if (!c.projGUIDs.includes(d.projGUID)) c.projGUIDs.push(d.projGUID)
      return { oppGUID: opp.oppGUID }
    },
    opportunity_info_update: (d) => {
      if (!projects.has(d.projGUID)) return refuse(4001)
      const c = byGuid(d.cstGUID)
      if (!c) return refuse(2001)
      const opp = db().opportunities.get(d.oppGUID)
      if (!opp || opp.cstGUID !== c.cstGUID || opp.projGUID !== d.projGUID) return refuse(9003)
      opp.userGUID = d.userGUID
      opp.status = d.status
      // 4.3.8: 购房意向只更新gfyx字段，不更新首次购房意向
      opp.cstWill = d.cstWill
      opp.extra = { ...opp.extra, ...extraOf(d) }
      return {}
    },
    opportunity_info_query: (d) => {
      if (d.oppGUID) {
        const opp = db().opportunities.get(d.oppGUID)
        return opp ? { list: [queryRow(opp)] } : refuse(9003)
      }
      const projGUID = d.projGUID as string
      if (!projects.has(projGUID)) return refuse(4001)
      const c = byGuid(d.cstGUID as string)
      if (!c) return refuse(2001)
      return { list: oppsOf(c.cstGUID, projGUID).map(queryRow) }
    },
  }
}
