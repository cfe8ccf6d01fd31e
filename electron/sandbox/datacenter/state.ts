import { createRng, guid, type Rng } from '../random'
import type { SeedWorld } from '../seed'
import { consultantGuid } from './roster'

/**
 * The Data Center double's business state (customers, leads, opportunities, follow-ups and the
 * SIDs it has seen), seeded from the shared world: every person with a cstGUID is a customer in
 * the projects whose call packages hold their number, and about half of them already have an
 * opportunity and some follow-ups there.
 */

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
  /** 首次购房意向: the cstWill it was created with (4.3.8 updates only the current one) */
  firstCstWill?: string
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

export interface World {
  customers: Map<string, DcCustomer>
  leads: DcLead[]
  opportunities: Map<string, DcOpportunity>
  followUps: DcFollowUp[]
  seenSids: Set<string>
  rng: Rng
}

export const pad = (n: number, w = 2): string => String(n).padStart(w, '0')

function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`
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

export function seedWorld(world: SeedWorld): World {
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
      userGUID: consultantGuid(world.seed, user.user_num),
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
