import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  DataCenterClient,
  isDuplicateSid,
  type DataCenterClientConfig,
} from '../../../electron/core/datacenter/client'
import {
  computeAuthCode,
  computeDataCode,
  encodeEnvelope,
  encryptText,
  verifyAndDecodeEnvelope,
} from '../../../electron/core/datacenter/envelope'
import { SequentialSidGenerator } from '../../../electron/core/datacenter/sid'
import { RemoteError } from '../../../electron/core/errors'
import { nodeHttpTransport, type HttpTransport } from '../../../electron/core/http/transport'
import {
  consultantGuid,
  createDataCenterServerDef,
  type DataCenterState,
} from '../../../electron/sandbox/datacenter'
import { SandboxServer, type SandboxRecord } from '../../../electron/sandbox/framework'
import { createSeedWorld, SANDBOX_DATACENTER } from '../../../electron/sandbox/seed'

const world = createSeedWorld(1, '2026-11-22')
const server = new SandboxServer(createDataCenterServerDef(world))
// one generator for the whole file: the sandbox remembers SIDs until reset
const sids = new SequentialSidGenerator({ appid: SANDBOX_DATACENTER.appid })
let endpoint = ''

beforeAll(async () => {
  endpoint = `${await server.listen(0)}/openapi`
})
afterAll(async () => {
  await server.close()
})
beforeEach(() => {
  server.reset()
})

function client(over: Partial<DataCenterClientConfig> = {}): DataCenterClient {
  return new DataCenterClient({
    endpoint,
    appid: SANDBOX_DATACENTER.appid,
    token: SANDBOX_DATACENTER.token,
    appkey: SANDBOX_DATACENTER.appkey,
    dataCenterAppid: SANDBOX_DATACENTER.dataCenterAppid,
    sid: sids,
    timeoutMs: 3000,
    ...over,
  })
}

async function failure(p: Promise<unknown>): Promise<RemoteError> {
  const r = await p.then(
    () => undefined,
    (e: unknown) => e,
  )
  if (!(r instanceof RemoteError)) throw new Error(`expected a RemoteError, got ${String(r)}`)
  return r
}

const state = (): DataCenterState => server.def.state() as DataCenterState
const notes = (): Record<string, unknown>[] =>
  server.getRecords().map((r: SandboxRecord) => r.note ?? {})

/** a consultant on the sandbox roster: agent 00006's */
const consultant = consultantGuid(world.seed, '00006')
const project = world.projects[0]!
const projGUID = project.projGUID
const known = [...world.people.values()].find((p) => p.cstGUID)!
const unknownMobile = (() => {
  for (let n = 13_900_000_000; ; n++) if (!world.people.has(String(n))) return String(n)
})()
const newCustomer = {
  projGUID,
  customerName: '王小明',
  gender: 1 as const,
  mobile: unknownMobile,
  userGUID: consultant,
}

