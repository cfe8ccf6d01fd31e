import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  RABBITPRE_MIN_INTERVAL_MS,
  RABBITPRE_RATE_LIMIT_TEXT,
  RabbitpreClient,
  rabbitpreGate,
  summariseRabbitpreProfile,
  type RabbitpreProfile,
  type Timer,
} from '../../../electron/core/enrichment/rabbitpre'
import { RemoteError } from '../../../electron/core/errors'
import { nodeHttpTransport, type HttpTransport } from '../../../electron/core/http/transport'
import { SandboxServer } from '../../../electron/sandbox/framework'
import {
  createRabbitpreServerDef,
  RABBITPRE_RATE_LIMIT_MSG,
} from '../../../electron/sandbox/rabbitpre'
import { createSeedWorld, SANDBOX_ENRICHMENT } from '../../../electron/sandbox/seed'

const world = createSeedWorld(1, '2026-11-22')
const people = [...world.people.values()]
const known = people.filter((p) => p.rabbitpre !== undefined)
const unknown = people.filter((p) => p.rabbitpre === undefined)
const companyId = SANDBOX_ENRICHMENT.rabbitpreCompanyId

/** A clock that only moves when slept on: limiter waits cost no real time. */
function fakeTimer(start = 1_000_000): Timer & { t: number; sleeps: number[] } {
  const timer = {
    t: start,
    sleeps: [] as number[],
    now: () => timer.t,
    sleep: async (ms: number, signal?: AbortSignal) => {
      if (signal?.aborted) throw new Error('aborted')
      timer.sleeps.push(ms)
      await Promise.resolve()
      timer.t += ms
    },
  }
  return timer
}

async function rejection(p: Promise<unknown>): Promise<RemoteError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  )
  expect(e).toBeInstanceOf(RemoteError)
  return e as RemoteError
}

const ok = (data: unknown[] = []): string =>
  JSON.stringify({ code: '200', errorCode: 'SUCCESS', msg: 'ok', data })
const limited = JSON.stringify({
  code: '429',
  errorCode: '429',
  msg: RABBITPRE_RATE_LIMIT_TEXT,
  data: null,
})

