/**
 * The sandbox's seeded world: agents, projects, call packages and the people behind the phone
 * numbers. Every sandbox double reads the same world, so one person shows up in weixin, the Data
 * Center, CDP, Rabbitpre and Miaosuan under the same mobile. Deterministic for a seed and a day.
 */
import { createRng, guid } from './random'
import {
  CITIES,
  GIVEN_FEMALE,
  GIVEN_MALE,
  MOBILE_PREFIXES,
  PACKAGE_NAMES,
  PROJECT_NAMES,
  SURNAMES,
} from './seed-names'

// tests/ipc/fuzz.test.ts draws from the sandbox's generator through this module
export { createRng, type Rng } from './random'

export interface SeedUser {
  user_id: number
  user_num: string
  pwd: string
  user_name: string
  /** get_user_status: only 活动 may work */
  status: '活动' | '停用' | '离职'
  projectIds: number[]
}

export interface SeedPackage {
  package_id: number
  package_name: string
  pro_id: number
  phones: string[]
}

export interface SeedProject {
  pro_id: number
  pro_name: string
  start_date: string
  end_date: string
  /** the Data Center's project id for the same project */
  projGUID: string
  /**
   * The CDP's own id for the same project (cdp-customer-tags.md's project_id), unrelated to
   * pro_id; absent when the CDP does not carry the project. Known to the app only through the
   * connection profile's mapping.
   */
  cdpProjectId?: string
  expired: boolean
  packages: SeedPackage[]
}

export interface SeedPerson {
  phone: string
  fullName: string
  /** how a call list names the owner: 李先生 / 王女士 */
  ownerName: string
  gender: 'M' | 'W'
  birthday: string
  province: string
  city: string
  region: string
  /** present when the Data Center already knows the customer */
  cstGUID?: string
  /** present when CDP has tags for the number */
  cdp?: { oneId: string; uid: string; projectId: string }
  /** present when Rabbitpre has an audience profile */
  rabbitpre?: { audienceUserId: number; wxNickname: string; active: number }
  /** present when the decoration CRM knows the person */
  miaosuanId?: number
}

export interface SeedWorld {
  seed: number
  today: string
  users: SeedUser[]
  projects: SeedProject[]
  people: Map<string, SeedPerson>
  callbackItems: { index: number; item_name: string }[]
  customerTypes: { name: string; value: string }[]
  genderTypes: { name: string; value: string }[]
}

export const DEFAULT_SEED = 20261122

export const CALLBACK_ITEMS = [
  '接受邀请',
  '继续跟进',
  '无人接听',
  '占线/稍后回电',
  '无意向',
  '已购房',
  '空号/错号',
  '关机/停机',
  '要求勿扰',
] as const

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0')
}