describe('commands against the sandbox', () => {
  it('cst_info_get returns the seeded customer; an unknown mobile is 1012', async () => {
    const c = client()
    const info = await c.cstInfoGet({ mobile: known.phone })
    expect(info).toMatchObject({
      cstGUID: known.cstGUID,
      customerName: known.fullName,
      mobile: known.phone,
      gender: known.gender === 'M' ? 1 : 2,
      birthday: known.birthday,
      homeProvince: known.province,
      homeCity: known.city,
      homeRegion: known.region,
      custType: 1,
    })
    expect(info.address).toContain(known.region)
    const e = await failure(c.cstInfoGet({ mobile: unknownMobile }))
    expect([e.kind, e.code, e.message]).toEqual(['remote', 1012, '数据中心：查询的记录不存在'])
  })

  it('cst_info_create creates once (2002 after), checks the mobile (9002) and project (4001)', async () => {
    const c = client()
    const { cstGUID } = await c.cstInfoCreate(newCustomer)
    expect(cstGUID).toMatch(/^[0-9a-f-]{36}$/)
    expect(await c.cstInfoGet({ mobile: unknownMobile })).toMatchObject({
      cstGUID,
      customerName: '王小明',
    })
    const dup = await failure(c.cstInfoCreate(newCustomer))
    expect([dup.code, dup.message]).toEqual([2002, '数据中心：客户已经存在'])
    const badMobile = await failure(c.cstInfoCreate({ ...newCustomer, mobile: '2592044790' }))
    expect([badMobile.code, badMobile.message]).toEqual([9002, '数据中心：非法手机号码'])
    const badProject = await failure(
      c.cstInfoCreate({ ...newCustomer, mobile: '13700000001', projGUID: 'no-such-project' }),
    )
    expect([badProject.code, badProject.message]).toEqual([4001, '数据中心：项目不存在'])
    expect(state().customers.filter((x) => x.mobile === unknownMobile)).toHaveLength(1)
  })

  it('ID numbers: 9001 for an invalid one, 2004 when taken; 2003 for a mobile taken on update', async () => {
    const c = client()
    const bad = await failure(
      c.cstInfoCreate({ ...newCustomer, certType: 1, certNum: '110105194912310021' }),
    )
    expect([bad.code, bad.message]).toEqual([9001, '数据中心：非法身份证号码'])
    const { cstGUID } = await c.cstInfoCreate({
      ...newCustomer,
      certType: 1,
      certNum: '11010519491231002X',
    })
    expect(await c.cstInfoGet({ mobile: unknownMobile })).toMatchObject({
      cstGUID,
      certNum: '11010519491231002X',
      birthday: '1949-12-31 00:00:00',
    })
    const taken = await failure(
      c.cstInfoCreate({ ...newCustomer, mobile: '13700000002', certNum: '11010519491231002X' }),
    )
    expect([taken.code, taken.message]).toEqual([2004, '数据中心：证件号码已被占用'])
    const moved = await failure(
      c.cstInfoUpdate({
        cstGUID,
        customerName: '王小明',
        gender: 1,
        mobile: known.phone,
        userGUID: consultant,
      }),
    )
    expect([moved.code, moved.message]).toEqual([2003, '数据中心：手机号码已被占用'])
  })

  it('cst_info_update changes the record; an unknown cstGUID is 2001', async () => {
    const c = client()
    await c.cstInfoUpdate({
      cstGUID: known.cstGUID!,
      customerName: '改名测试',
      gender: 2,
      mobile: known.phone,
      userGUID: consultant,
      address: '广州市天河区体育西路 1 号',
    })
    expect(await c.cstInfoGet({ mobile: known.phone })).toMatchObject({
      customerName: '改名测试',
      gender: 2,
      address: '广州市天河区体育西路 1 号',
    })
    const e = await failure(
      c.cstInfoUpdate({
        cstGUID: 'no-such-customer',
        customerName: 'x',
        gender: 1,
        mobile: known.phone,
        userGUID: consultant,
      }),
    )
    expect([e.code, e.message]).toEqual([2001, '数据中心：客户不存在'])
  })

  it('s_lead_identify / s_lead_create / s_lead_query per (projGUID, phone)', async () => {
    const c = client()
    expect(await c.sLeadIdentify({ phone: unknownMobile, projGUID })).toEqual({ result: 0 })
    const { leadGUID } = await c.sLeadCreate({
      projGUID,
      consultantId: consultant,
      cstName: '王先生',
      cstTel: unknownMobile,
      cstType: '个人',
      cstGender: 1,
      leadSource: '来电',
      topic: '外呼邀约到访',
      appointTime: '2026-11-23 10:00:00',
    })
    expect(await c.sLeadIdentify({ phone: unknownMobile, projGUID })).toEqual({ result: 1 })
    const other = world.projects[1]!.projGUID
    expect(await c.sLeadIdentify({ phone: unknownMobile, projGUID: other })).toEqual({ result: 0 })
    const byGuid = await c.sLeadQuery({ leadGUID })
    expect(byGuid.list).toEqual([
      expect.objectContaining({
        leadGUID,
        projGUID,
        cstTel: unknownMobile,
        cstGender: 1,
        appointTime: '2026-11-23 10:00:00',
      }),
    ])
    expect((await c.sLeadQuery({ phone: unknownMobile, projGUID })).list).toHaveLength(1)
    expect((await c.sLeadQuery({ phone: unknownMobile, projGUID: other })).list).toEqual([])
    const e = await failure(c.sLeadIdentify({ phone: unknownMobile, projGUID: 'nope' }))
    expect(e.code).toBe(4001)
  })

  it('s_opportunity_identify / opportunity_info_create / cst_follow_update / cst_identify', async () => {
    const c = client()
    // a known customer with no opportunity in the first project
    const s = state()
    const target = s.customers.find(
      (x) => !s.opportunities.some((o) => o.cstGUID === x.cstGUID && o.projGUID === projGUID),
    )!
    expect(await c.sOpportunityIdentify({ phone: target.mobile, projGUID })).toEqual({ result: 0 })
    const opp = {
      cstGUID: target.cstGUID,
      projGUID,
      userGUID: consultant,
      status: '问询',
      cstWill: 'B' as const,
    }
    const { oppGUID } = await c.opportunityInfoCreate(opp)
    expect(await c.sOpportunityIdentify({ phone: target.mobile, projGUID })).toEqual({ result: 1 })
    // create always creates (§4.3.5 has no upsert): a second one is another opportunity
    const second = await c.opportunityInfoCreate({ ...opp, status: '看房' })
    expect(second.oppGUID).not.toBe(oppGUID)
    const found = await c.opportunityInfoQuery({ cstGUID: target.cstGUID, projGUID })
    expect(found.list.map((o) => [o.oppGUID, o.status])).toEqual([
      [oppGUID, '问询'],
      [second.oppGUID, '看房'],
    ])

    const follow = {
      cstGUID: target.cstGUID,
      projGUID,
      followTime: '2026-11-22 09:30:00',
      followType: 1 as const,
      followContent: '外呼：客户有意向，约周末到访',
      userGUID: consultant,
      oppGUID,
      cstWill: 'A' as const,
    }
    const { followGUID } = await c.cstFollowUpdate(follow)
    expect(followGUID).toBeTruthy()
    expect(state().followUps.filter((f) => f.followGUID === followGUID)).toHaveLength(1)

    const identity = await c.cstIdentify({ cstMobile: target.mobile, projGUID })
    expect(identity.exist).toBe(1)
    expect(identity.isBlack).toBe(0)
    expect(identity.list[0]).toEqual({
      followTime: '2026-11-22 09:30:00',
      followType: '1',
      followContent: '外呼：客户有意向，约周末到访',
      projGUID,
    })

    // step 3 (consultant) comes before step 4 (opportunity): both wrong → 4002
    const noUser = await failure(
      c.cstFollowUpdate({ ...follow, userGUID: 'no-such-consultant', oppGUID: 'no-such-opp' }),
    )
    expect([noUser.code, noUser.message]).toEqual([4002, '数据中心：置业顾问不存在'])
    const noOpp = await failure(c.cstFollowUpdate({ ...follow, oppGUID: 'no-such-opp' }))
    expect([noOpp.code, noOpp.message]).toEqual([9003, '数据中心：销售机会编号不存在'])
    const noCst = await failure(c.cstFollowUpdate({ ...follow, cstGUID: 'no-such-customer' }))
    expect(noCst.code).toBe(2001)
    const noProj = await failure(c.cstFollowUpdate({ ...follow, projGUID: 'no-such-project' }))
    expect(noProj.code).toBe(4001)
    const noPerson = await failure(c.sOpportunityIdentify({ phone: unknownMobile, projGUID }))
    expect(noPerson.code).toBe(2001)
    const oppNoCst = await failure(c.opportunityInfoCreate({ ...opp, cstGUID: 'nope' }))
    expect(oppNoCst.code).toBe(2001)
  })

  it('cst_identify returns the seeded history newest first; an unknown mobile exist 0', async () => {
    const c = client()
    const s = state()
    const f = s.followUps[0]!
    const cst = s.customers.find((x) => x.cstGUID === f.cstGUID)!
    const expected = s.followUps
      .filter((x) => x.cstGUID === cst.cstGUID && x.projGUID === f.projGUID)
      .map((x) => x.followTime)
      .sort()
      .reverse()
    const identity = await c.cstIdentify({ cstMobile: cst.mobile, projGUID: f.projGUID })
    expect(identity).toMatchObject({ exist: 1, isOwner: cst.isOwner, isMember: cst.isMember })
    expect(identity.list.map((x) => x.followTime)).toEqual(expected)
    expect(expected.length).toBeGreaterThan(0)
    expect(await c.cstIdentify({ cstMobile: unknownMobile, projGUID })).toEqual({
      exist: 0,
      isBlack: 0,
      isOwner: 0,
      isStaff: 0,
      isMember: 0,
      list: [],
    })
  })

  it('records each request with cmd, sid, appid, errcode and the decoded data', async () => {
    const c = client()
    const { sid } = await c.call('cst_info_get', { mobile: known.phone })
    const rec = server.getRecords().at(-1)!
    expect(rec.key).toBe('cst_info_get')
    expect(rec.note).toMatchObject({
      cmd: 'cst_info_get',
      sid,
      appid: '301',
      errcode: 0,
      data: { mobile: known.phone },
    })
  })

  it('reset re-seeds the world and forgets SIDs', async () => {
    const c = client()
    const sid = c.nextSid()
    await c.cstInfoCreate(newCustomer, { sid })
    expect(state().customers.some((x) => x.mobile === unknownMobile)).toBe(true)
    server.reset()
    expect(state().customers.some((x) => x.mobile === unknownMobile)).toBe(false)
    expect(state().seenSids).toBe(0)
    await c.cstInfoCreate(newCustomer, { sid })
  })
})