describe('RabbitpreClient against the sandbox (fake time)', () => {
  const timer = fakeTimer()
  let server: SandboxServer
  let client: RabbitpreClient

  beforeAll(async () => {
    server = new SandboxServer(createRabbitpreServerDef(world, { now: timer.now }))
    await server.listen(0)
    client = new RabbitpreClient({ baseUrl: server.url, companyId, timer })
  })
  afterAll(async () => {
    await server.close()
  })
  beforeEach(() => server.reset())

  it('returns the profile of a known number with the fields the agent needs', async () => {
    const person = known[0]!
    const [profile, ...rest] = await client.getAudienceByPhones([person.phone])
    expect(rest).toHaveLength(0)
    expect(profile!.audienceUserId).toBe(person.rabbitpre!.audienceUserId)
    expect(profile!.wxNickname).toBe(person.rabbitpre!.wxNickname)
    expect(profile!.active).toBe(person.rabbitpre!.active)
    expect(profile!.phone).toBe(person.phone)
    expect(profile!.phoneList?.map((p) => p.phone)).toEqual([person.phone])
    expect(profile!.wxCity).toBe(person.city)
    expect([0, person.gender === 'M' ? 1 : 2]).toContain(profile!.sex)
    expect(profile!.weekActive?.count).toBeGreaterThanOrEqual(0)
    expect(typeof profile!.lastActiveTime).toBe('number')
    const rec = server.getRecords()[0]!
    expect(rec.method).toBe('POST')
    expect(rec.path).toBe('/api/audience/detail')
    expect(rec.body).toEqual({ companyId, phoneList: [person.phone] })
    expect(rec.note).toMatchObject({ phones: [person.phone], matched: 1, outcome: 'ok' })
  })

  it('returns only the numbers Rabbitpre knows, and sends instanceAppid when configured', async () => {
    const c = new RabbitpreClient({ baseUrl: server.url, companyId, instanceAppid: 'app-7', timer })
    const phones = [known[1]!.phone, unknown[0]!.phone, known[2]!.phone]
    const profiles = await c.getAudienceByPhones(phones)
    expect(profiles.map((p) => p.phone).sort()).toEqual([known[1]!.phone, known[2]!.phone].sort())
    expect(server.getRecords()[0]!.body).toEqual({
      companyId,
      phoneList: phones,
      instanceAppid: 'app-7',
    })
  })

  it('a number Rabbitpre does not know gives no profile', async () => {
    expect(await client.getAudienceByPhones([unknown[1]!.phone])).toEqual([])
  })

  it('looks up by audience user id too', async () => {
    const person = known[3]!
    const profiles = await client.getAudience({
      audienceUserIdList: [person.rabbitpre!.audienceUserId],
    })
    expect(profiles.map((p) => p.phone)).toEqual([person.phone])
  })

  it.each([
    [[], 'phoneList'],
    [['123'], 'phoneList.0'],
    [['13800138000', '2380013800x'], 'phoneList.1'],
  ])('rejects %o locally, naming %s', async (phones, field) => {
    const e = await rejection(client.getAudienceByPhones(phones))
    expect(e.kind).toBe('invalid-request')
    expect(e.field).toBe(field)
    expect(server.getRecords()).toHaveLength(0)
  })

  it('rejects a missing companyId locally', async () => {
    const c = new RabbitpreClient({ baseUrl: server.url, companyId: ' ', timer })
    const e = await rejection(c.getAudienceByPhones([known[0]!.phone]))
    expect(e.kind).toBe('invalid-request')
    expect(e.field).toBe('companyId')
  })

  it('another account’s companyId is refused by the server: a remote error', async () => {
    const c = new RabbitpreClient({ baseUrl: server.url, companyId: '99', timer })
    const e = await rejection(c.getAudienceByPhones([known[0]!.phone]))
    expect(e.kind).toBe('remote')
    expect(e.code).toBe('403')
    expect(e.message).toContain('无权')
  })

  it('all three lists empty reaching the server gets its error', async () => {
    const emptying: HttpTransport = (system, req) => {
      const body = JSON.parse(req.body ?? '{}') as Record<string, unknown>
      delete body.phoneList
      return nodeHttpTransport(system, { ...req, body: JSON.stringify(body) })
    }
    const c = new RabbitpreClient({ baseUrl: server.url, companyId, timer, transport: emptying })
    const e = await rejection(c.getAudienceByPhones([known[0]!.phone]))
    expect(e.kind).toBe('remote')
    expect(e.code).toBe('400')
    expect(e.message).toContain('不能同时为空')
  })

  it('consecutive calls are spaced ≥ 1 s apart in the server’s time and all accepted', async () => {
    const c2 = new RabbitpreClient({ baseUrl: server.url, companyId, timer })
    const before = timer.t
    const results = await Promise.all([
      client.getAudienceByPhones([known[0]!.phone]),
      c2.getAudienceByPhones([known[1]!.phone]),
      client.getAudienceByPhones([known[2]!.phone]),
    ])
    expect(results.map((r) => r.length)).toEqual([1, 1, 1])
    expect(server.getRecords().map((r) => r.note?.outcome)).toEqual(['ok', 'ok', 'ok'])
    expect(timer.t - before).toBeGreaterThanOrEqual(2 * RABBITPRE_MIN_INTERVAL_MS)
  })
})

