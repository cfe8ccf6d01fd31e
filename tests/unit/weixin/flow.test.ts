import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { RemoteError } from '../../../electron/core/errors'
import { WeixinClient } from '../../../electron/core/weixin/client'
import { isActiveUserStatus } from '../../../electron/core/weixin/schemas'
import { SandboxServer } from '../../../electron/sandbox/framework'
import { createSeedWorld, DEFAULT_SEED, type SeedWorld } from '../../../electron/sandbox/seed'
import { createWeixinServerDef, type WeixinServerDef } from '../../../electron/sandbox/weixin'

const TODAY = '2026-03-01'

let world: SeedWorld
let def: WeixinServerDef
let server: SandboxServer
let root: string
let client: WeixinClient

async function failure(p: Promise<unknown>): Promise<RemoteError> {
  try {
    await p
  } catch (e) {
    expect(e).toBeInstanceOf(RemoteError)
    return e as RemoteError
  }
  throw new Error('expected the call to fail')
}

function recordsOf(action: string) {
  return server.getRecords().filter((r) => r.key === action)
}

function user(num: string) {
  const u = world.users.find((x) => x.user_num === num)
  if (!u) throw new Error(`no seeded user ${num}`)
  return u
}

beforeAll(async () => {
  world = createSeedWorld(DEFAULT_SEED, TODAY)
  def = createWeixinServerDef(world)
  server = new SandboxServer(def)
  root = await server.listen()
  client = new WeixinClient({ baseUrl: `${root}/estate`, timeoutMs: 5_000 })
})

beforeEach(() => {
  server.reset()
})

afterAll(async () => {
  await server.close()
})

describe('the document examples hold against the sandbox', () => {
  it('login 00006 / 888 / weixin → 29 冯依敏, sent as documented', async () => {
    expect(await client.login({ user_num: '00006', pwd: '888' })).toEqual({
      user_id: 29,
      user_name: '冯依敏',
    })
    const [rec] = recordsOf('login')
    expect(rec?.method).toBe('POST')
    expect(rec?.path).toBe('/estate/ihk/weixin')
    expect(rec?.query).toEqual({ action_name: 'login' })
    expect(rec?.body).toEqual({ user_num: '00006', pwd: '888', machine_no: 'weixin' })
    expect(rec?.note).toMatchObject({ action: 'login', user_id: 29, outcome: 'ok' })
  })

  it('getcallback (GET) lists 接受邀请 0 and 继续跟进 1', async () => {
    const items = await client.getCallbackItems()
    expect(items).toContainEqual({ index: 0, item_name: '接受邀请' })
    expect(items).toContainEqual({ index: 1, item_name: '继续跟进' })
    expect(items).toEqual(world.callbackItems)
    expect(recordsOf('getcallback')[0]?.method).toBe('GET')
    expect(recordsOf('getcallback')[0]?.body).toBeUndefined()
  })

  it('the customer and gender enums are as documented (GET)', async () => {
    expect(await client.getCustomerTypes()).toEqual([
      { name: '一般客', value: '01' },
      { name: '观望客', value: '02' },
      { name: '重要客', value: '03' },
    ])
    expect(await client.getGenderTypes()).toEqual([
      { name: '--', value: 'U' },
      { name: '女', value: 'W' },
      { name: '男', value: 'M' },
    ])
    expect(recordsOf('get_customer_type')[0]?.method).toBe('GET')
    expect(recordsOf('get_gender_type')[0]?.method).toBe('GET')
  })

  it('getphone on 467 first gives 15920447900 李先生, as valid JSON', async () => {
    const phone = await client.getPhone({ user_id: 29, package_id: 467 })
    expect(phone.phone_no).toBe('15920447900')
    expect(phone.owner_name).toBe('李先生')
    expect(Number.isInteger(phone.phone_id) && phone.phone_id > 0).toBe(true)
    expect(recordsOf('getphone')[0]?.body).toEqual({ user_id: 29, package_id: 467 })
    expect(recordsOf('getphone')[0]?.note).toMatchObject({
      action: 'getphone',
      user_id: 29,
      phone: '15920447900',
    })
  })

  it('get_server_url answers host:port/estate without a scheme', async () => {
    expect(await client.getServerUrl()).toBe(`${new URL(root).host}/estate`)
  })
})