describe('exactly-once with SIDs', () => {
  const processedOk = (sid: string): number =>
    notes().filter((n) => n.sid === sid && n.errcode === 0).length

  it('a retry with the same SID gets 1013 and the first one was processed once', async () => {
    const c = client()
    const sid = c.nextSid()
    const first = await c.call('cst_info_create', newCustomer, { sid })
    expect(first.sid).toBe(sid)
    const e = await failure(c.cstInfoCreate(newCustomer, { sid }))
    expect([e.kind, e.code, e.message]).toEqual(['remote', 1013, '数据中心：消息序列号重复'])
    expect(isDuplicateSid(e)).toBe(true)
    expect(processedOk(sid)).toBe(1)
    expect(
      notes()
        .filter((n) => n.sid === sid)
        .map((n) => n.errcode),
    ).toEqual([0, 1013])
    expect(state().customers.filter((x) => x.mobile === unknownMobile)).toHaveLength(1)
  })

  it('drop: network error with maybeDelivered; the retry under the same SID is 1013', async () => {
    const c = client()
    server.addFault({ mode: 'drop', count: 1, match: 'cst_info_create' })
    const sid = c.nextSid()
    const e = await failure(c.cstInfoCreate(newCustomer, { sid }))
    expect(e.kind).toBe('network')
    expect(e.maybeDelivered).toBe(true)
    const retry = await failure(c.cstInfoCreate(newCustomer, { sid }))
    expect(isDuplicateSid(retry)).toBe(true)
    expect(processedOk(sid)).toBe(1)
    expect(state().customers.filter((x) => x.mobile === unknownMobile)).toHaveLength(1)
  })

  it('a request rejected for 1009 does not use up its SID', async () => {
    const sid = sids.next()
    const e = await failure(client({ token: 'wrong-token' }).cstInfoCreate(newCustomer, { sid }))
    expect([e.kind, e.code]).toEqual(['signature', 1009])
    expect(notes().at(-1)).toMatchObject({ sid, errcode: 1009 })
    expect(notes().at(-1)).not.toHaveProperty('data')
    await client().cstInfoCreate(newCustomer, { sid })
    expect(processedOk(sid)).toBe(1)
  })
})

