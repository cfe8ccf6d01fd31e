import type { SandboxRequest, SandboxResponse, SandboxServerDef } from './framework'
import { hexDigits, personRng } from './random'
import { SANDBOX_ENRICHMENT, type SeedPerson, type SeedWorld } from './seed'

/**
 * The Rabbitpre audience detail double (rabbitpre-audience-detail.md). POST JSON only.
 *
 * Answers (HTTP 200, JSON {code, errorCode, msg, data}):
 * - profiles: code "200", errorCode "SUCCESS", msg "ok", data = the profiles matching any of
 *   phoneList / audienceUserIdList / thirdIdList (possibly []);
 * - a request less than 1000 ms after the previous accepted one of the same companyId:
 *   code "429", msg exactly "操作频繁,请稍后重试"; it does not count as accepted;
 * - the three lists all empty, a list that is not an array, a body that is not an object: "400";
 * - companyId missing: "401"; a companyId other than the sandbox account: "403".
 */

export interface RabbitpreServerOptions {
  /** the server's clock for the rate limit; tests pass a fake one */
  now?: () => number
}

export const RABBITPRE_RATE_LIMIT_MSG = '操作频繁,请稍后重试'
const WINDOW_MS = 1_000
const PATH = '/api/audience/detail'

const CHANNELS = [
  { type: 'FIXED', name: '抖音信息流投放', dept: '品牌营销部' },
  { type: 'FIXED', name: '楼盘公众号', dept: '新媒体中心' },
  { type: 'FIXED', name: '朋友圈广告', dept: '品牌营销部' },
  { type: 'EMPLOYEE', name: '陈浩然', dept: '置业顾问一组' },
  { type: 'EMPLOYEE', name: '林晓燕', dept: '置业顾问二组' },
] as const
const APP_TYPES = [
  '微信',
  '公众号',
  '企业微信',
  '内容小程序',
  '知客名片',
  '今日头条',
  '其他',
] as const

export function createRabbitpreServerDef(
  world: SeedWorld,
  opts: RabbitpreServerOptions = {},
): SandboxServerDef {
  const now = opts.now ?? Date.now
  const companyId = SANDBOX_ENRICHMENT.rabbitpreCompanyId
  const profiles = [...world.people.values()]
    .filter((p) => p.rabbitpre !== undefined)
    .map((p) => profileFor(world, p))
  const byPhone = new Map(profiles.map((p) => [p.phone, p]))
  const byAudience = new Map(profiles.map((p) => [p.audienceUserId, p]))
  const byThird = new Map(
    profiles.filter((p) => p.thirdId !== undefined).map((p) => [p.thirdId as string, p]),
  )
  let lastAccepted = new Map<string, number>()

  const fail = (code: string, msg: string, note: Record<string, unknown>): SandboxResponse => ({
    status: 200,
    body: { code, errorCode: code, msg, data: null },
    note: { ...note, outcome: code },
  })

  const handle = (req: SandboxRequest): SandboxResponse => {
    if (req.path !== PATH) {
      return { status: 404, body: { code: '404', errorCode: '404', msg: 'Not Found', data: null } }
    }
    if (req.method !== 'POST') {
      return { status: 405, body: 'Method Not Allowed', contentType: 'text/plain; charset=utf-8' }
    }
    const body = req.json
    const obj =
      typeof body === 'object' && body !== null && !Array.isArray(body)
        ? (body as Record<string, unknown>)
        : undefined
    const account = typeof obj?.companyId === 'string' ? obj.companyId : ''
    const phones = Array.isArray(obj?.phoneList) ? obj.phoneList : []
    const note: Record<string, unknown> = { phones, companyId: account }

    // The limiter sits in front of everything, as a gateway's would.
    const t = now()
    const prev = lastAccepted.get(account)
    if (prev !== undefined && t - prev < WINDOW_MS) {
      return fail('429', RABBITPRE_RATE_LIMIT_MSG, { ...note, sinceLastMs: t - prev })
    }
    lastAccepted.set(account, t)

    if (!obj) return fail('400', '请求体必须是 JSON 对象', note)
    if (account === '') return fail('401', '缺少 companyId，且未能通过 token 确定企业', note)
    if (account !== companyId) return fail('403', '无权访问该企业的客户数据', note)
    const lists = {} as Record<'phoneList' | 'audienceUserIdList' | 'thirdIdList', unknown[]>
    for (const name of ['phoneList', 'audienceUserIdList', 'thirdIdList'] as const) {
      const v = obj[name]
      if (v !== undefined && v !== null && !Array.isArray(v)) {
        return fail('400', `${name} 必须是数组`, note)
      }
      lists[name] = Array.isArray(v) ? v : []
    }
    if (lists.phoneList.length + lists.audienceUserIdList.length + lists.thirdIdList.length === 0) {
      return fail('400', 'audienceUserIdList,thirdIdList,phoneList这3个集合参数不能同时为空', note)
    }
    const found = new Set<Profile>()
    for (const p of lists.phoneList) {
      const hit = byPhone.get(String(p))
      if (hit) found.add(hit)
    }
    for (const id of lists.audienceUserIdList) {
      const hit = byAudience.get(Number(id))
      if (hit) found.add(hit)
    }
    for (const id of lists.thirdIdList) {
      const hit = byThird.get(String(id))
      if (hit) found.add(hit)
    }
    const data = [...found]
    return {
      status: 200,
      body: { code: '200', errorCode: 'SUCCESS', msg: 'ok', data },
      note: { ...note, matched: data.length, outcome: 'ok' },
    }
  }

  return {
    name: 'rabbitpre',
    keyOf: (req) => req.path,
    handle,
    // Keeps the envelope but gives a profile an undocumented sex, so only data checks notice.
    tamper: (res) => {
      const body = res.body as { data?: unknown } | string
      if (typeof body !== 'object' || body === null) return res
      if (Array.isArray(body.data) && body.data.length > 0) {
        const [first, ...rest] = body.data as Record<string, unknown>[]
        return { ...res, body: { ...body, data: [{ ...first, sex: '男' }, ...rest] } }
      }
      return { ...res, body: { ...body, data: 'tampered' } }
    },
    reset: () => {
      lastAccepted = new Map()
    },
    state: () => ({
      companyId,
      lastAccepted: Object.fromEntries(lastAccepted),
      profiles: profiles.map((p) => ({ phone: p.phone, audienceUserId: p.audienceUserId })),
    }),
  }
}