describe('the whole call flow', () => {
  it('login → status → server → projects → packages → phones until exhausted → saves', async () => {
    const me = await client.login({ user_num: '00006', pwd: '888' })
    const status = await client.getUserStatus({ enroll_number: '00006' })
    expect(status).toBe('活动')
    expect(isActiveUserStatus(status)).toBe(true)

    const chosen = await client.useLeastLoadedServer()
    expect(chosen).toBe(`${root}/estate`)
    expect(client.currentServer).toBe(chosen)

    const projects = await client.getProjects({ user_id: me.user_id })
    const seeded = world.projects.filter((p) => user('00006').projectIds.includes(p.pro_id))
    expect(projects.map((p) => p.pro_id)).toEqual(seeded.map((p) => p.pro_id))
    const dongguan = projects.find((p) => p.pro_id === 141)
    const seeded141 = world.projects.find((p) => p.pro_id === 141)
    expect(dongguan).toEqual({
      pro_id: 141,
      pro_name: '万科东荟城',
      start_date: seeded141?.start_date,
      end_date: seeded141?.end_date,
    })

    const packages = await client.getPackages({ user_id: me.user_id, pro_id: 141 })
    expect(packages).toContainEqual({ package_id: 467, package_name: 'VIP 客户' })
    expect(packages.map((p) => p.package_id)).toEqual(seeded141?.packages.map((p) => p.package_id))

    const list = seeded141?.packages.find((p) => p.package_id === 467)?.phones ?? []
    expect(list.length).toBeGreaterThan(1)
    const got: string[] = []
    const ids = new Set<number>()
    let end: RemoteError | undefined
    for (let i = 0; i < list.length + 5 && !end; i++) {
      try {
        const phone = await client.getPhone({ user_id: me.user_id, package_id: 467 })
        got.push(phone.phone_no)
        ids.add(phone.phone_id)
        expect(phone.owner_name).toBe(world.people.get(phone.phone_no)?.ownerName)
      } catch (e) {
        end = e as RemoteError
      }
    }
    expect(got).toEqual(list)
    expect(ids.size).toBe(list.length)
    expect(end).toBeInstanceOf(RemoteError)
    expect(end?.kind).toBe('remote')
    expect(end?.code).toBe('package-exhausted')
    expect(end?.message).toBe('此信息包已经 call 完')
    // Exhausted stays exhausted: nothing is handed out twice.
    expect((await failure(client.getPhone({ user_id: 29, package_id: 467 }))).code).toBe(
      'package-exhausted',
    )

    const items = await client.getCallbackItems()
    const follow = items.find((i) => i.item_name === '继续跟进')
    expect(follow).toBeDefined()
    await client.saveCallback({
      user_id: me.user_id,
      phone_no: '15920447900',
      owner_name: '李先生',
      package_id: 467,
      pro_id: 141,
      call_back_item_name: follow?.item_name ?? '',
    })
    const customerType = (await client.getCustomerTypes())[0]?.value ?? ''
    const gender = (await client.getGenderTypes()).find((g) => g.name === '男')?.value ?? ''
    await client.saveToCustomer({
      reg_user_id: me.user_id,
      customer_name: '李先生',
      customer_phone: '15920447900',
      gender_type: gender,
      customer_type: customerType,
      recommend: '星汇云锦',
      follow_content: '有意成交的客户',
    })

    const state = def.state()
    expect(state.callbacks).toHaveLength(1)
    expect(state.callbacks[0]).toMatchObject({
      user_id: 29,
      phone_no: '15920447900',
      call_back_item_name: '继续跟进',
      package_id: 467,
      pro_id: 141,
    })
    expect(typeof state.callbacks[0]?.received_at).toBe('string')
    expect(state.customers).toHaveLength(1)
    expect(state.customers[0]).toMatchObject({
      reg_user_id: 29,
      customer_phone: '15920447900',
      gender_type: 'M',
      customer_type: '01',
    })
    expect(state.dispensed['467']?.map((d) => d.phone_no)).toEqual(list)
    expect(state.dispensed['467']?.every((d) => d.user_id === 29)).toBe(true)
    expect(recordsOf('savecallback')).toHaveLength(1)
    expect(recordsOf('save_to_customer')).toHaveLength(1)
    expect(recordsOf('savecallback')[0]?.note).toMatchObject({
      action: 'savecallback',
      user_id: 29,
      phone: '15920447900',
      outcome: 'ok',
    })
  })

  it('two agents on one package never get the same number', async () => {
    const a = user('00006')
    const b = user('00008')
    const project = world.projects.find(
      (p) => !p.expired && a.projectIds.includes(p.pro_id) && b.projectIds.includes(p.pro_id),
    )
    const pkg = project?.packages[0]
    if (!pkg) throw new Error('seed has no shared package')
    const seen = new Map<string, number>()
    let done = 0
    for (let i = 0; done < 2 && i < pkg.phones.length * 2 + 4; i++) {
      const who = i % 2 === 0 ? a : b
      try {
        const p = await client.getPhone({ user_id: who.user_id, package_id: pkg.package_id })
        expect(seen.has(p.phone_no)).toBe(false)
        seen.set(p.phone_no, who.user_id)
      } catch (e) {
        expect((e as RemoteError).code).toBe('package-exhausted')
        done++
      }
    }
    expect([...seen.keys()].sort()).toEqual([...pkg.phones].sort())
    const dispensed = def.state().dispensed[String(pkg.package_id)] ?? []
    expect(dispensed).toHaveLength(pkg.phones.length)
    for (const d of dispensed) expect(d.user_id).toBe(seen.get(d.phone_no))
    expect(new Set(dispensed.map((d) => d.user_id))).toEqual(new Set([a.user_id, b.user_id]))
  })

  it('phone_id is stable per number across a reset', async () => {
    const first = await client.getPhone({ user_id: 29, package_id: 468 })
    server.reset()
    expect(def.state().dispensed).toEqual({})
    const again = await client.getPhone({ user_id: 29, package_id: 468 })
    expect(again).toEqual(first)
  })
})

