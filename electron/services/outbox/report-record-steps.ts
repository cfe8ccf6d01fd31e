import { customerGender, leadGender } from './datacenter-values'
import { confirmedWrite, isCode, Parked, read, type Report } from './report-context'

/**
 * The customer and the lead of a report: each looked up first and created only when absent.
 * After a create that went out unanswered (`sent`), the retry re-sends it under its SID before
 * anything else; the 1013 that follows when it had arrived is confirmed by the same lookup
 * (report-context.ts). If that mark was lost in a crash, the lookup comes first, which finds
 * what the lost try created.
 */

/** 1. The customer, one per mobile: cst_info_get; 1012/2001 → cst_info_create. */
export async function reportCustomer(r: Report): Promise<void> {
  const { p, steps, projGUID, userGUID } = r
  const c = steps.customer
  if (c.done) return
  const lookup = async (): Promise<string | null> => {
    try {
      return (await read(r, 'cst_info_get', { mobile: p.mobile })).cstGUID
    } catch (e) {
      if (isCode(e, 1012, 2001)) return null
      throw e
    }
  }
  let cstGUID = c.sent ? null : await lookup()
  if (!cstGUID) {
    const gender = customerGender(p.gender, p.customerName)
    if (gender === null) {
      throw new Parked({
        kind: 'invalid-request',
        field: 'gender',
        message:
          '客户性别未知：数据中心新建客户只接受“男”或“女”，不能猜。请在同步面板选择性别后重试',
      })
    }
    try {
      const out = await confirmedWrite(
        r,
        c,
        'cst_info_create',
        { projGUID, customerName: p.customerName, gender, mobile: p.mobile, userGUID },
        lookup,
      )
      if (out.sent) c.created = true
      cstGUID = out.sent ? out.content.cstGUID : out.found
    } catch (e) {
      // 2002 客户已经存在: another desktop created it since the lookup
      if (!isCode(e, 2002)) throw e
      cstGUID = await lookup()
      if (!cstGUID) throw e
    }
  }
  c.cstGUID = cstGUID
  c.done = true
  delete c.sent
  r.save()
}

/** 2. The lead of this customer and project: s_lead_identify; 0 → s_lead_create. */
export async function reportLead(r: Report): Promise<void> {
  const { p, steps, projGUID, userGUID } = r
  const l = steps.lead
  if (l.done) return
  const identify = async (): Promise<true | null> =>
    (await read(r, 's_lead_identify', { phone: p.mobile, projGUID })).result === 1 ? true : null
  if (!l.sent && (await identify())) l.existed = true
  if (!l.existed) {
    const out = await confirmedWrite(
      r,
      l,
      's_lead_create',
      {
        projGUID,
        consultantId: userGUID,
        cstName: p.customerName,
        cstTel: p.mobile,
        cstType: '个人',
        cstGender: leadGender(p.gender, p.customerName),
        leadSource: '来电',
        topic: '外呼跟进',
      },
      identify,
    )
    if (out.sent) l.leadGUID = out.content.leadGUID
  }
  delete l.sent
  l.done = true
  r.save()
}