type Profile = ReturnType<typeof profileFor>

/** A profile as the document describes it; the same for a person and a world every time. */
export function profileFor(world: SeedWorld, person: SeedPerson) {
  const rp = person.rabbitpre ?? { audienceUserId: 0, wxNickname: '', active: 0 }
  const rng = personRng(world.seed, person.phone, 'rabbitpre')
  const today = Date.parse(`${world.today}T00:00:00+08:00`)
  const created = today - rng.int(30, 900) * 86_400_000 - rng.int(0, 86_399) * 1000
  const lastActive = today - rng.int(0, 30) * 86_400_000 + rng.int(8 * 3600, 22 * 3600) * 1000
  const channel = rng.pick(CHANNELS)
  const sourceCnl = 900 + CHANNELS.indexOf(channel)
  const weekCount = Math.min(rp.active, rng.int(0, 25))
  const monthCount = Math.min(rp.active, weekCount + rng.int(0, 60))
  const spread = rng.int(0, 40)
  const appid = `wx${hexDigits(rng, 16)}`
  const openid = `o${hexDigits(rng, 27)}`
  const unionid = `o${hexDigits(rng, 27)}`
  const project = rng.pick(world.projects)
  const ipCity = rng.chance(0.8)
    ? { province: person.province, city: person.city }
    : rng.pick([
        { province: '广东', city: '广州' },
        { province: '广东', city: '深圳' },
        { province: '上海', city: '上海' },
      ])
  const profile = {
    orgId: '10031',
    createTime: chinaDateTime(created),
    audienceUserId: rp.audienceUserId,
    openids: [
      {
        openid,
        unionid,
        fromTo: 'gzh',
        appid,
        platform: 'gzh',
        jcappid: 412,
        identityId: openid,
        identityType: 'openid',
      },
    ],
    unionid,
    mpAppid: appid,
    phoneList: [{ phone: person.phone, isVerify: rng.chance(0.8) ? '1' : '0' }],
    ...(rng.chance(0.7) ? { realName: person.fullName } : {}),
    sex: rng.chance(0.85) ? (person.gender === 'M' ? 1 : 2) : 0,
    wxNickname: rp.wxNickname,
    wxCountry: '中国',
    wxProvince: person.province,
    wxCity: person.city,
    province: ipCity.province,
    city: ipCity.city,
    ...(rng.chance(0.4) ? { lbsProvince: person.province, lbsCity: person.city } : {}),
    addressList: [],
    ...(rng.chance(0.5)
      ? { birthday: Date.parse(`${person.birthday.slice(0, 10)}T00:00:00+08:00`) }
      : {}),
    ...(rng.chance(0.2)
      ? { remark: rng.pick(['看过样板间', '关注学区', '二胎改善', '首套刚需']) }
      : {}),
    lastActiveTime: lastActive,
    gzhInteractTime: lastActive - rng.int(0, 5) * 86_400_000,
    markFlag: rng.chance(0.15) ? 1 : 0,
    userType: ['个人'],
    industry: [],
    subWechatList: [{ appid, wechatName: `${project.pro_name}置业` }],
    sourceAudid: rng.int(100, 699),
    sourceCnl,
    sourceCnlName: channel.name,
    sourceCnlDeptId: 480 + CHANNELS.indexOf(channel),
    sourceCnlDeptName: channel.dept,
    sourceCnlType: channel.type,
    sourceAppType: rng.pick(APP_TYPES),
    active: rp.active,
    weekActive: { count: weekCount, updateTime: today },
    monthActive: { count: monthCount, updateTime: today },
    spread,
    weekSpread: { count: Math.min(spread, rng.int(0, 5)), updateTime: today },
    monthSpread: { count: Math.min(spread, rng.int(0, 15)), updateTime: today },
    phone: person.phone,
    wechatList: [
      {
        appid,
        wechatName: `${project.pro_name}置业`,
        gzhInteractTime: lastActive,
        firstSubDate: created,
        firstSubSourceCnlType: channel.type,
        firstSubSourceCnl: sourceCnl,
        firstSubSourceCnlDeptId: 480 + CHANNELS.indexOf(channel),
        firstSubSourceTaskId: rng.int(500, 699),
      },
    ],
    ...(person.cstGUID ? { thirdId: person.cstGUID } : {}),
  }
  return profile as typeof profile & { thirdId?: string }
}

function chinaDateTime(ms: number): string {
  return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ')
}