describe('faults against the client', () => {
  it('http500 → http error, not processed', async () => {
    server.addFault({ mode: 'http500', count: 1 })
    const e = await failure(client().cstInfoCreate(newCustomer))
    expect([e.kind, e.status]).toEqual(['http', 500])
    expect(state().customers.some((x) => x.mobile === unknownMobile)).toBe(false)
  })

  it('html → not-json', async () => {
    server.addFault({ mode: 'html', count: 1 })
    const e = await failure(client().cstInfoGet({ mobile: known.phone }))
    expect(e.kind).toBe('not-json')
  })

  it('truncated → not-json (the command was processed)', async () => {
    server.addFault({ mode: 'truncated', count: 1 })
    const e = await failure(client().cstInfoCreate(newCustomer))
    expect(e.kind).toBe('not-json')
    expect(state().customers.some((x) => x.mobile === unknownMobile)).toBe(true)
  })

  it('tamper → signature 1009, the altered answer is not used', async () => {
    server.addFault({ mode: 'tamper', count: 1 })
    const e = await failure(client().cstInfoGet({ mobile: known.phone }))
    expect([e.kind, e.code, e.system]).toEqual(['signature', 1009, 'datacenter'])
    expect(e.message).toContain('接入验证失败')
  })

  it('offline → network error, not delivered', async () => {
    server.setOffline(true)
    try {
      const e = await failure(client().cstInfoGet({ mobile: known.phone }))
      expect(e.kind).toBe('network')
      expect(e.maybeDelivered).toBe(false)
    } finally {
      server.setOffline(false)
    }
  })

  it('latency beyond the client timeout → network timeout', async () => {
    server.addFault({ mode: 'none', latencyMs: 1500, count: 1 })
    const started = Date.now()
    const e = await failure(client().cstInfoGet({ mobile: known.phone }, { timeoutMs: 200 }))
    expect([e.kind, e.code]).toEqual(['network', 'timeout'])
    expect(Date.now() - started).toBeLessThan(1400)
  })

  it('an AbortSignal cancels the call; an already-aborted one sends nothing', async () => {
    server.addFault({ mode: 'none', latencyMs: 1000, count: 1 })
    const ctl = new AbortController()
    setTimeout(() => ctl.abort(), 100)
    const e = await failure(client().cstInfoGet({ mobile: known.phone }, { signal: ctl.signal }))
    expect([e.kind, e.code]).toEqual(['network', 'aborted'])
    const before = server.getRecords().length
    const again = await failure(
      client().cstInfoGet({ mobile: known.phone }, { signal: AbortSignal.abort() }),
    )
    expect([again.kind, again.code, again.maybeDelivered]).toEqual(['network', 'aborted', false])
    expect(server.getRecords().length).toBe(before)
  })
})