describe('RabbitpreClient limiter and back-off (fake time, fake transport)', () => {
  const profileBody = (phone: string) => ({ audienceUserId: 1, phone, sex: 1 })

  it('spaces request starts ≥ 1000 ms apart across instances of one account, one at a time', async () => {
    const timer = fakeTimer()
    const starts: number[] = []
    let inFlight = 0
    let maxInFlight = 0
    const transport: HttpTransport = async () => {
      starts.push(timer.now())
      inFlight++
      maxInFlight = Math.max(maxInFlight, inFlight)
      await new Promise((r) => setTimeout(r, 5))
      inFlight--
      return { status: 200, headers: {}, text: ok() }
    }
    const opts = { baseUrl: 'http://127.0.0.1:1', companyId: 'acct-a', timer, transport }
    const a = new RabbitpreClient(opts)
    const b = new RabbitpreClient(opts)
    await Promise.all([
      a.getAudienceByPhones(['13800000001']),
      b.getAudienceByPhones(['13800000002']),
      a.getAudienceByPhones(['13800000003']),
      b.getAudienceByPhones(['13800000004']),
    ])
    expect(starts).toHaveLength(4)
    for (let i = 1; i < starts.length; i++) {
      expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(RABBITPRE_MIN_INTERVAL_MS)
    }
    expect(maxInFlight).toBe(1)
    expect(a.gate).toBe(b.gate)
  })

  it('another account is not held back by the first', async () => {
    const timer = fakeTimer()
    const starts: Record<string, number[]> = {}
    const transport: HttpTransport = (_s, req) => {
      const id = (JSON.parse(req.body!) as { companyId: string }).companyId
      ;(starts[id] ??= []).push(timer.now())
      return Promise.resolve({ status: 200, headers: {}, text: ok() })
    }
    const base = { baseUrl: 'http://127.0.0.1:1', timer, transport }
    const a = new RabbitpreClient({ ...base, companyId: 'acct-b' })
    const b = new RabbitpreClient({ ...base, companyId: 'acct-c' })
    const t0 = timer.t
    await Promise.all([
      a.getAudienceByPhones(['13800000001']),
      b.getAudienceByPhones(['13800000002']),
    ])
    expect(starts['acct-b']).toEqual([t0])
    expect(starts['acct-c']).toEqual([t0])
    expect(a.gate).not.toBe(b.gate)
    expect(rabbitpreGate('http://127.0.0.1:1/x', 'acct-b', timer)).toBe(a.gate)
  })

  it('backs off 1 s, 2 s (at the least) on 操作频繁 and then succeeds', async () => {
    const timer = fakeTimer()
    const answers = [limited, limited, ok([profileBody('13800000001')])]
    const starts: number[] = []
    const transport: HttpTransport = () => {
      starts.push(timer.now())
      return Promise.resolve({ status: 200, headers: {}, text: answers.shift()! })
    }
    const c = new RabbitpreClient({
      baseUrl: 'http://127.0.0.1:1',
      companyId: 'acct-d',
      timer,
      transport,
      random: () => 0,
    })
    const profiles = await c.getAudienceByPhones(['13800000001'])
    expect(profiles.map((p) => p.phone)).toEqual(['13800000001'])
    expect(starts).toHaveLength(3)
    expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(1000)
    expect(starts[2]! - starts[1]!).toBeGreaterThanOrEqual(2000)
    // The back-off sleeps (the limiter may add its small spacing margin in between).
    expect(timer.sleeps.filter((ms) => ms >= 1000)).toEqual([1000, 2000])
  })

  it('gives up with kind rate-limited after the bounded attempts (HTTP 429 counts too)', async () => {
    const timer = fakeTimer()
    let calls = 0
    const transport: HttpTransport = () => {
      calls++
      return Promise.resolve(
        calls % 2 === 0
          ? { status: 429, headers: {}, text: '' }
          : { status: 200, headers: {}, text: limited },
      )
    }
    const c = new RabbitpreClient({
      baseUrl: 'http://127.0.0.1:1',
      companyId: 'acct-e',
      timer,
      transport,
      random: () => 0,
    })
    const e = await rejection(c.getAudienceByPhones(['13800000001']))
    expect(e.kind).toBe('rate-limited')
    expect(e.system).toBe('rabbitpre')
    // the shared account was busy, most likely with a colleague's lookups: not the agent's doing
    expect(e.message).not.toContain('操作频繁')
    expect(e.message).toContain('稍后')
    expect(calls).toBe(4)
    expect(timer.sleeps.filter((ms) => ms >= 1000)).toEqual([1000, 2000, 4000])
    const three = new RabbitpreClient({
      baseUrl: 'http://127.0.0.1:1',
      companyId: 'acct-e2',
      timer,
      transport,
      maxAttempts: 2,
    })
    calls = 0
    expect((await rejection(three.getAudienceByPhones(['13800000001']))).kind).toBe('rate-limited')
    expect(calls).toBe(2)
  })

  it('an abort while waiting for the account’s turn never sends the request', async () => {
    const timer = fakeTimer()
    let release: () => void = () => {}
    const sent: string[] = []
    const transport: HttpTransport = (_s, req) => {
      sent.push(req.body!)
      return new Promise((resolve) => {
        release = () => resolve({ status: 200, headers: {}, text: ok() })
      })
    }
    const c = new RabbitpreClient({
      baseUrl: 'http://127.0.0.1:1',
      companyId: 'acct-f',
      timer,
      transport,
    })
    const first = c.getAudienceByPhones(['13800000001'])
    const ac = new AbortController()
    const second = c.getAudienceByPhones(['13800000002'], { signal: ac.signal })
    const third = c.getAudienceByPhones(['13800000003'])
    await new Promise((r) => setTimeout(r, 5))
    ac.abort()
    const e = await rejection(second)
    expect(e.kind).toBe('network')
    expect(e.code).toBe('aborted')
    expect(e.maybeDelivered).toBe(false)
    release()
    await first
    await new Promise((r) => setTimeout(r, 5))
    release()
    await third
    expect(sent.map((b) => (JSON.parse(b) as { phoneList: string[] }).phoneList[0])).toEqual([
      '13800000001',
      '13800000003',
    ])
  })

  it('an abort during the back-off stops the retries', async () => {
    const ac = new AbortController()
    const timer = fakeTimer()
    const sleep = timer.sleep
    timer.sleep = async (ms, signal) => {
      ac.abort()
      await sleep(ms, signal)
    }
    let calls = 0
    const transport: HttpTransport = () => {
      calls++
      return Promise.resolve({ status: 200, headers: {}, text: limited })
    }
    const c = new RabbitpreClient({
      baseUrl: 'http://127.0.0.1:1',
      companyId: 'acct-g',
      timer,
      transport,
    })
    const e = await rejection(c.getAudienceByPhones(['13800000001'], { signal: ac.signal }))
    expect(e.kind).toBe('network')
    expect(e.code).toBe('aborted')
    expect(calls).toBe(1)
  })
})

