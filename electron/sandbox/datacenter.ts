import { dataCenterCodeText } from '../core/datacenter/codes'
import {
  encodeEnvelope,
  EnvelopeError,
  parseEnvelope,
  verifyEnvelope,
  type Envelope,
} from '../core/datacenter/envelope'
import {
  checkRequest,
  isAnyDataCenterCommand,
  type AnyDataCenterCommand,
  type CheckedRequestOf,
} from '../core/datacenter/schemas'
import { createSidGenerator, parseSid } from '../core/datacenter/sid'
import type { SandboxRequest, SandboxResponse, SandboxServerDef } from './framework'
import { createRng, SANDBOX_DATACENTER, type Rng, type SeedWorld } from './seed'

/**
 * The Data Center 2.0 double: POST /openapi, envelopes verified as §3.2 says and answered with
 * envelopes signed under the Data Center's appid. Where the document is silent:
 *
 * - Checks run in this order: method (1003), envelope shape (1004), appid (1011), authCode and
 *   dataCode (1009), decryption to JSON (1004), cmd (1008), SID format (1015, it must start
 *   with the sender's appid), SID seen before (1013), fields (1001/1002), then the business.
 * - A SID counts as seen once the request gets past the SID checks, whatever the business
 *   answer: a re-sent command gets 1013 even when the first try failed with 2002. A request
 *   that fails an earlier check (1009 in particular) does not use up its SID.
 * - Answers before the sender is known (1003, 1004, 1011) are still envelopes, signed with the
 *   one app's token and appkey the sandbox knows; they echo the request SID when there is one.
 * - Business rules: every projGUID must be a seeded project (4001). cst_info_create checks the
 *   mobile (9002), the project, the ID number for certType 1 (9001) and whether another
 *   customer has it (2004), then existence (2002); cst_info_update 2001, 9002, 4001, 2003
 *   (mobile of another customer), 9001/2004; cst_follow_update checks the project (4001), the
 *   customer (2001), then the opportunity, which must be that customer's in that project
 *   (9003); s_opportunity_identify finds the customer by phone, else cardId (2001 when none);
 *   opportunity_info_create keeps one opportunity per (customer, project) and returns the same
 *   oppGUID for a second report of the pair (updating status and cstWill); s_lead_create always
 *   adds a lead; cst_identify: exist = the customer is known, followType is sent as the code's
 *   text ("1"), the list newest first; base_project_list lists the seeded projects (projName is
 *   the weixin pro_name), 20 a page by default.
 */

export interface DataCenterCredentials {
  appid: string
  token: string
  appkey: string
  dataCenterAppid: string
}

export interface DcCustomer {
  cstGUID: string
  customerName: string
  mobile: string
  phone?: string
  gender: number
  birthday: string
  certType?: number
  certNum?: string
  homeTel?: string
  homeProvince?: string
  homeCity?: string
  homeRegion?: string
  address?: string
  custType: number
  userGUID?: string
  projGUIDs: string[]
  isOwner: 0 | 1
  isStaff: 0 | 1
  isMember: 0 | 1
  /** the extra profile fields of cst_info_create/update (homeArea, workJob, …) as sent */
  extra: Record<string, unknown>
}

export interface DcLead {
  leadGUID: string
  projGUID: string
  consultantId: string
  cstName: string
  cstTel: string
  cstType: string
  cstGender: number
  description?: string
  leadSource: string
  topic: string
  cognizeAve?: string
  appointTime: string
  leadType?: string
}

export interface DcOpportunity {
  oppGUID: string
  cstGUID: string
  projGUID: string
  userGUID: string
  status: string
  cstWill: string
  extra: Record<string, unknown>
}

export interface DcFollowUp {
  followGUID: string
  cstGUID: string
  projGUID: string
  oppGUID: string
  followTime: string
  followType: number
  followContent: string
  userGUID: string
  cstWill: string
  nextDate?: string
  nextContent?: string
  keyActions?: string
  remark: string
}

export interface DataCenterState {
  customers: DcCustomer[]
  leads: DcLead[]
  opportunities: DcOpportunity[]
  followUps: DcFollowUp[]
  seenSids: number
}

interface World {
  customers: Map<string, DcCustomer>
  leads: DcLead[]
  opportunities: Map<string, DcOpportunity>
  followUps: DcFollowUp[]
  seenSids: Set<string>
  rng: Rng
}

