import { describe, expect, it } from 'vitest'
import { encodeEnvelope, verifyAndDecodeEnvelope } from '../../../electron/core/datacenter/envelope'
import { SequentialSidGenerator } from '../../../electron/core/datacenter/sid'
import {
  consultantGuid,
  createDataCenterServerDef,
  MAX_BODY_BYTES,
  OFFICE_ONLY_CODE,
  type DataCenterState,
} from '../../../electron/sandbox/datacenter'
import type { SandboxResponse } from '../../../electron/sandbox/framework'
import { createSeedWorld, SANDBOX_DATACENTER } from '../../../electron/sandbox/seed'

/**
 * The §5 codes the Data Center double produces beyond the field checks, each from the request
 * that provokes it, and the opportunity and consultant commands the report flow depends on.
 */

const creds = SANDBOX_DATACENTER
const world = createSeedWorld(5, '2026-11-22')
const sids = new SequentialSidGenerator({ appid: creds.appid })
const projGUID = world.projects[0]!.projGUID
const known = [...world.people.values()].find((p) => p.cstGUID)!
const consultant = consultantGuid(world.seed, '00006')

type Answer = { errcode: number; errmsg: string; content: Record<string, unknown> }

function raw(def: ReturnType<typeof createDataCenterServerDef>, rawBody: string): SandboxResponse {
  let json: unknown
  try {
    json = JSON.parse(rawBody) as unknown
  } catch {
    json = undefined
  }
  const res = def.handle({
    method: 'POST',
    path: '/openapi',
    query: new URLSearchParams(),
    headers: {},
    rawBody,
    json,
  })
  if (res instanceof Promise) throw new Error('the Data Center double answers synchronously')
  return res
}

const decode = (res: SandboxResponse): Answer =>
  verifyAndDecodeEnvelope(res.body, {
    token: creds.token,
    appkey: creds.appkey,
    expectedAppid: creds.dataCenterAppid,
  }) as Answer

function sender(opts?: Parameters<typeof createDataCenterServerDef>[2]) {
  const def = createDataCenterServerDef(world, creds, opts)
  const send = (cmd: string, data: unknown): Answer =>
    decode(raw(def, JSON.stringify(encodeEnvelope({ ...creds, sid: sids.next(), cmd, data }))))
  return { def, send, state: () => def.state() as DataCenterState }
}

describe('system codes (§5.1) the sandbox produces', () => {
  it('1006 请求数据过大: an HTTP body over 64 KiB, whatever it holds', () => {
    const { def } = sender()
    const big = encodeEnvelope({
      ...creds,
      sid: sids.next(),
      cmd: 'cst_info_get',
      data: { mobile: known.phone, padding: 'x'.repeat(MAX_BODY_BYTES) },
    })
    expect(decode(raw(def, JSON.stringify(big)))).toMatchObject({
      errcode: 1006,
      errmsg: '请求数据过大',
    })
    // just under the limit is judged normally
    const small = encodeEnvelope({
      ...creds,
      sid: sids.next(),
      cmd: 'cst_info_get',
      data: { mobile: known.phone, padding: 'x'.repeat(MAX_BODY_BYTES / 2) },
    })
    expect(decode(raw(def, JSON.stringify(small))).errcode).toBe(0)
  })

  it('1007 请求数据缺失: an empty body, an envelope without data, an empty data', () => {
    const { def } = sender()
    expect(decode(raw(def, ''))).toMatchObject({ errcode: 1007, errmsg: '请求数据缺失' })
    const env = encodeEnvelope({ ...creds, sid: sids.next(), cmd: 'cst_info_get', data: {} })
    expect(decode(raw(def, JSON.stringify({ header: env.header }))).errcode).toBe(1007)
    const empty = raw(def, JSON.stringify({ ...env, data: '' }))
    expect(decode(empty).errcode).toBe(1007)
    // the answer still carries the request's SID and cmd
    expect(empty.body).toMatchObject({ header: { sid: env.header.sid, cmd: 'cst_info_get' } })
  })

  it('1010 接口权限验证失败: a command the appid may not call', () => {
    const { send } = sender({ permissions: { [creds.appid]: ['cst_info_get'] } })
    expect(send('cst_info_get', { mobile: known.phone }).errcode).toBe(0)
    expect(send('cst_identify', { cstMobile: known.phone, projGUID })).toMatchObject({
      errcode: 1010,
      errmsg: '接口权限验证失败',
    })
    // checked after 1008: an unknown command is still 1008
    expect(send('no_such_cmd', {}).errcode).toBe(1008)
  })

  it('an unknown appid: no response data at all (§3.2 step 5), not a 1011 envelope', () => {
    const { def } = sender()
    const other = { ...creds, appid: '399' }
    const env = encodeEnvelope({
      ...other,
      sid: '39926112210304500000',
      cmd: 'cst_info_get',
      data: {},
    })
    const res = raw(def, JSON.stringify(env))
    expect([res.status, res.body]).toEqual([200, ''])
  })
})