describe('RabbitpreClient against the sandbox in real time', () => {
  let server: SandboxServer
  beforeEach(async () => {
    // A fresh server (so a fresh origin and gate) per test: the client's limiter starts clean.
    server = new SandboxServer(createRabbitpreServerDef(world))
    await server.listen(0)
  })
  afterEach(async () => {
    await server.close()
  })

  const rawPost = async (body: unknown) => {
    const res = await nodeHttpTransport('rabbitpre', {
      method: 'POST',
      url: `${server.url}/api/audience/detail`,
      body: JSON.stringify(body),
    })
    return JSON.parse(res.text) as { code: string; msg: string; data: unknown }
  }

  it('the sandbox answers 操作频繁,请稍后重试 within a second; the client backs off and succeeds', async () => {
    const phone = known[0]!.phone
    const first = await rawPost({ companyId, phoneList: [phone] })
    expect(first.code).toBe('200')
    const second = await rawPost({ companyId, phoneList: [phone] })
    expect(second.msg).toBe('操作频繁,请稍后重试')
    expect(second.msg).toBe(RABBITPRE_RATE_LIMIT_MSG)
    expect(second.code).not.toBe('200')
    // Another account is not limited by the first.
    const other = await rawPost({ companyId: '99', phoneList: [phone] })
    expect(other.msg).not.toBe(RABBITPRE_RATE_LIMIT_MSG)

    const client = new RabbitpreClient({ baseUrl: server.url, companyId })
    const started = Date.now()
    const profiles = await client.getAudienceByPhones([phone])
    expect(profiles.map((p) => p.phone)).toEqual([phone])
    expect(Date.now() - started).toBeGreaterThanOrEqual(900)
    const outcomes = server.getRecords().map((r) => r.note?.outcome)
    expect(outcomes).toEqual(['ok', '429', '403', '429', 'ok'])
  })

  it('two client calls within a second are spaced so that the sandbox accepts both', async () => {
    const a = new RabbitpreClient({ baseUrl: server.url, companyId })
    const b = new RabbitpreClient({ baseUrl: server.url, companyId })
    const [x, y] = await Promise.all([
      a.getAudienceByPhones([known[0]!.phone]),
      b.getAudienceByPhones([known[1]!.phone]),
    ])
    expect(x).toHaveLength(1)
    expect(y).toHaveLength(1)
    const records = server.getRecords()
    expect(records.map((r) => r.note?.outcome)).toEqual(['ok', 'ok'])
    const gap = Date.parse(records[1]!.at) - Date.parse(records[0]!.at)
    expect(gap).toBeGreaterThanOrEqual(RABBITPRE_MIN_INTERVAL_MS)
  })
})

