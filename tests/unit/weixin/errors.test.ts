import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { RemoteError } from '../../../electron/core/errors'
import type { HttpRequest, HttpTransport } from '../../../electron/core/http/transport'
import {
  classifyWeixinErrmsg,
  foldErrmsg,
  WeixinClient,
  type WeixinCallOptions,
} from '../../../electron/core/weixin/client'
import { SandboxServer } from '../../../electron/sandbox/framework'
import { createSeedWorld, DEFAULT_SEED } from '../../../electron/sandbox/seed'
import { createWeixinServerDef } from '../../../electron/sandbox/weixin'

async function failure(p: Promise<unknown>): Promise<RemoteError> {
  try {
    await p
  } catch (e) {
    expect(e).toBeInstanceOf(RemoteError)
    return e as RemoteError
  }
  throw new Error('expected the call to fail')
}

/** A transport that answers every request with a fixed body, remembering what it was asked. */
function canned(text: string, status = 200): { transport: HttpTransport; seen: HttpRequest[] } {
  const seen: HttpRequest[] = []
  return {
    seen,
    transport: async (_system, req) => {
      seen.push(req)
      return { status, headers: {}, text }
    },
  }
}

const clientWith = (transport: HttpTransport) =>
  new WeixinClient({ baseUrl: 'http://127.0.0.1:9/estate', transport })

const callback = {
  user_id: 29,
  phone_no: '15920447900',
  owner_name: '李先生',
  package_id: 467,
  pro_id: 141,
  call_back_item_name: '继续跟进',
}
const customer = {
  reg_user_id: 29,
  customer_name: '李先生',
  customer_phone: '15920447900',
  gender_type: 'M',
  customer_type: '01',
  recommend: '星汇云锦',
  follow_content: '有意成交的客户',
}

describe('errmsg handling', () => {
  it('accepts "errmsg" and "errmsg " as ok for both saves', async () => {
    for (const text of ['{"errmsg":"ok"}', '{"errmsg ":"ok"}', '{"errmsg ": " ok "}']) {
      const { transport, seen } = canned(text)
      const c = clientWith(transport)
      await expect(c.saveCallback(callback)).resolves.toBeUndefined()
      await expect(c.saveToCustomer(customer)).resolves.toBeUndefined()
      expect(seen).toHaveLength(2)
    }
  })

  it('treats any other errmsg as an error under either spelling', async () => {
    for (const [text, code, message] of [
      ['{"errmsg":"传入数据错误"}', 'bad-data', '传入数据错误'],
      ['{"errmsg ":"传入数据错误"}', 'bad-data', '传入数据错误'],
      ['{"errmsg ":"此信息包已经 call 完"}', 'package-exhausted', '此信息包已经 call 完'],
      ['{"errmsg":"系统维护中"}', '系统维护中', '系统维护中'],
    ] as const) {
      const e = await failure(clientWith(canned(text).transport).saveCallback(callback))
      expect(e.kind).toBe('remote')
      expect(e.system).toBe('weixin')
      expect(e.code).toBe(code)
      expect(e.message).toBe(message)
    }
  })

  it('an errmsg next to success fields is still an error', async () => {
    const withData = '{"user_id":29,"user_name":"冯依敏","errmsg":"账号已锁定"}'
    const e = await failure(
      clientWith(canned(withData).transport).login({ user_num: '1', pwd: '1' }),
    )
    expect(e.kind).toBe('remote')
    expect(e.message).toBe('账号已锁定')
    expect(e.code).toBe('账号已锁定')

    const spaced =
      '{"errmsg ":"此信息包已经 call 完","phone_id":1,"phone_no":"15920447900","owner_name":"李"}'
    const e2 = await failure(
      clientWith(canned(spaced).transport).getPhone({ user_id: 29, package_id: 467 }),
    )
    expect(e2.code).toBe('package-exhausted')

    // both spellings present: the failing one wins
    const both = '{"errmsg":"ok","errmsg ":"传入数据错误"}'
    expect((await failure(clientWith(canned(both).transport).saveCallback(callback))).code).toBe(
      'bad-data',
    )
  })

  it('an errmsg "ok" next to the data is a success', async () => {
    const text = '{"user_id":29,"user_name":"冯依敏","errmsg":"ok"}'
    const me = await clientWith(canned(text).transport).login({ user_num: '00006', pwd: '888' })
    expect(me).toEqual({ user_id: 29, user_name: '冯依敏' })
  })

  it('an empty errmsg is an error; a non-text errmsg or none on a save is a shape error', async () => {
    const empty = await failure(
      clientWith(canned('{"errmsg":""}').transport).saveCallback(callback),
    )
    expect(empty.kind).toBe('remote')
    expect(empty.code).toBe('unknown')
    expect(empty.message.length).toBeGreaterThan(0)

    const nulled = '{"user_id":29,"user_name":"x","errmsg":null}'
    const e = await failure(clientWith(canned(nulled).transport).login({ user_num: '1', pwd: '1' }))
    expect(e.kind).toBe('shape')
    expect(e.field).toBe('errmsg')

    const none = await failure(clientWith(canned('{}').transport).saveToCustomer(customer))
    expect(none.kind).toBe('shape')
    expect(none.field).toBe('errmsg')
    const notOk = await failure(
      clientWith(canned('{"result":"ok"}').transport).saveCallback(callback),
    )
    expect(notOk.kind).toBe('shape')
  })

  it('a BOM before the JSON is tolerated; an array body is a shape error', async () => {
    const bom = '\uFEFF{"user_status":"活动"}'
    expect(await clientWith(canned(bom).transport).getUserStatus({ enroll_number: 6 })).toBe('活动')
    const arr = await failure(clientWith(canned('[]').transport).getCallbackItems())
    expect(arr.kind).toBe('shape')
  })

  it('classifies the well-known texts, tolerant of spacing', () => {
    expect(classifyWeixinErrmsg('此信息包已经 call 完')).toBe('package-exhausted')
    expect(classifyWeixinErrmsg('此信息包已经call完')).toBe('package-exhausted')
    expect(classifyWeixinErrmsg('此信息包已经 CALL 完')).toBe('package-exhausted')
    expect(classifyWeixinErrmsg('联动项目已删除、或者过期')).toBe('project-expired')
    expect(classifyWeixinErrmsg('用户名或者密码错误')).toBe('bad-credentials')
    expect(classifyWeixinErrmsg('找不到此用户')).toBe('user-not-found')
    expect(classifyWeixinErrmsg('未找到相关人员')).toBe('staff-not-found')
    expect(classifyWeixinErrmsg('传入数据错误')).toBe('bad-data')
    expect(classifyWeixinErrmsg('未知的请求类型')).toBe('unknown-action')
    expect(classifyWeixinErrmsg(' 别的错误 ')).toBe('别的错误')
  })

  it('foldErrmsg leaves a body without errmsg alone and folds "errmsg "', () => {
    expect(foldErrmsg({ a: 1 })).toEqual({ a: 1 })
    expect(foldErrmsg({ 'errmsg ': 'ok' })).toEqual({ errmsg: 'ok' })
    expect(() => foldErrmsg({ 'errmsg ': 'no' })).toThrow(RemoteError)
  })
})