describe('business codes (§5.2) the sandbox produces', () => {
  const follow = (over: Record<string, unknown> = {}) => ({
    cstGUID: known.cstGUID,
    projGUID,
    followTime: '2026-11-22 09:30:00',
    followType: 1,
    userGUID: consultant,
    oppGUID: 'no-such-opp',
    cstWill: 'B',
    ...over,
  })
  const opp = (over: Record<string, unknown> = {}) => ({
    cstGUID: known.cstGUID,
    projGUID,
    userGUID: consultant,
    status: '问询',
    cstWill: 'B',
    ...over,
  })

  it('4001 项目不存在 for every command that names a project', () => {
    const { send } = sender()
    const nope = 'no-such-project'
    for (const [cmd, data] of [
      ['cst_follow_update', follow({ projGUID: nope })],
      ['opportunity_info_create', opp({ projGUID: nope })],
      ['opportunity_info_update', { ...opp({ projGUID: nope }), oppGUID: 'x' }],
      ['opportunity_info_query', { cstGUID: known.cstGUID, projGUID: nope }],
      ['s_lead_identify', { phone: known.phone, projGUID: nope }],
      ['cst_identify', { cstMobile: known.phone, projGUID: nope }],
    ] as const) {
      expect([cmd, send(cmd, data)]).toMatchObject([cmd, { errcode: 4001, errmsg: '项目不存在' }])
    }
  })

  it('cst_follow_update checks in the document order: 4001, 2001, 4002 (consultant), 9003', () => {
    const { send } = sender()
    const bad = { projGUID: 'no', cstGUID: 'no', userGUID: 'no', oppGUID: 'no' }
    expect(send('cst_follow_update', follow(bad)).errcode).toBe(4001)
    expect(send('cst_follow_update', follow({ ...bad, projGUID })).errcode).toBe(2001)
    expect(send('cst_follow_update', follow({ userGUID: 'no', oppGUID: 'no' }))).toMatchObject({
      errcode: 4002,
      errmsg: '置业顾问不存在',
    })
    expect(send('cst_follow_update', follow())).toMatchObject({
      errcode: 9003,
      errmsg: '销售机会编号不存在',
    })
    // a consultant who has no weixin login is on the roster too
    const office = consultantGuid(world.seed, OFFICE_ONLY_CODE)
    expect(send('cst_follow_update', follow({ userGUID: office })).errcode).toBe(9003)
  })

  it('9003 for an unknown oppGUID in update and query; another customer’s opportunity too', () => {
    const { send } = sender()
    const { oppGUID } = send('opportunity_info_create', opp()).content as { oppGUID: string }
    expect(send('opportunity_info_update', { ...opp(), oppGUID: 'nope' }).errcode).toBe(9003)
    expect(send('opportunity_info_query', { oppGUID: 'nope' }).errcode).toBe(9003)
    const other = [...world.people.values()].find((p) => p.cstGUID && p !== known)!
    expect(
      send('opportunity_info_update', { ...opp({ cstGUID: other.cstGUID }), oppGUID }).errcode,
    ).toBe(9003)
  })
})