describe('credentials', () => {
  it('a wrong token: the server answers 1009 and the client reports 1009', async () => {
    const e = await failure(client({ token: 'wrong' }).cstInfoGet({ mobile: known.phone }))
    expect([e.kind, e.code]).toEqual(['signature', 1009])
    expect(notes().at(-1)).toMatchObject({ errcode: 1009, cmd: 'cst_info_get' })
  })

  it('an unknown appid gets no response data at all (§3.2 step 5); the client says 1011 and why', async () => {
    const c = client({ appid: '399', sid: new SequentialSidGenerator({ appid: '399' }) })
    const e = await failure(c.cstInfoGet({ mobile: known.phone }))
    expect([e.kind, e.code]).toEqual(['remote', 1011])
    expect(e.message).toBe(
      '数据中心：未知业务应用：没有返回任何数据（它不认识本机的 appid），请检查数据中心连接配置中的 appid',
    )
    expect(server.getRecords().at(-1)?.note).toMatchObject({ appid: '399', cmd: 'cst_info_get' })
  })

  it('expecting another Data Center appid: the answer does not verify (1009)', async () => {
    const e = await failure(client({ dataCenterAppid: '101' }).cstInfoGet({ mobile: known.phone }))
    expect([e.kind, e.code]).toEqual(['signature', 1009])
  })

  it('a wrong appkey is not part of the signature: the server cannot decrypt (1004), and the client cannot read its answer (shape)', async () => {
    const e = await failure(client({ appkey: 'wrong-key' }).cstInfoGet({ mobile: known.phone }))
    expect(e.kind).toBe('shape')
    expect(notes().at(-1)).toMatchObject({ errcode: 1004 })
  })
})

