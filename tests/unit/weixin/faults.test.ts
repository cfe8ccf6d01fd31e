import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { RemoteError } from '../../../electron/core/errors'
import { WeixinClient, type WeixinCallOptions } from '../../../electron/core/weixin/client'
import { SandboxServer, sleep, type FaultSpec } from '../../../electron/sandbox/framework'
import { createSeedWorld, DEFAULT_SEED } from '../../../electron/sandbox/seed'
import { createWeixinServerDef, type WeixinServerDef } from '../../../electron/sandbox/weixin'

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

async function until(check: () => boolean, ms = 3_000): Promise<void> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not reached')
    await sleep(10)
  }
}

const callback = {
  user_id: 29,
  phone_no: '15920447900',
  owner_name: '李先生',
  package_id: 467,
  pro_id: 141,
  call_back_item_name: '继续跟进',
}

beforeAll(async () => {
  def = createWeixinServerDef(createSeedWorld(DEFAULT_SEED, '2026-03-01'))
  server = new SandboxServer(def)
  root = await server.listen()
  client = new WeixinClient({ baseUrl: `${root}/estate`, timeoutMs: 3_000 })
})

beforeEach(() => server.reset())

afterAll(async () => {
  await server.close()
})

const read = (opts?: WeixinCallOptions) => client.getProjects({ user_id: 29 }, opts)
const write = (opts?: WeixinCallOptions) => client.saveCallback(callback, opts)

interface Expectation {
  kind: RemoteError['kind']
  /** whether the sandbox acted on the request */
  processed: boolean
  maybeDelivered?: boolean
  status?: number
}

const faults: [FaultSpec['mode'], Expectation][] = [
  ['drop', { kind: 'network', processed: true, maybeDelivered: true }],
  ['http500', { kind: 'http', processed: false, status: 500 }],
  ['html', { kind: 'not-json', processed: false }],
  ['truncated', { kind: 'not-json', processed: true }],
  ['tamper', { kind: 'shape', processed: true }],
]

describe.each([
  ['a read (getpros)', 'getpros', read],
  ['a write (savecallback)', 'savecallback', write],
] as const)('faults against %s', (_label, action, call) => {
  it.each(faults)('%s', async (mode, want) => {
    server.addFault({ mode, match: action, count: 1 })
    const e = await failure(call())
    expect(e.kind).toBe(want.kind)
    expect(e.system).toBe('weixin')
    if (want.maybeDelivered !== undefined) expect(e.maybeDelivered).toBe(want.maybeDelivered)
    if (want.status !== undefined) expect(e.status).toBe(want.status)
    const records = server.getRecords().filter((r) => r.key === action)
    expect(records).toHaveLength(1)
    expect(records[0]?.fault).toBe(mode)
    expect(records[0]?.processed).toBe(want.processed)
    if (action === 'savecallback') {
      expect(def.state().callbacks).toHaveLength(want.processed ? 1 : 0)
    }
    // the fault was for one request only: the next call goes through
    await call()
  })

  it('offline: the connection is reset, nothing is processed', async () => {
    await server.setOffline(true)
    const e = await failure(call())
    expect(e.kind).toBe('network')
    // the port is closed: the client knows the request never arrived
    expect(e.code).toBe('refused')
    expect(e.maybeDelivered).toBe(false)
    expect(server.getRecords()).toEqual([])
    expect(def.state().callbacks).toEqual([])
    await server.setOffline(false)
    await call()
  })

  it('latency beyond the timeout: a timeout, and a write may still land', async () => {
    server.addFault({ mode: 'none', latencyMs: 400, match: action, count: 1 })
    const started = Date.now()
    const e = await failure(call({ timeoutMs: 100 }))
    expect(Date.now() - started).toBeLessThan(390)
    expect(e.kind).toBe('network')
    expect(e.code).toBe('timeout')
    expect(e.maybeDelivered).toBe(true)
    await until(() => server.getRecords().some((r) => r.key === action && r.processed))
    if (action === 'savecallback') expect(def.state().callbacks).toHaveLength(1)
  })

  it('abort via AbortSignal', async () => {
    server.addFault({ mode: 'none', latencyMs: 400, match: action, count: 1 })
    const ac = new AbortController()
    setTimeout(() => ac.abort(), 50)
    const started = Date.now()
    const e = await failure(call({ signal: ac.signal }))
    expect(Date.now() - started).toBeLessThan(390)
    expect(e.kind).toBe('network')
    expect(e.code).toBe('aborted')
  })
})