describe('opportunities as the document has them', () => {
  it('create always creates; query lists them by customer and project; update changes one', () => {
    const { send, state } = sender()
    const fresh = [...world.people.values()].find(
      (p) => p.cstGUID && !state().opportunities.some((o) => o.cstGUID === p.cstGUID),
    )!
    const base = { cstGUID: fresh.cstGUID, projGUID, userGUID: consultant, cstWill: 'C' }
    const a = send('opportunity_info_create', { ...base, status: '问询' }).content.oppGUID
    const b = send('opportunity_info_create', { ...base, status: '问询' }).content.oppGUID
    expect(a).not.toBe(b)
    expect(state().opportunities.filter((o) => o.cstGUID === fresh.cstGUID)).toHaveLength(2)

    const upd = send('opportunity_info_update', {
      ...base,
      oppGUID: a,
      status: '签约',
      cstWill: 'A',
    })
    expect(upd.errcode).toBe(0)
    const one = send('opportunity_info_query', { oppGUID: a }).content.list as Record<
      string,
      unknown
    >[]
    expect(one).toEqual([
      expect.objectContaining({
        oppGUID: a,
        cstGUID: fresh.cstGUID,
        projGUID,
        status: '签约',
        cstWill: 'A',
        firstCstWill: 'C',
      }),
    ])
    const both = send('opportunity_info_query', { cstGUID: fresh.cstGUID, projGUID }).content
      .list as { oppGUID: string }[]
    expect(both.map((o) => o.oppGUID)).toEqual([a, b])
    const none = send('opportunity_info_query', {
      cstGUID: fresh.cstGUID,
      projGUID: world.projects[1]!.projGUID,
    })
    expect(none).toMatchObject({ errcode: 0, content: { list: [] } })
    expect(send('opportunity_info_query', { cstGUID: 'nope', projGUID }).errcode).toBe(2001)
    expect(send('opportunity_info_query', { cstGUID: fresh.cstGUID })).toMatchObject({
      errcode: 1001,
      errmsg: '缺少必须参数[projGUID]',
    })
    // 赢得 is a status of update (4.3.8), not of create (4.3.5)
    expect(send('opportunity_info_create', { ...base, status: '赢得' }).errcode).toBe(1002)
    expect(send('opportunity_info_update', { ...base, oppGUID: a, status: '赢得' }).errcode).toBe(0)
  })
})

describe('consultants (§4.1.4, §4.1.5)', () => {
  it('base_consultant_list: every seeded agent by 工号 (userCode), the office-only one, no password', () => {
    const { send } = sender()
    const r = send('base_consultant_list', { pageSize: 500 })
    const list = r.content.list as {
      userGUID: string
      userCode: string
      userName: string
      isDisabled: number
      password: string
    }[]
    expect(list.map((c) => c.userCode).sort()).toEqual(
      [...world.users.map((u) => u.user_num), OFFICE_ONLY_CODE].sort(),
    )
    const fengYimin = list.find((c) => c.userCode === '00006')!
    expect(fengYimin).toMatchObject({ userGUID: consultant, userName: '冯依敏', isDisabled: 0 })
    // 停用 at weixin: listed, but disabled
    expect(list.find((c) => c.userCode === '00009')?.isDisabled).toBe(1)
    expect(new Set(list.map((c) => c.password))).toEqual(new Set(['******']))
    expect(r.content).toMatchObject({ page: 1, totalPage: 1 })
    // paging: two a page
    const p2 = send('base_consultant_list', { page: 2, pageSize: 2 }).content
    expect(p2.totalPage).toBe(Math.ceil(list.length / 2))
    expect((p2.list as unknown[]).length).toBe(2)
  })

  it('base_consultantProj_list: each agent in the projects weixin lets it call', () => {
    const { send } = sender()
    const list = send('base_consultantProj_list', { pageSize: 500 }).content.list as {
      userGUID: string
      projGUID: string
      stationName: string
    }[]
    const agent = world.users.find((u) => u.user_num === '00007')!
    const guids = new Set(
      world.projects.filter((p) => agent.projectIds.includes(p.pro_id)).map((p) => p.projGUID),
    )
    const mine = list.filter((r) => r.userGUID === consultantGuid(world.seed, '00007'))
    expect(new Set(mine.map((r) => r.projGUID))).toEqual(guids)
    expect(mine[0]?.stationName).toBe('置业顾问')
  })
})