describe('user status, credentials and projects', () => {
  it('an inactive agent logs in but is not 活动', async () => {
    const inactive = world.users.find((u) => u.status !== '活动')
    if (!inactive) throw new Error('seed has no inactive user')
    const me = await client.login({ user_num: inactive.user_num, pwd: inactive.pwd })
    expect(me.user_id).toBe(inactive.user_id)
    const status = await client.getUserStatus({ enroll_number: inactive.user_num })
    expect(status).toBe(inactive.status)
    expect(isActiveUserStatus(status)).toBe(false)
  })

  it('get_user_status finds 00006 by 6, "6" and "00006", and sends them as given', async () => {
    for (const enroll of [6, '6', '00006']) {
      expect(await client.getUserStatus({ enroll_number: enroll })).toBe('活动')
    }
    expect(recordsOf('get_user_status').map((r) => r.body)).toEqual([
      { enroll_number: 6 },
      { enroll_number: '6' },
      { enroll_number: '00006' },
    ])
  })

  it('an unknown enroll number is 未找到相关人员', async () => {
    const e = await failure(client.getUserStatus({ enroll_number: 424242 }))
    expect(e.kind).toBe('remote')
    expect(e.message).toBe('未找到相关人员')
    expect(e.code).toBe('staff-not-found')
  })

  it('wrong password or unknown user → 用户名或者密码错误 (bad-credentials)', async () => {
    for (const input of [
      { user_num: '00006', pwd: '889' },
      { user_num: '99999', pwd: '888' },
    ]) {
      const e = await failure(client.login(input))
      expect(e.kind).toBe('remote')
      expect(e.message).toBe('用户名或者密码错误')
      expect(e.code).toBe('bad-credentials')
    }
  })

  it('a machine_no the server does not allow is refused with a 机器码 message', async () => {
    const other = new WeixinClient({ baseUrl: `${root}/estate`, machineNo: 'pc-17' })
    const e = await failure(other.login({ user_num: '00006', pwd: '888' }))
    expect(e.message).toContain('机器码')
    expect(e.code).toBe('bad-machine-no')
    expect(recordsOf('login')[0]?.body).toMatchObject({ machine_no: 'pc-17' })
    // an explicit machine_no wins over the configured one
    const ok = await other.login({ user_num: '00006', pwd: '888', machine_no: 'weixin' })
    expect(ok.user_id).toBe(29)
  })

  it('getpros for an unknown user → 找不到此用户 (user-not-found)', async () => {
    const e = await failure(client.getProjects({ user_id: 999 }))
    expect(e.message).toBe('找不到此用户')
    expect(e.code).toBe('user-not-found')
  })

  it('an expired or unknown project → 联动项目已删除、或者过期 (project-expired)', async () => {
    const projects = await client.getProjects({ user_id: 29 })
    const expired = projects.find((p) => p.end_date < TODAY)
    if (!expired) throw new Error('user 29 should see an expired project')
    expect(world.projects.find((p) => p.pro_id === expired.pro_id)?.expired).toBe(true)
    for (const pro_id of [expired.pro_id, 987_654]) {
      const e = await failure(client.getPackages({ user_id: 29, pro_id }))
      expect(e.kind).toBe('remote')
      expect(e.message).toBe('联动项目已删除、或者过期')
      expect(e.code).toBe('project-expired')
    }
    const pkg = world.projects.find((p) => p.pro_id === expired.pro_id)?.packages[0]
    const e = await failure(client.getPhone({ user_id: 29, package_id: pkg?.package_id ?? 0 }))
    expect(e.code).toBe('project-expired')
    expect(def.state().dispensed).toEqual({})
  })

  it('a project not assigned to the agent is refused', async () => {
    const agent = user('00007')
    const foreign = world.projects.find((p) => !p.expired && !agent.projectIds.includes(p.pro_id))
    if (!foreign) throw new Error('seed has no foreign project')
    const e = await failure(client.getPackages({ user_id: agent.user_id, pro_id: foreign.pro_id }))
    expect(e.kind).toBe('remote')
    expect(e.code).toBe('project-forbidden')
    const p = foreign.packages[0]
    const e2 = await failure(
      client.getPhone({ user_id: agent.user_id, package_id: p?.package_id ?? 0 }),
    )
    expect(e2.code).toBe('project-forbidden')
  })

  it('an agent without projects gets an empty list', async () => {
    const idle = world.users.find((u) => u.projectIds.length === 0)
    if (!idle) throw new Error('seed has no idle user')
    expect(await client.getProjects({ user_id: idle.user_id })).toEqual([])
  })
})

