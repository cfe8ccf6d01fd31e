import { guid } from '../random'
import { baseDataHandlers } from './base-data'
import { definedOnly, Refusal, type Handlers, type ProjectRow } from './handler-kit'
import { opportunityHandlers } from './opportunities'
import type { Roster } from './roster'
import { pad, type DcCustomer, type DcFollowUp, type DcLead, type World } from './state'

/**
 * What each command does once its request has passed the table (requests.ts). Where the document
 * lists processing steps, they run in its order and the comments carry its numbers; elsewhere
 * the order is the sandbox's own:
 *
 * - every projGUID must be a seeded project (4001);
 * - cst_info_create: mobile (9002), project, the ID number for certType 1 (9001) and whether
 *   another customer has it (2004), then existence by mobile (2002);
 * - cst_info_update: customer (2001), 9002, 4001, mobile of another customer (2003), 9001/2004;
 * - cst_follow_update (4.2.8): 1 project (4001), 2 customer (2001), 3 consultant: the userGUID
 *   must be on the roster (roster.ts; 4002), 4 the opportunity, which must be that customer's
 *   in that project (9003);
 * - s_lead_create always adds a lead; cst_identify (4.5.1): exist = the customer is known,
 *   followType is sent as the code's text ("1"), every follow-up in the project, newest first;
 * - the opportunity commands: opportunities.ts; the base-data lists: base-data.ts.
 */

const refuse = (code: number): Refusal => new Refusal(code)

/** yyyy-MM-dd HH:mm:ss in Beijing time */
function beijingTime(d: Date): string {
  const b = new Date(d.getTime() + 8 * 3600_000)
  return (
    `${b.getUTCFullYear()}-${pad(b.getUTCMonth() + 1)}-${pad(b.getUTCDate())} ` +
    `${pad(b.getUTCHours())}:${pad(b.getUTCMinutes())}:${pad(b.getUTCSeconds())}`
  )
}

const MOBILE_RE = /^1\d{10}$/
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const ID_CHECK = '10X98765432'

/** 18-digit resident ID with its check digit, or the old 15-digit form. */
export function isValidChineseId(id: string): boolean {
  if (/^\d{15}$/.test(id)) return true
  if (!/^\d{17}[\dX]$/i.test(id)) return false
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(id[i]) * ID_WEIGHTS[i]!
  return ID_CHECK[sum % 11] === id[17]!.toUpperCase()
}

interface Cert {
  certType?: number | undefined
  certNum?: string | undefined
}

const PROFILE_EXTRA_KEYS = [
  'homeArea',
  'homeCase',
  'workTrade',
  'workJob',
  'workArea',
  'cstType',
  'fromArea',
  'zyNum',
  'oldOwner',
  'cstClass',
] as const

function profileExtra(d: Record<string, unknown>): Record<string, unknown> {
  return definedOnly(Object.fromEntries(PROFILE_EXTRA_KEYS.map((k) => [k, d[k]])))
}

function customerContent(c: DcCustomer): object {
  return definedOnly({
    cstGUID: c.cstGUID,
    customerName: c.customerName,
    mobile: c.mobile,
    phone: c.phone ?? c.homeTel,
    gender: c.gender,
    birthday: c.birthday,
    certType: c.certType,
    certNum: c.certNum,
    homeProvince: c.homeProvince,
    homeCity: c.homeCity,
    homeRegion: c.homeRegion,
    address: c.address,
    custType: c.custType,
  })
}

const birthdayFromId = (d: Cert): string | undefined =>
  (d.certType ?? 1) === 1 && d.certNum && /^\d{17}[\dX]$/i.test(d.certNum)
    ? `${d.certNum.slice(6, 10)}-${d.certNum.slice(10, 12)}-${d.certNum.slice(12, 14)} 00:00:00`
    : undefined