describe('tamper yields a shape error for every action', () => {
  const calls: [string, () => Promise<unknown>][] = [
    ['login', () => client.login({ user_num: '00006', pwd: '888' })],
    ['getpros', () => client.getProjects({ user_id: 29 })],
    ['getpackages', () => client.getPackages({ user_id: 29, pro_id: 141 })],
    ['getphone', () => client.getPhone({ user_id: 29, package_id: 467 })],
    ['getcallback', () => client.getCallbackItems()],
    ['savecallback', () => client.saveCallback(callback)],
    ['get_customer_type', () => client.getCustomerTypes()],
    ['get_gender_type', () => client.getGenderTypes()],
    [
      'save_to_customer',
      () =>
        client.saveToCustomer({
          reg_user_id: 29,
          customer_name: '李先生',
          customer_phone: '15920447900',
          gender_type: 'M',
          customer_type: '01',
          recommend: '星汇云锦',
          follow_content: '有意成交的客户',
        }),
    ],
    ['get_server_url', () => client.getServerUrl()],
    ['get_user_status', () => client.getUserStatus({ enroll_number: '00006' })],
    // an errmsg answer tampered: neither error nor success, so a shape error too
    ['getpros (error)', () => client.getProjects({ user_id: 999 })],
  ]
  it.each(calls)('%s', async (_name, call) => {
    server.addFault({ mode: 'tamper', count: 1 })
    const e = await failure(call())
    expect(e.kind).toBe('shape')
    await call().catch((err: unknown) => {
      // the untampered answer is never a shape error
      expect((err as RemoteError).kind).toBe('remote')
    })
  })

  it('getphone tampered: phone_no arrives as a number', async () => {
    server.addFault({ mode: 'tamper', match: 'getphone', count: 1 })
    const e = await failure(client.getPhone({ user_id: 29, package_id: 467 }))
    expect(e.field).toBe('phone_no')
  })
})

describe('the control API over HTTP', () => {
  const control = async (method: string, what: string, body?: unknown) => {
    const res = await fetch(`${root}${server.controlPath}/__sandbox/${what}`, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    return { status: res.status, json: (await res.json()) as Record<string, unknown> }
  }

  it('POST /__sandbox/faults, GET /__sandbox/records, GET state, POST /__sandbox/reset', async () => {
    const added = await control('POST', 'faults', { mode: 'http500', match: 'getpros', count: 1 })
    expect(added.status).toBe(200)
    const listed = await control('GET', 'faults')
    expect(listed.json.faults).toEqual([
      expect.objectContaining({ mode: 'http500', match: 'getpros', remaining: 1 }),
    ])

    expect((await failure(read())).status).toBe(500)
    await read()
    await write()

    const { json: recs } = await control('GET', 'records')
    const records = recs.records as { key: string; fault: string; note?: unknown }[]
    expect(records.map((r) => [r.key, r.fault])).toEqual([
      ['getpros', 'http500'],
      ['getpros', 'none'],
      ['savecallback', 'none'],
    ])
    expect(records[2]?.note).toMatchObject({
      action: 'savecallback',
      user_id: 29,
      phone: '15920447900',
    })

    const { json: state } = await control('GET', 'state')
    expect((state.callbacks as unknown[]).length).toBe(1)

    const badFault = await control('POST', 'faults', { mode: 'explode' })
    expect(badFault.status).toBe(400)

    await control('POST', 'faults', { mode: 'html' })
    expect((await failure(read())).kind).toBe('not-json')
    expect((await control('POST', 'reset')).status).toBe(200)
    expect((await control('GET', 'records')).json.records).toEqual([])
    expect((await control('GET', 'state')).json).toEqual({
      dispensed: {},
      callbacks: [],
      customers: [],
    })
    // the reset cleared the html fault too
    expect(await read()).not.toHaveLength(0)
  })

  it('latency for every request via the control API', async () => {
    await control('POST', 'faults', { mode: 'none', latencyMs: 300 })
    const e = await failure(client.getCallbackItems({ timeoutMs: 80 }))
    expect(e.code).toBe('timeout')
    await control('DELETE', 'faults')
    await expect(client.getCallbackItems({ timeoutMs: 1_000 })).resolves.not.toHaveLength(0)
  })
})