describe('nothing but RemoteError escapes', () => {
  it('a transport that throws something else becomes a network error', async () => {
    const boom: HttpTransport = async () => {
      throw new TypeError('socket exploded')
    }
    const e = await failure(clientWith(boom).getCallbackItems())
    expect(e.kind).toBe('network')
    expect(e.maybeDelivered).toBe(true)
    expect(e.cause).toBeInstanceOf(TypeError)
  })

  it('a bad base URL is a typed configuration error', () => {
    for (const baseUrl of ['not a url', 'ftp://127.0.0.1/estate', 'http://127.0.0.1/estate?x=1']) {
      let caught: unknown
      try {
        new WeixinClient({ baseUrl })
      } catch (e) {
        caught = e
      }
      expect(caught).toBeInstanceOf(RemoteError)
      expect((caught as RemoteError).kind).toBe('invalid-request')
      expect((caught as RemoteError).field).toBe('baseUrl')
    }
  })

  it('builds the documented action URL from the base, trailing slash or not', async () => {
    for (const baseUrl of ['http://127.0.0.1:9/estate', 'http://127.0.0.1:9/estate/']) {
      const { transport, seen } = canned('{"call_back_item":[]}')
      await new WeixinClient({ baseUrl, transport }).getCallbackItems()
      expect(seen[0]?.url).toBe('http://127.0.0.1:9/estate/ihk/weixin?action_name=getcallback')
      expect(seen[0]?.method).toBe('GET')
      expect(seen[0]?.body).toBeUndefined()
    }
  })

  it('passes the timeout and the signal to the transport', async () => {
    const { transport, seen } = canned('{"gender_type":[]}')
    const c = new WeixinClient({ baseUrl: 'http://127.0.0.1:9/estate', transport, timeoutMs: 1234 })
    await c.getGenderTypes()
    const ac = new AbortController()
    const opts: WeixinCallOptions = { timeoutMs: 77, signal: ac.signal }
    await c.getGenderTypes(opts)
    expect(seen[0]?.timeoutMs).toBe(1234)
    expect(seen[1]?.timeoutMs).toBe(77)
    expect(seen[1]?.signal).toBe(ac.signal)
  })

  it('an already-aborted signal sends nothing', async () => {
    const { transport, seen } = canned('{"gender_type":[]}')
    const ac = new AbortController()
    ac.abort()
    const e = await failure(clientWith(transport).getGenderTypes({ signal: ac.signal }))
    expect(e.kind).toBe('network')
    expect(e.code).toBe('aborted')
    expect(e.maybeDelivered).toBe(false)
    expect(seen).toHaveLength(0)
  })
})