describe('server-side checks (raw requests)', () => {
  const creds = SANDBOX_DATACENTER
  async function post(
    body: string,
    method: 'GET' | 'POST' = 'POST',
  ): Promise<{ errcode: number; errmsg: string; sid: string }> {
    const res = await nodeHttpTransport('datacenter', {
      method,
      url: endpoint,
      ...(method === 'POST' ? { body } : {}),
    })
    expect(res.status).toBe(200)
    const env = JSON.parse(res.text) as { header: { sid: string } }
    const data = verifyAndDecodeEnvelope(env, {
      token: creds.token,
      appkey: creds.appkey,
      expectedAppid: creds.dataCenterAppid,
    }) as { errcode: number; errmsg: string }
    return { errcode: data.errcode, errmsg: data.errmsg, sid: env.header.sid }
  }
  const envelope = (cmd: string, data: unknown, sid = sids.next()): string =>
    JSON.stringify(encodeEnvelope({ ...creds, sid, cmd, data }))

  it('GET → 1003', async () => {
    expect((await post('', 'GET')).errcode).toBe(1003)
  })

  it('a body that is not an envelope → 1004', async () => {
    expect((await post('{"hello":1}')).errcode).toBe(1004)
    expect((await post('not json')).errcode).toBe(1004)
  })

  it('an unknown cmd → 1008', async () => {
    expect(await post(envelope('cst_no_such_cmd', {}))).toMatchObject({
      errcode: 1008,
      errmsg: '不支持的接口请求',
    })
  })

  it('a malformed SID → 1015; the answer echoes it', async () => {
    const r = await post(envelope('cst_info_get', { mobile: known.phone }, '2014123123123123'))
    expect(r).toEqual({ errcode: 1015, errmsg: '消息序列号格式错误', sid: '2014123123123123' })
    const other = await post(
      envelope('cst_info_get', { mobile: known.phone }, '30226112210304500000'),
    )
    expect(other.errcode).toBe(1015)
  })

  it('a bad authCode or dataCode → 1009', async () => {
    const env = encodeEnvelope({ ...creds, sid: sids.next(), cmd: 'cst_info_get', data: {} })
    const badAuth = { ...env, header: { ...env.header, authCode: '0'.repeat(40) } }
    expect((await post(JSON.stringify(badAuth))).errcode).toBe(1009)
    const data = encryptText(creds.appkey, JSON.stringify({ mobile: known.phone }))
    expect((await post(JSON.stringify({ ...env, data }))).errcode).toBe(1009)
    // consistent dataCode, but the authCode was made for the old one
    const recoded = { header: { ...env.header, dataCode: computeDataCode(data) }, data }
    expect((await post(JSON.stringify(recoded))).errcode).toBe(1009)
    const resigned = {
      header: {
        ...recoded.header,
        authCode: computeAuthCode(
          creds.appid,
          env.header.sid,
          creds.token,
          recoded.header.dataCode,
        ),
      },
      data,
    }
    expect((await post(JSON.stringify(resigned))).errcode).toBe(0)
  })

  it('fields are checked server-side too: 1001 / 1002 with the field in errmsg', async () => {
    expect(await post(envelope('cst_info_get', {}))).toMatchObject({
      errcode: 1001,
      errmsg: '缺少必须参数[mobile]',
    })
    expect(
      await post(envelope('cst_identify', { cstMobile: known.phone, projGUID: 5 })),
    ).toMatchObject({
      errcode: 1002,
      errmsg: '参数类型错误[projGUID]',
    })
  })

  it('the client turns a server 1001 into a remote error naming the field', async () => {
    // bypass the client's own check with a transport that strips the field on the way out
    const stripping: HttpTransport = async (system, req) => {
      const env = JSON.parse(req.body!) as { header: { sid: string } }
      const body = JSON.stringify(
        encodeEnvelope({ ...creds, sid: env.header.sid, cmd: 'cst_info_get', data: {} }),
      )
      return nodeHttpTransport(system, { ...req, body })
    }
    const e = await failure(client({ transport: stripping }).cstInfoGet({ mobile: known.phone }))
    expect([e.kind, e.code, e.field, e.message]).toEqual([
      'remote',
      1001,
      'mobile',
      '数据中心：缺少必须参数[mobile]',
    ])
  })
})