describe('Rabbitpre profile reading and summary', () => {
  // The document's response example, as it stands (placeholder objects included).
  const docProfile = {
    orgId: '31',
    createTime: '2022-03-24 12:47:34',
    audienceUserId: 643,
    openids: [
      {
        openid: '31',
        unionid: '31',
        fromTo: 'hryywg',
        appid: '31',
        platform: 'yikbqe',
        jcappid: 412,
        identityId: '31',
        identityType: 'qz80ur',
      },
    ],
    unionid: '31',
    mpAppid: '31',
    phoneList: [{ phone: '13339938205', isVerify: 'h4bkzc' }],
    realName: '俊驰.莫',
    sex: 1,
    avatar: 'xkmkv8',
    wxNickname: 'jae.cronin',
    wxCountry: '37jht5',
    wxProvince: 'sbka26',
    wxCity: 'z1d314',
    province: 'pv8rcs',
    city: 'fsx43h',
    lbsProvince: 'lwh51z',
    lbsCity: 'ymc70x',
    addressList: [{}],
    birthday: 1648097250890,
    remark: 'vt9tc7',
    lastActiveTime: 1648097250890,
    gzhInteractTime: 1648097250890,
    markFlag: 1,
    userType: [{}],
    payFeature: 'xp3sds',
    industry: [{}],
    subWechatList: [{}],
    sourceAudid: 237,
    sourceCnl: 907,
    sourceCnlName: '俊驰.莫',
    sourceCnlDeptId: 481,
    sourceCnlDeptName: '俊驰.莫',
    sourceCnlType: 'u9va12',
    sourceAppType: 'mob8vf',
    active: 277,
    weekActive: { waring: 'You may have used non-display generics.' },
    monthActive: { waring: 'You may have used non-display generics.' },
    spread: 626,
    weekSpread: { waring: 'You may have used non-display generics.' },
    monthSpread: { waring: 'You may have used non-display generics.' },
    phone: '13339938205',
    wechatList: [
      {
        appid: '31',
        wechatName: '俊驰.莫',
        gzhInteractTime: 1648097250890,
        firstSubDate: 920,
        firstSubSourceCnlType: '98nzml',
        firstSubSourceCnl: 193,
        firstSubSourceCnlDeptId: 206,
        firstSubSourceTaskId: 598,
      },
    ],
    thirdId: '31',
  }
  const canned =
    (text: string): HttpTransport =>
    () =>
      Promise.resolve({ status: 200, headers: {}, text })
  const clientFor = (text: string, id: string) =>
    new RabbitpreClient({
      baseUrl: 'http://127.0.0.1:1',
      companyId: id,
      timer: fakeTimer(),
      transport: canned(text),
    })

  it('reads the document’s example profile, placeholders as absent', async () => {
    const [p] = await clientFor(ok([docProfile]), 'acct-h').getAudienceByPhones(['13339938205'])
    expect(p!.audienceUserId).toBe(643)
    expect(p!.sex).toBe(1)
    expect(p!.weekActive).toBeUndefined()
    expect(p!.monthSpread).toBeUndefined()
    expect(p!.wechatList?.[0]?.wechatName).toBe('俊驰.莫')
    expect(p!.active).toBe(277)
  })

  it('the document’s example code (not 200) is a remote error carrying code and msg', async () => {
    const text = JSON.stringify({
      code: '28930',
      errorCode: '28930',
      msg: 'l1j777',
      data: [docProfile],
    })
    const e = await rejection(clientFor(text, 'acct-i').getAudienceByPhones(['13339938205']))
    expect(e.kind).toBe('remote')
    expect(e.code).toBe('28930')
    expect(e.message).toContain('l1j777')
  })

  it('tolerates absent optional fields but not a wrong sex or a missing audienceUserId', async () => {
    const minimal = await clientFor(ok([{ audienceUserId: '9' }]), 'acct-j').getAudienceByPhones([
      '13800000001',
    ])
    expect(minimal).toEqual([expect.objectContaining({ audienceUserId: 9 })])
    expect(minimal[0]!.wxNickname).toBeUndefined()
    const badSex = await rejection(
      clientFor(ok([{ audienceUserId: 9, sex: 3 }]), 'acct-k').getAudienceByPhones(['13800000001']),
    )
    expect(badSex.kind).toBe('shape')
    expect(badSex.field).toBe('data.0.sex')
    const noId = await rejection(
      clientFor(ok([{ sex: 1 }]), 'acct-l').getAudienceByPhones(['13800000001']),
    )
    expect(noId.field).toBe('data.0.audienceUserId')
  })

  it('summarises a profile for the agent', () => {
    const now = Date.parse('2026-11-22T12:00:00+08:00')
    const p: RabbitpreProfile = {
      audienceUserId: 1,
      wxNickname: '静待花开',
      sex: 2,
      province: '广东',
      city: '广州',
      wxCity: '深圳',
      lastActiveTime: Date.parse('2026-11-19T20:15:00+08:00'),
      active: 120,
      weekActive: { count: 5 },
      monthActive: { count: 31, updateTime: now },
      sourceCnlName: '楼盘公众号',
      sourceCnlType: 'FIXED',
      sourceAppType: '公众号',
      wechatList: [{ wechatName: '万科东荟城置业' }, { wechatName: '' }],
    }
    expect(summariseRabbitpreProfile(p, now)).toEqual([
      { label: '昵称', value: '静待花开' },
      { label: '性别', value: '女' },
      { label: '城市', value: '广东 广州' },
      { label: '最近活跃', value: '2026-11-19 20:15（2 天前）' },
      { label: '活跃度', value: '总 120 · 7 天 5 · 30 天 31' },
      { label: '来源渠道', value: '楼盘公众号（自有渠道）' },
      { label: '来源作品', value: '公众号' },
      { label: '关注公众号', value: '万科东荟城置业' },
    ])
    expect(summariseRabbitpreProfile({ audienceUserId: 2 }, now)).toEqual([])
  })
})