describe('local request validation (against the sandbox: nothing may arrive)', () => {
  const server = new SandboxServer(
    createWeixinServerDef(createSeedWorld(DEFAULT_SEED, '2026-03-01')),
  )
  let client: WeixinClient

  beforeAll(async () => {
    client = new WeixinClient({ baseUrl: `${await server.listen()}/estate` })
  })
  beforeEach(() => server.reset())
  afterAll(async () => {
    await server.close()
  })

  type Case = [string, (c: WeixinClient) => Promise<unknown>, string, string]
  const bad = <T>(v: unknown) => v as T
  const cases: Case[] = [
    ['login: empty 工号', (c) => c.login({ user_num: ' ', pwd: '888' }), 'user_num', '工号'],
    ['login: empty 密码', (c) => c.login({ user_num: '00006', pwd: '' }), 'pwd', '密码'],
    ['login: missing 密码', (c) => c.login(bad({ user_num: '00006' })), 'pwd', '请填写密码'],
    ['getpros: user_id 0', (c) => c.getProjects({ user_id: 0 }), 'user_id', '用户 id'],
    ['getpros: user_id 1.5', (c) => c.getProjects({ user_id: 1.5 }), 'user_id', '正整数'],
    ['getpros: user_id "29"', (c) => c.getProjects(bad({ user_id: '29' })), 'user_id', '正整数'],
    [
      'getpackages: no pro_id',
      (c) => c.getPackages(bad({ user_id: 29 })),
      'pro_id',
      '请填写项目 id',
    ],
    [
      'getphone: negative package_id',
      (c) => c.getPhone({ user_id: 29, package_id: -467 }),
      'package_id',
      '信息包 id',
    ],
    [
      'savecallback: blank phone',
      (c) => c.saveCallback({ ...callback, phone_no: '   ' }),
      'phone_no',
      '请填写电话号码',
    ],
    [
      'savecallback: phone over 64 characters',
      (c) => c.saveCallback({ ...callback, phone_no: '0'.repeat(65) }),
      'phone_no',
      '64',
    ],
    [
      'savecallback: owner over our limit',
      (c) => c.saveCallback({ ...callback, owner_name: '李'.repeat(65) }),
      'owner_name',
      '客户姓名',
    ],
    [
      'savecallback: no disposition',
      (c) => c.saveCallback(bad({ ...callback, call_back_item_name: undefined })),
      'call_back_item_name',
      '反馈类型',
    ],
    [
      'savecallback: NaN pro_id',
      (c) => c.saveCallback({ ...callback, pro_id: Number.NaN }),
      'pro_id',
      '项目 id',
    ],
    [
      'save_to_customer: landline',
      (c) => c.saveToCustomer({ ...customer, customer_phone: '02088886666' }),
      'customer_phone',
      '客户电话',
    ],
    [
      'get_user_status: letters',
      (c) => c.getUserStatus({ enroll_number: 'abc' }),
      'enroll_number',
      '工号',
    ],
    [
      'get_user_status: negative',
      (c) => c.getUserStatus({ enroll_number: -6 }),
      'enroll_number',
      '工号',
    ],
    ['get_user_status: missing', (c) => c.getUserStatus(bad({})), 'enroll_number', '请填写工号'],
  ]
  const labels: Record<string, string> = {
    reg_user_id: 'Call 客人员 id',
    customer_name: '客户姓名',
    customer_phone: '客户电话',
    gender_type: '客户性别',
    customer_type: '客户类型',
    recommend: '推荐楼盘',
    follow_content: '跟进内容',
  }
  for (const [field, label] of Object.entries(labels)) {
    cases.push([
      `save_to_customer: missing ${field}`,
      (c) => c.saveToCustomer(bad({ ...customer, [field]: undefined })),
      field,
      `请填写${label}`,
    ])
  }

  it.each(cases)('%s', async (_name, call, field, text) => {
    const e = await failure(call(client))
    expect(e.kind).toBe('invalid-request')
    expect(e.system).toBe('weixin')
    expect(e.field).toBe(field)
    expect(e.message).toContain(text)
    expect(server.getRecords()).toEqual([])
  })

  it('a null input is rejected too', async () => {
    const e = await failure(client.saveCallback(bad(null)))
    expect(e.kind).toBe('invalid-request')
    expect(server.getRecords()).toEqual([])
  })

  it('texts and phones are sent trimmed, extra keys are not sent', async () => {
    await client.saveCallback(
      bad({ ...callback, owner_name: ' 李先生 ', phone_no: ' 15920447900 ', extra: 'x' }),
    )
    expect(server.getRecords()[0]?.body).toEqual({ ...callback })
  })
})
