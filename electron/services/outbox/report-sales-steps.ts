import type { Opportunity } from '../../core/datacenter/schemas'
import { confirmedWrite, read, type Report } from './report-context'

/**
 * The opportunity and the follow-up of a report.
 *
 * 3. The opportunity is looked up first (opportunity_info_query by customer and project, §4.3.9).
 *    None → opportunity_info_create with 问询. One → opportunity_info_update (§4.3.8) carrying
 *    this call's 客户意向 and leaving the rest as the Data Center has it: its status (a call never
 *    moves 签约 or 认购 back to 问询), its consultant and lead; nothing to change → no write.
 *    A 1013 on the create is confirmed by the same query, on the update by the query by oppGUID.
 * 4. cst_follow_update; a 1013 is confirmed by cst_identify's follow history (§4.5.1): a record
 *    in the project with this follow-up's time and text.
 */

/** The opportunity a call belongs to when a customer has several in a project: a live one. */
function pick(list: readonly Opportunity[]): Opportunity | undefined {
  return list.find((o) => o.status !== '丢失') ?? list[0]
}

export async function reportOpportunity(r: Report): Promise<void> {
  const { p, steps, projGUID, userGUID } = r
  const o = steps.opportunity
  if (o.done) return
  const cstGUID = steps.customer.cstGUID as string
  const query = async (): Promise<Opportunity | null> =>
    pick((await read(r, 'opportunity_info_query', { cstGUID, projGUID })).list) ?? null
  const existing = await query()
  if (!existing) {
    const out = await confirmedWrite(
      r,
      o,
      'opportunity_info_create',
      {
        cstGUID,
        projGUID,
        userGUID,
        status: '问询',
        cstWill: p.cstWill,
        ...(steps.lead.leadGUID ? { leadGUID: steps.lead.leadGUID } : {}),
      },
      async () => (await query())?.oppGUID ?? null,
    )
    o.oppGUID = out.sent ? out.content.oppGUID : out.found
  } else {
    o.existed = true
    o.oppGUID = existing.oppGUID
    if (existing.cstWill !== p.cstWill) {
      const leadGUID = existing.leadGUID ?? steps.lead.leadGUID
      const oppGUID = existing.oppGUID
      await confirmedWrite(
        r,
        o,
        'opportunity_info_update',
        {
          oppGUID,
          cstGUID,
          projGUID,
          userGUID: existing.userGUID || userGUID,
          status: existing.status,
          cstWill: p.cstWill,
          ...(leadGUID ? { leadGUID } : {}),
        },
        async () => {
          const now = (await read(r, 'opportunity_info_query', { oppGUID })).list[0]
          return now?.cstWill === p.cstWill ? oppGUID : null
        },
      )
    }
  }
  delete o.sent
  o.done = true
  r.save()
}

/** 4. The follow-up itself; its success is the item's delivery (committed with the outcome). */
export async function reportFollow(r: Report): Promise<void> {
  const { p, steps, projGUID, userGUID, followTime } = r
  const f = steps.follow
  if (f.done) return
  const followContent = p.followContent
  const out = await confirmedWrite(
    r,
    f,
    'cst_follow_update',
    {
      cstGUID: steps.customer.cstGUID as string,
      projGUID,
      followTime,
      followContent,
      followType: 1,
      userGUID,
      oppGUID: steps.opportunity.oppGUID as string,
      ...(p.nextDate ? { nextDate: p.nextDate } : {}),
      ...(p.nextContent ? { nextContent: p.nextContent } : {}),
      cstWill: p.cstWill,
    },
    async () => {
      const { list } = await read(r, 'cst_identify', { cstMobile: p.mobile, projGUID })
      const ours = list.some(
        (x) =>
          x.projGUID === projGUID &&
          x.followTime.slice(0, 19) === followTime &&
          x.followContent === followContent,
      )
      return ours ? true : null
    },
  )
  if (out.sent) f.followGUID = out.content.followGUID
  delete f.sent
  f.done = true
}