class Reply {
  constructor(
    readonly code: number,
    readonly errmsg: string,
  ) {}
}

const fail = (code: number, field?: string): Reply =>
  new Reply(code, dataCenterCodeText(code, field))

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0')
}

/** yyyy-MM-dd HH:mm:ss in Beijing time */
function beijingTime(d: Date): string {
  const b = new Date(d.getTime() + 8 * 3600_000)
  return (
    `${b.getUTCFullYear()}-${pad(b.getUTCMonth() + 1)}-${pad(b.getUTCDate())} ` +
    `${pad(b.getUTCHours())}:${pad(b.getUTCMinutes())}:${pad(b.getUTCSeconds())}`
  )
}

function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`
}

function guid(rng: Rng): string {
  const hex = (n: number): string =>
    Array.from({ length: n }, () => rng.int(0, 15).toString(16)).join('')
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${rng.pick(['8', '9', 'a', 'b'])}${hex(3)}-${hex(12)}`
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

const FOLLOW_TEXTS = [
  '电话沟通，客户关注学位和交楼时间',
  '客户来电咨询首付比例',
  '到访样板间，对三房户型有兴趣',
  '发送项目折页和价格表',
  '邀约周末看房，客户表示考虑',
  '客户在对比周边竞品，需再跟进',
  '回访，客户等公积金额度审批',
] as const
const OPP_STATUSES = ['登记', '问询', '看房', '预约', '激活'] as const

function seedWorld(world: SeedWorld): World {
  const rng = createRng((world.seed ^ 0x5dc2) >>> 0)
  const projectsOf = new Map<string, string[]>()
  for (const p of world.projects) {
    for (const pkg of p.packages) {
      for (const phone of pkg.phones) {
        const list = projectsOf.get(phone) ?? []
        if (!list.includes(p.projGUID)) list.push(p.projGUID)
        projectsOf.set(phone, list)
      }
    }
  }
  const customers = new Map<string, DcCustomer>()
  const opportunities = new Map<string, DcOpportunity>()
  const followUps: DcFollowUp[] = []
  for (const person of world.people.values()) {
    if (!person.cstGUID) continue
    const projGUIDs = projectsOf.get(person.phone) ?? []
    const customer: DcCustomer = {
      cstGUID: person.cstGUID,
      customerName: person.fullName,
      mobile: person.phone,
      gender: person.gender === 'M' ? 1 : 2,
      birthday: person.birthday,
      homeProvince: person.province,
      homeCity: person.city,
      homeRegion: person.region,
      address: `${person.province}省${person.city}市${person.region}`,
      custType: 1,
      projGUIDs: [...projGUIDs],
      isOwner: rng.chance(0.15) ? 1 : 0,
      isStaff: rng.chance(0.05) ? 1 : 0,
      isMember: rng.chance(0.3) ? 1 : 0,
      extra: {},
    }
    customers.set(customer.mobile, customer)
    // About half the known customers already have history in one of their projects.
    const projGUID = projGUIDs[0]
    if (!projGUID || !rng.chance(0.5)) continue
    const user = rng.pick(world.users)
    const cstWill = rng.pick(['A', 'B', 'C', 'D'] as const)
    const opp: DcOpportunity = {
      oppGUID: guid(rng),
      cstGUID: customer.cstGUID,
      projGUID,
      userGUID: String(user.user_id),
      status: rng.pick(OPP_STATUSES),
      cstWill,
      extra: {},
    }
    opportunities.set(opp.oppGUID, opp)
    const count = rng.int(1, 3)
    for (let i = 0; i < count; i++) {
      const day = addDays(world.today, -rng.int(2, 60))
      followUps.push({
        followGUID: guid(rng),
        cstGUID: customer.cstGUID,
        projGUID,
        oppGUID: opp.oppGUID,
        followTime: `${day} ${pad(rng.int(9, 20))}:${pad(rng.int(0, 59))}:${pad(rng.int(0, 59))}`,
        followType: rng.pick([1, 1, 1, 2, 3, 4]),
        followContent: rng.pick(FOLLOW_TEXTS),
        userGUID: opp.userGUID,
        cstWill,
        remark: '案场跟进上报',
      })
    }
  }
  return {
    customers,
    leads: [],
    opportunities,
    followUps,
    seenSids: new Set(),
    rng: createRng((world.seed ^ 0x0a11) >>> 0),
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function definedOnly(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined))
}

