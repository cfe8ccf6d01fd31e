import { guid, personRng } from '../random'
import type { SeedWorld } from '../seed'

/**
 * The Data Center's consultants (§4.1.5) and their projects (§4.1.4), seeded from the weixin
 * users: every seeded agent is a consultant whose 账号 (userCode) is the agent's 工号
 * (user_num), so an app maps 工号 → userGUID with base_consultant_list. A user who may not work
 * at weixin (停用, 离职) is listed with isDisabled 1. One more consultant works only at the sales
 * office (no weixin login), as a real roster has people the call center does not know. Each
 * userGUID is drawn from the 工号 alone, so it stays the same whatever else the seed holds.
 */

export interface DcConsultant {
  userGUID: string
  userName: string
  userCode: string
  mobile: string
  /** 0 有效, 1 无效 */
  isDisabled: 0 | 1
  createdOn: string
}

export interface DcConsultantProject {
  userGUID: string
  projGUID: string
  stationName: string
  stationGUID: string
  parentStationGUID: string
  parentStationName: string
  createdOn: string
}

export interface Roster {
  consultants: DcConsultant[]
  projects: DcConsultantProject[]
}

/** the consultant who is not a weixin agent */
export const OFFICE_ONLY_CODE = 'XS-0001'

export function consultantGuid(seed: number, userCode: string): string {
  return guid(personRng(seed, userCode, 'dc-consultant'))
}

export function createRoster(world: SeedWorld): Roster {
  const createdOn = `${world.today} 00:00:00`
  const station = guid(personRng(world.seed, 'station', 'dc-station'))
  const parent = guid(personRng(world.seed, 'manager', 'dc-station'))
  const guidOf = new Map(world.projects.map((p) => [p.pro_id, p.projGUID]))
  const consultants: DcConsultant[] = world.users.map((u) => ({
    userGUID: consultantGuid(world.seed, u.user_num),
    userName: u.user_name,
    userCode: u.user_num,
    mobile: `138${u.user_num.padStart(8, '0').slice(-8)}`,
    isDisabled: u.status === '活动' ? 0 : 1,
    createdOn,
  }))
  consultants.push({
    userGUID: consultantGuid(world.seed, OFFICE_ONLY_CODE),
    userName: '案场置业顾问',
    userCode: OFFICE_ONLY_CODE,
    mobile: '13899990001',
    isDisabled: 0,
    createdOn,
  })
  const projects: DcConsultantProject[] = []
  for (const u of world.users) {
    for (const id of u.projectIds) {
      const projGUID = guidOf.get(id)
      if (!projGUID) continue
      projects.push({
        userGUID: consultantGuid(world.seed, u.user_num),
        projGUID,
        stationName: '置业顾问',
        stationGUID: station,
        parentStationGUID: parent,
        parentStationName: '销售经理',
        createdOn,
      })
    }
  }
  return { consultants, projects }
}