describe('client response handling (scripted transport)', () => {
  const dc = SANDBOX_DATACENTER
  const answer =
    (plaintext: string, appid: string = dc.dataCenterAppid): HttpTransport =>
    async (_system, req) => {
      const sid = (JSON.parse(req.body!) as { header: { sid: string } }).header.sid
      const data = encryptText(dc.appkey, plaintext)
      const dataCode = computeDataCode(data)
      const header = {
        appid,
        timestamp: 1,
        sid,
        authCode: computeAuthCode(appid, sid, dc.token, dataCode),
        cmd: 'cst_info_create',
        version: '2.0',
        dataCode,
      }
      return { status: 200, headers: {}, text: JSON.stringify({ header, data }) }
    }
  const run = (transport: HttpTransport) =>
    failure(client({ transport }).cstInfoCreate(newCustomer))

  it('content of the wrong shape → shape error naming content.x', async () => {
    const e = await run(answer('{"errcode":0,"errmsg":"","content":{"cstGUID":7}}'))
    expect([e.kind, e.field]).toEqual(['shape', 'content.cstGUID'])
  })

  it('plaintext that is not JSON, or lacks errcode → shape error', async () => {
    expect((await run(answer('<html>'))).kind).toBe('shape')
    expect((await run(answer('{"errmsg":"","content":{}}'))).kind).toBe('shape')
  })

  it('a digit-string errcode is still the §5 error, with the server text', async () => {
    const e = await run(answer('{"errcode":"2003","errmsg":"手机号码已被占用"}'))
    expect([e.kind, e.code, e.message]).toEqual(['remote', 2003, '数据中心：手机号码已被占用'])
  })

  it("an answer signed under the app's own appid is rejected (1009)", async () => {
    const e = await run(answer('{"errcode":0,"errmsg":"","content":{"cstGUID":"x"}}', dc.appid))
    expect([e.kind, e.code]).toEqual(['signature', 1009])
  })

  it('an answer under another SID or cmd is not this request’s answer (shape), even a 1013', async () => {
    const forOther =
      (over: { sid?: string; cmd?: string }): HttpTransport =>
      async (system, req) => {
        const res = await answer('{"errcode":1013,"errmsg":"消息序列号重复"}')(system, req)
        const env = JSON.parse(res.text) as { header: Record<string, string>; data: string }
        const sid = over.sid ?? env.header.sid!
        const header = {
          ...env.header,
          sid,
          cmd: over.cmd ?? env.header.cmd!,
          authCode: computeAuthCode(dc.dataCenterAppid, sid, dc.token, env.header.dataCode!),
        }
        return { ...res, text: JSON.stringify({ header, data: env.data }) }
      }
    const e = await run(forOther({ sid: '30126112210304599999' }))
    expect([e.kind, e.field]).toEqual(['shape', 'header.sid'])
    expect(e.message).toContain('应答不是本次请求的')
    const c = await run(forOther({ cmd: 'cst_info_get' }))
    expect([c.kind, c.field]).toEqual(['shape', 'header.cmd'])
  })

  it('a valid answer with content is accepted', async () => {
    const c = client({ transport: answer('{"errcode":0,"errmsg":"","content":{"cstGUID":"g-1"}}') })
    expect(await c.cstInfoCreate(newCustomer)).toEqual({ cstGUID: 'g-1' })
  })

  it('a body that is JSON but no envelope → shape; a transport that throws → network', async () => {
    const notEnvelope: HttpTransport = async () => ({ status: 200, headers: {}, text: '{"a":1}' })
    expect((await run(notEnvelope)).kind).toBe('shape')
    const throwing: HttpTransport = async () => {
      throw new TypeError('boom')
    }
    const e = await run(throwing)
    expect([e.kind, e.maybeDelivered]).toEqual(['network', true])
  })

  it('an unexpected exception inside the client still comes out as a RemoteError', async () => {
    const broken = new SequentialSidGenerator({ appid: '301' })
    broken.next = () => {
      throw new Error('sid store broken')
    }
    const e = await failure(client({ sid: broken }).cstInfoGet({ mobile: known.phone }))
    expect([e.kind, e.code]).toEqual(['remote', -1])
    expect(e.message).toContain('sid store broken')
  })
})