function isoDate(d: Date): string {
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`
}

function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return isoDate(d)
}

export function createSeedWorld(
  seed: number = DEFAULT_SEED,
  today: string = isoDate(new Date()),
): SeedWorld {
  const rng = createRng(seed)
  const people = new Map<string, SeedPerson>()
  let miaosuanNext = 1
  let audienceNext = 700

  const newPerson = (fixed?: { phone: string; fullName: string; gender: 'M' | 'W' }): string => {
    let phone = fixed?.phone
    while (phone === undefined || (people.has(phone) && !fixed)) {
      phone = rng.pick(MOBILE_PREFIXES) + pad(rng.int(0, 99_999_999), 8)
    }
    const gender = fixed?.gender ?? (rng.chance(0.5) ? 'M' : 'W')
    const surname = fixed ? fixed.fullName.slice(0, 1) : rng.pick(SURNAMES)
    const fullName =
      fixed?.fullName ?? surname + rng.pick(gender === 'M' ? GIVEN_MALE : GIVEN_FEMALE)
    const place = rng.pick(CITIES)
    const person: SeedPerson = {
      phone,
      fullName,
      ownerName: surname + (gender === 'M' ? '先生' : '女士'),
      gender,
      birthday: `${rng.int(1962, 2000)}-${pad(rng.int(1, 12), 2)}-${pad(rng.int(1, 28), 2)} 00:00:00`,
      province: place[0],
      city: place[1],
      region: place[2],
    }
    if (rng.chance(0.45)) person.cstGUID = guid(rng)
    if (rng.chance(0.6)) {
      person.cdp = {
        oneId: Array.from({ length: 32 }, () => rng.int(0, 15).toString(16)).join(''),
        uid: Array.from({ length: 32 }, () => rng.int(0, 15).toString(16)).join(''),
        projectId: String(rng.int(200, 320)),
      }
    }
    if (rng.chance(0.5)) {
      person.rabbitpre = {
        audienceUserId: audienceNext++,
        wxNickname: rng.pick(['小鱼', '阳光', '静待花开', 'Leo', '晴天', '木子', '一路向北']),
        active: rng.int(0, 400),
      }
    }
    if (rng.chance(0.3)) person.miaosuanId = miaosuanNext++
    people.set(phone, person)
    return phone
  }

  // The documents' own examples are seeded as they stand: 万科东荟城 (141) with package 467,
  // whose first number is 15920447900 李先生; 星汇云锦 as the recommend example.
  const projects: SeedProject[] = []
  let packageNext = 467
  const makeProject = (
    pro_id: number,
    pro_name: string,
    expired: boolean,
    packageCount: number,
  ): SeedProject => {
    const start = addDays(today, -rng.int(20, 120))
    const end = expired ? addDays(today, -rng.int(1, 60)) : addDays(today, rng.int(15, 180))
    const project: SeedProject = {
      pro_id,
      pro_name,
      start_date: expired ? addDays(end, -rng.int(30, 90)) : start,
      end_date: end,
      projGUID: guid(rng),
      expired,
      packages: [],
    }
    for (let i = 0; i < packageCount; i++) {
      const size = rng.int(8, 24)
      const pkg: SeedPackage = {
        package_id: packageNext++,
        package_name: PACKAGE_NAMES[(pro_id + i) % PACKAGE_NAMES.length] ?? `信息包 ${i + 1}`,
        pro_id,
        phones: Array.from({ length: size }, () => newPerson()),
      }
      project.packages.push(pkg)
    }
    projects.push(project)
    return project
  }

  const first = makeProject(141, '万科东荟城', false, 3)
  const firstPkg = first.packages[0]
  if (firstPkg) {
    firstPkg.package_name = 'VIP 客户'
    const example = newPerson({ phone: '15920447900', fullName: '李建华', gender: 'M' })
    firstPkg.phones.unshift(example)
  }
  makeProject(123, '星汇云锦', false, 2)
  let proNext = 150
  for (const name of PROJECT_NAMES) {
    if (name === '万科东荟城' || name === '星汇云锦') continue
    makeProject(proNext++, name, rng.chance(0.3), rng.int(1, 3))
  }

  const currentIds = projects.filter((p) => !p.expired).map((p) => p.pro_id)
  const allIds = projects.map((p) => p.pro_id)
  const users: SeedUser[] = [
    {
      user_id: 29,
      user_num: '00006',
      pwd: '888',
      user_name: '冯依敏',
      status: '活动',
      projectIds: allIds,
    },
    {
      user_id: 30,
      user_num: '00007',
      pwd: '888',
      user_name: '陈浩然',
      status: '活动',
      projectIds: currentIds.slice(0, 4),
    },
    {
      user_id: 31,
      user_num: '00008',
      pwd: '888',
      user_name: '林晓燕',
      status: '活动',
      projectIds: allIds.slice(2, 9),
    },
    {
      user_id: 32,
      user_num: '00009',
      pwd: '888',
      user_name: '赵立新',
      status: '停用',
      projectIds: allIds.slice(0, 3),
    },
    {
      user_id: 33,
      user_num: '00010',
      pwd: '888',
      user_name: '周文博',
      status: '活动',
      projectIds: [],
    },
    // a realistic password, long enough for leak tests to search for
    {
      user_id: 34,
      user_num: '00011',
      pwd: 'Qh7#kLm2-冯9',
      user_name: '郭子轩',
      status: '活动',
      projectIds: currentIds.slice(0, 3),
    },
  ]

  addMessyData(seed, projects, people, users)

  return {
    seed,
    today,
    users,
    projects,
    people,
    callbackItems: CALLBACK_ITEMS.map((item_name, index) => ({ index, item_name })),
    customerTypes: [
      { name: '一般客', value: '01' },
      { name: '观望客', value: '02' },
      { name: '重要客', value: '03' },
    ],
    genderTypes: [
      { name: '--', value: 'U' },
      { name: '女', value: 'W' },
      { name: '男', value: 'M' },
    ],
  }
}

/** A project name longer than the Data Center's projName (50, §4.1.3): real lists have them. */
export const LONG_PROJECT_NAME =
  '广州市天河区珠江新城花城大道华润天河润府二期（含商业综合体、甲级写字楼及配套服务式公寓）首批住宅组团推广专场'
/** An owner "name" that is a company with its contact, longer than any name field of ours. */
export const LONG_OWNER_NAME =
  '广州市天河区珠江新城花城大道某某房地产经纪有限公司（代客户王先生及其家属看房，联系人为王先生的助理陈小姐，工作日上午九点至十二点联系，周末及节假日请勿来电打扰）'

/**
 * Real call lists are messy, so the seeded ones are too: landlines with area codes, numbers with
 * extensions, 400 numbers, blank owner names, owner names and a project name longer than our
 * limits, and numbers that are on more than one list. Drawn from their own generator after the
 * rest of the world, so the documents' examples and every other seeded value stay as they were.
 * The CDP's project ids are assigned here too (300, 301, … in project order; the long-named
 * project is not on the CDP).
 */
function addMessyData(
  seed: number,
  projects: SeedProject[],
  people: Map<string, SeedPerson>,
  users: SeedUser[],
): void {
  const rng = createRng((seed ^ 0x6d657373) >>> 0)
  projects.forEach((p, i) => (p.cdpProjectId = String(300 + i)))
  const add = (phone: string, ownerName: string): string => {
    const place = rng.pick(CITIES)
    people.set(phone, {
      phone,
      fullName: ownerName,
      ownerName,
      gender: rng.chance(0.5) ? 'M' : 'W',
      birthday: `${rng.int(1962, 2000)}-0${rng.int(1, 9)}-1${rng.int(0, 9)} 00:00:00`,
      province: place[0],
      city: place[1],
      region: place[2],
    })
    return phone
  }
  const digits = (n: number): string => Array.from({ length: n }, () => rng.int(0, 9)).join('')
  const mobile = (): string => {
    let phone = ''
    while (phone === '' || people.has(phone)) phone = rng.pick(MOBILE_PREFIXES) + digits(8)
    return phone
  }
  const landline = add(`020-${rng.int(2, 8)}${digits(7)}`, `${rng.pick(SURNAMES)}先生`)
  const extension = add(
    `020-${rng.int(2, 8)}${digits(7)}-${digits(3)}`,
    `${rng.pick(SURNAMES)}女士`,
  )
  const extension2 = add(
    `0755-${rng.int(2, 8)}${digits(7)}转${digits(4)}`,
    `${rng.pick(SURNAMES)}先生`,
  )
  const toll = add(`400-${digits(3)}-${digits(4)}`, `${rng.pick(SURNAMES)}经理`)
  const toll2 = add(`400${digits(7)}`, '')
  const blank = add(mobile(), '')
  const spaces = add(mobile(), '   ')
  const longOwner = add(mobile(), LONG_OWNER_NAME)

  // the documents' package 467 keeps its first numbers; a landline comes at its end (a blank
  // name on a mobile would leave its Data Center customer without a gender to send: that case
  // lives in the messy project, where the tests that expect it look)
  const first = projects.find((p) => p.pro_id === 141)?.packages[0]
  first?.phones.push(landline)
  const second = projects.find((p) => p.pro_id === 123)?.packages[0]
  second?.phones.push(extension, longOwner)

  // a current project whose name is longer than 50, its list messy from the first number on,
  // sharing numbers with package 467 (the same person on two lists)
  const shared = first?.phones.slice(1, 3) ?? []
  const start = projects.find((p) => !p.expired) ?? projects[0]
  const nextId = Math.max(...projects.map((p) => p.pro_id)) + 1
  const nextPackage = Math.max(...projects.flatMap((p) => p.packages.map((k) => k.package_id))) + 1
  projects.push({
    pro_id: nextId,
    pro_name: LONG_PROJECT_NAME,
    start_date: start?.start_date ?? '2026-01-01',
    end_date: start?.end_date ?? '2099-12-31',
    projGUID: guid(rng),
    expired: false,
    packages: [
      {
        package_id: nextPackage,
        package_name: '老业主转介（含座机、400 及分机号码）',
        pro_id: nextId,
        phones: [landline, extension2, toll, toll2, spaces, longOwner, ...shared, blank],
      },
    ],
  })
  for (const u of users)
    if (u.status === '活动' && u.user_num === '00006') u.projectIds.push(nextId)
}

/** Sandbox credentials for the Data Center: sandbox values, printed by `npm run sandbox`. */
export const SANDBOX_DATACENTER = {
  /** this app's appid: 3XX is the range for 案场 systems (§2.2) */
  appid: '301',
  token: 'sandbox-token-52e41ab0d3eee56b725e3e29',
  appkey: 'sandbox-appkey-S_+SFO!fH.7qj_CEIKgCoSRfYr&e%,zAL1-*UEW7D]V$o4Cc',
  /** the Data Center's own appid (1XX), which signs its responses */
  dataCenterAppid: '100',
} as const

/** Sandbox keys for the enrichment systems: sandbox values, not secrets. */
export const SANDBOX_ENRICHMENT = {
  cdpHost: '3322-2.ipaas.myqcloud.com',
  rabbitpreCompanyId: '31',
  miaosuanUserId: 38,
} as const