type Handler<C extends AnyDataCenterCommand> = (data: CheckedRequestOf<C>) => Reply | object

export function createDataCenterServerDef(
  world: SeedWorld,
  creds: DataCenterCredentials = SANDBOX_DATACENTER,
): SandboxServerDef {
  let db = seedWorld(world)
  const projects = new Set(world.projects.map((p) => p.projGUID))
  // the Data Center's own SIDs, for answers to requests that carried none
  const ownSids = createSidGenerator({ appid: creds.dataCenterAppid })

  const byGuid = (cstGUID: string): DcCustomer | undefined => {
    for (const c of db.customers.values()) if (c.cstGUID === cstGUID) return c
    return undefined
  }
  const byCertNum = (certNum: string): DcCustomer | undefined => {
    for (const c of db.customers.values()) if (c.certNum === certNum) return c
    return undefined
  }
  const checkCert = (
    d: { certType?: number | undefined; certNum?: string | undefined },
    self?: DcCustomer,
  ): Reply | undefined => {
    if (!d.certNum) return undefined
    if ((d.certType ?? 1) === 1 && !isValidChineseId(d.certNum)) return fail(9001)
    const holder = byCertNum(d.certNum)
    if (holder && holder !== self) return fail(2004)
    return undefined
  }
  const birthdayFromId = (d: { certType?: number | undefined; certNum?: string | undefined }) =>
    (d.certType ?? 1) === 1 && d.certNum && /^\d{17}[\dX]$/i.test(d.certNum)
      ? `${d.certNum.slice(6, 10)}-${d.certNum.slice(10, 12)}-${d.certNum.slice(12, 14)} 00:00:00`
      : undefined
  const profileExtra = (d: Record<string, unknown>): Record<string, unknown> => {
    const keys = ['homeArea', 'homeCase', 'workTrade', 'workJob', 'workArea', 'cstType']
    const more = ['fromArea', 'zyNum', 'oldOwner', 'cstClass']
    return definedOnly(Object.fromEntries([...keys, ...more].map((k) => [k, d[k]])))
  }
  const customerContent = (c: DcCustomer): object =>
    definedOnly({
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

  // base_project_list: the seeded projects as the Data Center lists them (one level, all
  // current), lastModifyTime the seed day; syncTime returns what changed after it.
  const projectRows = world.projects.map((p) => ({
    projGUID: p.projGUID,
    projName: p.pro_name,
    parentGUID: '',
    cityName: '广州',
    status: 1,
    lastModifyTime: `${world.today} 00:00:00`,
    ifEnd: 1,
    buGUID: 'bu-sandbox-0001',
    level: 1,
  }))

  const handlers: { [C in AnyDataCenterCommand]: Handler<C> } = {
    cst_info_get: (d) => {
      const c = db.customers.get(d.mobile)
      return c ? customerContent(c) : fail(1012)
    },
    cst_info_create: (d) => {
      if (!MOBILE_RE.test(d.mobile)) return fail(9002)
      if (!projects.has(d.projGUID)) return fail(4001)
      const certFail = checkCert(d)
      if (certFail) return certFail
      if (db.customers.has(d.mobile)) return fail(2002)
      const c: DcCustomer = {
        cstGUID: guid(db.rng),
        customerName: d.customerName,
        mobile: d.mobile,
        gender: d.gender,
        birthday: birthdayFromId(d) ?? '',
        custType: d.cstType === '公司' ? 2 : 1,
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
      db.customers.set(c.mobile, c)
      return { cstGUID: c.cstGUID }
    },
    cst_info_update: (d) => {
      const c = byGuid(d.cstGUID)
      if (!c) return fail(2001)
      if (!MOBILE_RE.test(d.mobile)) return fail(9002)
      if (d.projGUID && !projects.has(d.projGUID)) return fail(4001)
      const holder = db.customers.get(d.mobile)
      if (holder && holder !== c) return fail(2003)
      const certFail = checkCert(d, c)
      if (certFail) return certFail
      db.customers.delete(c.mobile)
      c.mobile = d.mobile
      c.customerName = d.customerName
      c.gender = d.gender
      c.userGUID = d.userGUID
      c.custType = d.cstType === '公司' ? 2 : d.cstType === '个人' ? 1 : c.custType
      if (d.certType !== undefined) c.certType = d.certType
      if (d.certNum !== undefined) c.certNum = d.certNum
      if (d.homeTel !== undefined) c.homeTel = d.homeTel
      if (d.address !== undefined) c.address = d.address
      if (d.projGUID && !c.projGUIDs.includes(d.projGUID)) c.projGUIDs.push(d.projGUID)
      c.extra = { ...c.extra, ...profileExtra(d) }
      db.customers.set(c.mobile, c)
      return {}
    },
    cst_follow_update: (d) => {
      if (!projects.has(d.projGUID)) return fail(4001)
      const c = byGuid(d.cstGUID)
      if (!c) return fail(2001)
      const opp = db.opportunities.get(d.oppGUID)
      if (!opp || opp.cstGUID !== c.cstGUID || opp.projGUID !== d.projGUID) return fail(9003)
      const f: DcFollowUp = {
        followGUID: guid(db.rng),
        cstGUID: c.cstGUID,
        projGUID: d.projGUID,
        oppGUID: d.oppGUID,
        followTime: d.followTime,
        followType: d.followType,
        followContent: d.followContent ?? '',
        userGUID: d.userGUID,
        cstWill: d.cstWill,
        remark: d.remark || '案场跟进上报',
        ...definedOnly({
          nextDate: d.nextDate,
          nextContent: d.nextContent,
          keyActions: d.keyActions,
        }),
      }
      db.followUps.push(f)
      opp.cstWill = d.cstWill
      return { followGUID: f.followGUID }
    },
    s_lead_identify: (d) => {
      if (!projects.has(d.projGUID)) return fail(4001)
      const found = db.leads.some((l) => l.projGUID === d.projGUID && l.cstTel === d.phone)
      return { result: found ? 1 : 0 }
    },
    s_lead_create: (d) => {
      if (!projects.has(d.projGUID)) return fail(4001)
      const lead: DcLead = {
        leadGUID: guid(db.rng),
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
      db.leads.push(lead)
      return { leadGUID: lead.leadGUID }
    },
    s_lead_query: (d) => {
      if (d.leadGUID) return { list: db.leads.filter((l) => l.leadGUID === d.leadGUID) }
      if (d.projGUID && !projects.has(d.projGUID)) return fail(4001)
      return { list: db.leads.filter((l) => l.projGUID === d.projGUID && l.cstTel === d.phone) }
    },
    s_opportunity_identify: (d) => {
      if (!projects.has(d.projGUID)) return fail(4001)
      const c = (d.phone && db.customers.get(d.phone)) || (d.cardId && byCertNum(d.cardId))
      if (!c) return fail(2001)
      const found = [...db.opportunities.values()].some(
        (o) => o.cstGUID === c.cstGUID && o.projGUID === d.projGUID,
      )
      return { result: found ? 1 : 0 }
    },
    opportunity_info_create: (d) => {
      if (!projects.has(d.projGUID)) return fail(4001)
      const c = byGuid(d.cstGUID)
      if (!c) return fail(2001)
      const extra = definedOnly({
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
      const existing = [...db.opportunities.values()].find(
        (o) => o.cstGUID === c.cstGUID && o.projGUID === d.projGUID,
      )
      if (existing) {
        existing.status = d.status
        existing.cstWill = d.cstWill
        existing.extra = { ...existing.extra, ...extra }
        return { oppGUID: existing.oppGUID }
      }
      const opp: DcOpportunity = {
        oppGUID: guid(db.rng),
        cstGUID: c.cstGUID,
        projGUID: d.projGUID,
        userGUID: d.userGUID,
        status: d.status,
        cstWill: d.cstWill,
        extra,
      }
      db.opportunities.set(opp.oppGUID, opp)
      if (!c.projGUIDs.includes(d.projGUID)) c.projGUIDs.push(d.projGUID)
      return { oppGUID: opp.oppGUID }
    },
    cst_identify: (d) => {
      if (!projects.has(d.projGUID)) return fail(4001)
      const c = db.customers.get(d.cstMobile)
      const list = c
        ? db.followUps
            .filter((f) => f.cstGUID === c.cstGUID && f.projGUID === d.projGUID)
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
    base_project_list: (d) => {
      const pageSize = Math.min(Math.max(d.pageSize ?? 20, 1), 500)
      const page = Math.max(d.page ?? 1, 1)
      const since = d.syncTime?.slice(0, 19)
      const rows = since ? projectRows.filter((r) => r.lastModifyTime > since) : projectRows
      const totalPage = Math.ceil(rows.length / pageSize)
      const list = rows.slice((page - 1) * pageSize, page * pageSize)
      return {
        totalPage,
        page,
        ...(list.length > 0 ? { list, lastSyncTime: list[list.length - 1]!.lastModifyTime } : {}),
      }
    },
  }

  const respond = (
    header: { sid?: string | undefined; cmd?: string | undefined },
    errcode: number,
    errmsg: string,
    content: object,
    note: Record<string, unknown>,
  ): SandboxResponse => {
    const envelope = encodeEnvelope({
      appid: creds.dataCenterAppid,
      token: creds.token,
      appkey: creds.appkey,
      sid: header.sid || ownSids.next(),
      cmd: header.cmd || 'unknown',
      data: { errcode, errmsg, content },
    })
    return { status: 200, body: envelope, note: { ...note, errcode, errmsg } }
  }

  const handle = (req: SandboxRequest): SandboxResponse => {
    if (req.path !== '/openapi') {
      return {
        status: 404,
        body: { error: `no such endpoint ${req.path}` },
        note: { errcode: null },
      }
    }
    const errorReply = (
      code: number,
      header: { sid?: string; cmd?: string; appid?: string },
      data?: unknown,
      field?: string,
    ): SandboxResponse =>
      respond(
        header,
        code,
        dataCenterCodeText(code, field),
        {},
        {
          cmd: header.cmd ?? null,
          sid: header.sid ?? null,
          appid: header.appid ?? null,
          ...(data !== undefined ? { data } : {}),
        },
      )

    if (req.method !== 'POST') return errorReply(1003, {})
    let envelope: Envelope
    try {
      envelope = parseEnvelope(req.json)
    } catch {
      const h = isRecord(req.json) && isRecord(req.json.header) ? req.json.header : {}
      const pick = (k: string): string | undefined => (typeof h[k] === 'string' ? h[k] : undefined)
      return errorReply(
        1004,
        definedOnly({ sid: pick('sid'), cmd: pick('cmd'), appid: pick('appid') }),
      )
    }
    const { appid, sid, cmd } = envelope.header
    const header = { appid, sid, cmd }
    if (appid !== creds.appid) return errorReply(1011, header)

    let plaintext: string
    try {
      plaintext = verifyEnvelope(envelope, { token: creds.token, appkey: creds.appkey }).plaintext
    } catch (e) {
      if (e instanceof EnvelopeError) return errorReply(e.code, header)
      throw e
    }
    let data: unknown
    try {
      data = JSON.parse(plaintext) as unknown
    } catch {
      return errorReply(1004, header)
    }
    if (!isAnyDataCenterCommand(cmd)) return errorReply(1008, header, data)
    if (!parseSid(sid, appid)) return errorReply(1015, header, data)
    const sidKey = `${appid}:${sid}`
    if (db.seenSids.has(sidKey)) return errorReply(1013, header, data)
    db.seenSids.add(sidKey)

    const checked = checkRequest(cmd, data)
    if (!checked.ok) return errorReply(checked.code, header, data, checked.field)
    const out = (handlers[cmd] as Handler<typeof cmd>)(checked.data)
    if (out instanceof Reply) {
      return respond(header, out.code, out.errmsg, {}, { cmd, sid, appid, data })
    }
    return respond(header, 0, '', out, { cmd, sid, appid, data })
  }

  return {
    name: 'datacenter',
    keyOf(req) {
      const j = req.json
      if (isRecord(j) && isRecord(j.header) && typeof j.header.cmd === 'string') {
        return j.header.cmd
      }
      return req.path
    },
    handle,
    tamper(res) {
      // Alter the ciphertext after signing, as a man in the middle would: dataCode no longer
      // matches, so the client must reject the answer without decrypting it.
      if (!isRecord(res.body) || typeof res.body.data !== 'string') {
        return { ...res, body: { tampered: true } }
      }
      const bytes = Buffer.from(res.body.data, 'base64')
      if (bytes.length > 0) bytes[0] = bytes[0]! ^ 0x01
      return { ...res, body: { ...res.body, data: bytes.toString('base64') } }
    },
    reset() {
      db = seedWorld(world)
    },
    state(): DataCenterState {
      return {
        customers: [...db.customers.values()],
        leads: db.leads,
        opportunities: [...db.opportunities.values()],
        followUps: db.followUps,
        seenSids: db.seenSids.size,
      }
    },
  }
}