/** `db` is read on every call: a reset replaces the world. */
export function createHandlers(
  db: () => World,
  projects: ReadonlySet<string>,
  projectRows: readonly ProjectRow[],
  roster: Roster,
): Handlers {
  const consultants = new Set(roster.consultants.map((c) => c.userGUID))
  const byGuid = (cstGUID: string): DcCustomer | undefined => {
    for (const c of db().customers.values()) if (c.cstGUID === cstGUID) return c
    return undefined
  }
  const byCertNum = (certNum: string): DcCustomer | undefined => {
    for (const c of db().customers.values()) if (c.certNum === certNum) return c
    return undefined
  }
  const checkCert = (d: Cert, self?: DcCustomer): Refusal | undefined => {
    if (!d.certNum) return undefined
    if ((d.certType ?? 1) === 1 && !isValidChineseId(d.certNum)) return refuse(9001)
    const holder = byCertNum(d.certNum)
    if (holder && holder !== self) return refuse(2004)
    return undefined
  }
  const custTypeOf = (cstType: string | undefined): number | undefined =>
    cstType === '公司' ? 2 : cstType === '个人' ? 1 : undefined

  return {
    ...baseDataHandlers(projectRows, roster),
    ...opportunityHandlers(db, projects, byGuid, byCertNum),
    cst_info_get: (d) => {
      const c = db().customers.get(d.mobile)
      return c ? customerContent(c) : refuse(1012)
    },
    cst_info_create: (d) => {
      if (!MOBILE_RE.test(d.mobile)) return refuse(9002)
      if (!projects.has(d.projGUID)) return refuse(4001)
      const certRefusal = checkCert(d)
      if (certRefusal) return certRefusal
      if (db().customers.has(d.mobile)) return refuse(2002)
      const c: DcCustomer = {
        cstGUID: guid(db().rng),
        customerName: d.customerName,
        mobile: d.mobile,
        gender: d.gender,
        birthday: birthdayFromId(d) ?? '',
        custType: custTypeOf(d.cstType) ?? 1,
        userGUID: d.userGUID,
        projGUIDs: [d.projGUID],
        isOwner: 0,
        isStaff: 0,
        isMember: 0,
        extra: profileExtra(d),
        ...definedOnly({
          certType: d.certType,
          certNum: d.certNum,
          homeTel: d.homeTel,
          address: d.address,
        }),
      }
      db().customers.set(c.mobile, c)
      return { cstGUID: c.cstGUID }
    },
    cst_info_update: (d) => {
      const c = byGuid(d.cstGUID)
      if (!c) return refuse(2001)
      if (!MOBILE_RE.test(d.mobile)) return refuse(9002)
      if (d.projGUID && !projects.has(d.projGUID)) return refuse(4001)
      const holder = db().customers.get(d.mobile)
      if (holder && holder !== c) return refuse(2003)
      const certRefusal = checkCert(d, c)
      if (certRefusal) return certRefusal
      db().customers.delete(c.mobile)
      c.mobile = d.mobile
      c.customerName = d.customerName
      c.gender = d.gender
      c.userGUID = d.userGUID
      c.custType = custTypeOf(d.cstType) ?? c.custType
      if (d.certType !== undefined) c.certType = d.certType
      if (d.certNum !== undefined) c.certNum = d.certNum
      if (d.homeTel !== undefined) c.homeTel = d.homeTel
      if (d.address !== undefined) c.address = d.address
      if (d.projGUID && !c.projGUIDs.includes(d.projGUID)) c.projGUIDs.push(d.projGUID)
      c.extra = { ...c.extra, ...profileExtra(d) }
      db().customers.set(c.mobile, c)
      return {}
    },
    cst_follow_update: (d) => {
      if (!projects.has(d.projGUID)) return refuse(4001) // step 1
      const c = byGuid(d.cstGUID) // step 2
      if (!c) return refuse(2001)
      if (!consultants.has(d.userGUID)) return refuse(4002) // step 3
      const opp = db().opportunities.get(d.oppGUID) // step 4
      if (!opp || opp.cstGUID !== c.cstGUID || opp.projGUID !== d.projGUID) return refuse(9003)
      const f: DcFollowUp = {
        followGUID: guid(db().rng),
        cstGUID: c.cstGUID,
        projGUID: d.projGUID,
        oppGUID: d.oppGUID,
        followTime: d.followTime,
        followType: d.followType,
        followContent: d.followContent ?? '',
        userGUID: d.userGUID,
        cstWill: d.cstWill,
        // 4.2.8: 不填默认值为"案场跟进上报"
        remark: d.remark || '案场跟进上报',
        ...definedOnly({
          nextDate: d.nextDate,
          nextContent: d.nextContent,
          keyActions: d.keyActions,
        }),
      }
      db().followUps.push(f)
      opp.cstWill = d.cstWill
      return { followGUID: f.followGUID }
    },
    s_lead_identify: (d) => {
      if (!projects.has(d.projGUID)) return refuse(4001)
      // 4.3.1: 判断依据是，在同项目下+联系电话
      const found = db().leads.some((l) => l.projGUID === d.projGUID && l.cstTel === d.phone)
      return { result: found ? 1 : 0 }
    },
    s_lead_create: (d) => {
      if (!projects.has(d.projGUID)) return refuse(4001)
      const lead: DcLead = {
        leadGUID: guid(db().rng),
        projGUID: d.projGUID,
        consultantId: d.consultantId,
        cstName: d.cstName,
        cstTel: d.cstTel,
        cstType: d.cstType,
        cstGender: d.cstGender,
        leadSource: d.leadSource,
        topic: d.topic,
        appointTime: d.appointTime ?? beijingTime(new Date()),
        ...definedOnly({
          description: d.description,
          cognizeAve: d.cognizeAve,
          leadType: d.leadType,
        }),
      }
      db().leads.push(lead)
      return { leadGUID: lead.leadGUID }
    },
    s_lead_query: (d) => {
      if (d.leadGUID) return { list: db().leads.filter((l) => l.leadGUID === d.leadGUID) }
      if (d.projGUID && !projects.has(d.projGUID)) return refuse(4001)
      return {
        list: db().leads.filter((l) => l.projGUID === d.projGUID && l.cstTel === d.phone),
      }
    },
    cst_identify: (d) => {
      if (!projects.has(d.projGUID)) return refuse(4001)
      const c = db().customers.get(d.cstMobile)
      // 4.5.1 step 2: 不管是否存在，都会返回客户在该项目的所有跟进记录
      const list = c
        ? db()
            .followUps.filter((f) => f.cstGUID === c.cstGUID && f.projGUID === d.projGUID)
            .sort((a, b) =>
              a.followTime < b.followTime ? 1 : a.followTime > b.followTime ? -1 : 0,
            )
            .map((f) => ({
              followTime: f.followTime,
              followType: String(f.followType),
              followContent: f.followContent,
              projGUID: f.projGUID,
            }))
        : []
      return {
        exist: c ? 1 : 0,
        isBlack: 0,
        isOwner: c?.isOwner ?? 0,
        isStaff: c?.isStaff ?? 0,
        isMember: c?.isMember ?? 0,
        list,
      }
    },
  }
}