describe('the sandbox validates saves like the server', () => {
  const goodCallback = {
    user_id: 29,
    phone_no: '15920447900',
    owner_name: '李先生',
    package_id: 467,
    pro_id: 141,
    call_back_item_name: '接受邀请',
  }
  const goodCustomer = {
    reg_user_id: 29,
    customer_name: '李先生',
    customer_phone: '15920447900',
    gender_type: 'M',
    customer_type: '01',
    recommend: '星汇云锦',
    follow_content: '有意成交的客户',
  }

  it('savecallback rejects what only the server can know → 传入数据错误 (bad-data)', async () => {
    for (const bad of [
      { call_back_item_name: '随便' },
      { pro_id: 123 }, // 467 belongs to 141
      { package_id: 999_999 },
      { user_id: 999 },
    ]) {
      const e = await failure(client.saveCallback({ ...goodCallback, ...bad }))
      expect(e.kind).toBe('remote')
      expect(e.message).toBe('传入数据错误')
      expect(e.code).toBe('bad-data')
    }
    expect(def.state().callbacks).toEqual([])
    await client.saveCallback(goodCallback)
    expect(def.state().callbacks).toHaveLength(1)
  })

  it('savecallback takes any number getphone dispenses, and a blank owner name, as sent', async () => {
    const phones = ['020-38861234', '020-38869999-806', '0755-26881234转3021', '400-830-1234']
    for (const phone_no of phones) await client.saveCallback({ ...goodCallback, phone_no })
    await client.saveCallback({ ...goodCallback, owner_name: '' })
    expect(def.state().callbacks.map((c) => [c.phone_no, c.owner_name])).toEqual([
      ...phones.map((p) => [p, '李先生']),
      ['15920447900', ''],
    ])
    // save_to_customer's customer_phone is a mobile: a landline there is 传入数据错误
    const raw = await fetch(`${root}/estate/ihk/weixin?action_name=save_to_customer`, {
      method: 'POST',
      body: JSON.stringify({ ...goodCustomer, customer_phone: '020-38861234' }),
    })
    expect(await raw.json()).toEqual({ errmsg: '传入数据错误' })
  })

  it('save_to_customer checks the enums and the agent', async () => {
    for (const bad of [{ gender_type: 'X' }, { customer_type: '09' }, { reg_user_id: 999 }]) {
      const e = await failure(client.saveToCustomer({ ...goodCustomer, ...bad }))
      expect(e.code).toBe('bad-data')
      expect(e.message).toBe('传入数据错误')
    }
    expect(def.state().customers).toEqual([])
    await client.saveToCustomer(goodCustomer)
    expect(def.state().customers).toHaveLength(1)
  })

  it('savecallback answers with the "errmsg " key exactly as documented', async () => {
    const url = `${root}/estate/ihk/weixin?action_name=savecallback`
    const ok = await fetch(url, { method: 'POST', body: JSON.stringify(goodCallback) })
    expect(await ok.text()).toBe('{"errmsg ":"ok"}')
    const bad = await fetch(url, {
      method: 'POST',
      body: JSON.stringify({ ...goodCallback, owner_name: undefined }),
    })
    expect(await bad.text()).toBe('{"errmsg ":"传入数据错误"}')
    const broken = await fetch(url, { method: 'POST', body: '{"user_id":1\n"pro_id":2}' })
    expect(await broken.text()).toBe('{"errmsg ":"传入数据错误"}')
    const stc = await fetch(`${root}/estate/ihk/weixin?action_name=save_to_customer`, {
      method: 'POST',
      body: JSON.stringify(goodCustomer),
    })
    expect(await stc.text()).toBe('{"errmsg":"ok"}')
    expect(def.state().callbacks).toHaveLength(1)
  })

  it('enforces the documented method, knows its actions and its path', async () => {
    const at = (action: string) => `${root}/estate/ihk/weixin?action_name=${action}`
    const getLogin = await fetch(at('login'))
    expect(getLogin.status).toBe(200)
    expect(await getLogin.json()).toEqual({ errmsg: '请求方式错误' })
    const postCallback = await fetch(at('getcallback'), { method: 'POST', body: '{}' })
    expect(await postCallback.json()).toEqual({ errmsg: '请求方式错误' })
    const unknown = await fetch(at('delete_everything'), { method: 'POST', body: '{}' })
    expect(await unknown.json()).toEqual({ errmsg: '未知的请求类型' })
    const none = await fetch(`${root}/estate/ihk/weixin`)
    expect(await none.json()).toEqual({ errmsg: '未知的请求类型' })
    const elsewhere = await fetch(`${root}/estate/ihk/other?action_name=login`)
    expect(elsewhere.status).toBe(404)
    const proto = await fetch(at('toString'), { method: 'POST', body: '{}' })
    expect(await proto.json()).toEqual({ errmsg: '未知的请求类型' })
  })
})
