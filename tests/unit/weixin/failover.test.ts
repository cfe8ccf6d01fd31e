import net from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { RemoteError } from '../../../electron/core/errors'
import {
  serverBaseFromServerUrl,
  WeixinClient,
  type WeixinServerChangeReason,
} from '../../../electron/core/weixin/client'
import { SandboxServer } from '../../../electron/sandbox/framework'
import { createSeedWorld, DEFAULT_SEED } from '../../../electron/sandbox/seed'
import { createWeixinServerDef, type WeixinServerDef } from '../../../electron/sandbox/weixin'

/**
 * Two sandbox servers over one weixin def (one business state): A is the configured base and
 * answers get_server_url; B is the least-loaded server A names. A closed 127.0.0.1 port stands
 * for a least-loaded server that is down.
 */
let def: WeixinServerDef
let a: SandboxServer
let b: SandboxServer
let baseA: string
let baseB: string
let closedPort: number
let changes: [string, WeixinServerChangeReason][]
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

async function freeClosedPort(): Promise<number> {
  const s = net.createServer()
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve))
  const port = (s.address() as net.AddressInfo).port
  await new Promise<void>((resolve) => s.close(() => resolve()))
  return port
}

const on = (server: SandboxServer, action: string) =>
  server.getRecords().filter((r) => r.key === action)

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
  a = new SandboxServer(def)
  b = new SandboxServer(def)
  baseA = `${await a.listen()}/estate`
  baseB = `${await b.listen()}/estate`
  closedPort = await freeClosedPort()
})

beforeEach(() => {
  a.reset()
  b.reset()
  changes = []
  client = new WeixinClient({
    baseUrl: baseA,
    timeoutMs: 3_000,
    onServerChange: (server, reason) => changes.push([server, reason]),
  })
})

afterAll(async () => {
  await Promise.all([a.close(), b.close()])
})

const pointAt = (serverUrl: string) => def.setServerUrl(serverUrl)

describe('routing to the least-loaded server', () => {
  it('builds http://{server_url}/ihk/weixin and sends later calls there', async () => {
    pointAt(`${new URL(baseB).host}/estate`)
    expect(client.currentServer).toBe(baseA)
    expect(await client.useLeastLoadedServer()).toBe(baseB)
    expect(client.currentServer).toBe(baseB)
    expect(client.onLeastLoadedServer).toBe(true)
    expect(changes).toEqual([[baseB, 'least-loaded']])
    expect(on(a, 'get_server_url')).toHaveLength(1)

    await client.getProjects({ user_id: 29 })
    await client.saveCallback(callback)
    expect(on(b, 'getpros')).toHaveLength(1)
    expect(on(b, 'savecallback')).toHaveLength(1)
    expect(on(a, 'getpros')).toHaveLength(0)
    expect(def.state().callbacks).toHaveLength(1)

    client.resetServer()
    expect(client.currentServer).toBe(baseA)
    await client.getProjects({ user_id: 29 })
    expect(on(a, 'getpros')).toHaveLength(1)
  })

  it('a least-loaded server that is down: reads fall back to the base, for good', async () => {
    pointAt(`127.0.0.1:${closedPort}/estate`)
    await client.useLeastLoadedServer()
    expect(client.currentServer).toBe(`http://127.0.0.1:${closedPort}/estate`)

    const projects = await client.getProjects({ user_id: 29 })
    expect(projects.length).toBeGreaterThan(0)
    expect(client.currentServer).toBe(baseA)
    expect(changes.at(-1)).toEqual([baseA, 'fallback'])
    expect(on(a, 'getpros')).toHaveLength(1)

    await client.getCallbackItems()
    expect(on(a, 'getcallback')).toHaveLength(1)
  })

  it('a write to a refused server cannot have arrived: retried once on the base', async () => {
    pointAt(`127.0.0.1:${closedPort}/estate`)
    await client.useLeastLoadedServer()
    await client.saveCallback(callback)
    expect(client.currentServer).toBe(baseA)
    expect(on(a, 'savecallback')).toHaveLength(1)
    expect(def.state().callbacks).toHaveLength(1)
  })

  it('a write whose answer was lost is not repeated: the outbox decides', async () => {
    pointAt(`${new URL(baseB).host}/estate`)
    await client.useLeastLoadedServer()
    b.addFault({ mode: 'drop', match: 'savecallback', count: 1 })
    const e = await failure(client.saveCallback(callback))
    expect(e.kind).toBe('network')
    expect(e.maybeDelivered).toBe(true)
    expect(client.currentServer).toBe(baseA)
    expect(on(a, 'savecallback')).toHaveLength(0)
    expect(def.state().callbacks).toHaveLength(1)
  })

  it('a save_to_customer timing out on the chosen server is not repeated either', async () => {
    pointAt(`${new URL(baseB).host}/estate`)
    await client.useLeastLoadedServer()
    b.addFault({ mode: 'none', latencyMs: 300, match: 'save_to_customer', count: 1 })
    const e = await failure(
      client.saveToCustomer(
        {
          reg_user_id: 29,
          customer_name: '李先生',
          customer_phone: '15920447900',
          gender_type: 'M',
          customer_type: '01',
          recommend: '星汇云锦',
          follow_content: '有意成交的客户',
        },
        { timeoutMs: 80 },
      ),
    )
    expect(e.code).toBe('timeout')
    expect(client.currentServer).toBe(baseA)
    expect(on(a, 'save_to_customer')).toHaveLength(0)
  })

  it('a read whose answer was lost is retried once on the base', async () => {
    pointAt(`${new URL(baseB).host}/estate`)
    await client.useLeastLoadedServer()
    b.addFault({ mode: 'drop', match: 'getpackages', count: 1 })
    const packages = await client.getPackages({ user_id: 29, pro_id: 141 })
    expect(packages.map((p) => p.package_id)).toContain(467)
    expect(on(b, 'getpackages')).toHaveLength(1)
    expect(on(a, 'getpackages')).toHaveLength(1)
    expect(client.currentServer).toBe(baseA)
  })

  it('the retried read fails too: its error is thrown', async () => {
    pointAt(`${new URL(baseB).host}/estate`)
    await client.useLeastLoadedServer()
    b.addFault({ mode: 'drop', match: 'getpros', count: 1 })
    a.addFault({ mode: 'http500', match: 'getpros', count: 1 })
    const e = await failure(client.getProjects({ user_id: 29 }))
    expect(e.kind).toBe('http')
    expect(client.currentServer).toBe(baseA)
  })

  it('getphone dispenses: a lost answer is not retried (no second number handed out)', async () => {
    pointAt(`${new URL(baseB).host}/estate`)
    await client.useLeastLoadedServer()
    b.addFault({ mode: 'drop', match: 'getphone', count: 1 })
    const e = await failure(client.getPhone({ user_id: 29, package_id: 467 }))
    expect(e.maybeDelivered).toBe(true)
    expect(def.state().dispensed['467']).toHaveLength(1)
    expect(on(a, 'getphone')).toHaveLength(0)
  })

  it('an HTTP or business error from the chosen server is no reason to leave it', async () => {
    pointAt(`${new URL(baseB).host}/estate`)
    await client.useLeastLoadedServer()
    b.addFault({ mode: 'http500', match: 'getpros', count: 1 })
    expect((await failure(client.getProjects({ user_id: 29 }))).kind).toBe('http')
    expect((await failure(client.getProjects({ user_id: 999 }))).code).toBe('user-not-found')
    expect(client.currentServer).toBe(baseB)
    expect(on(a, 'getpros')).toHaveLength(0)
  })

  it("the caller's abort is no reason to leave it either", async () => {
    pointAt(`${new URL(baseB).host}/estate`)
    await client.useLeastLoadedServer()
    b.addFault({ mode: 'none', latencyMs: 300, match: 'getpros', count: 1 })
    const ac = new AbortController()
    setTimeout(() => ac.abort(), 30)
    const e = await failure(client.getProjects({ user_id: 29 }, { signal: ac.signal }))
    expect(e.code).toBe('aborted')
    expect(client.currentServer).toBe(baseB)
    expect(on(a, 'getpros')).toHaveLength(0)
  })

  it('the base failing is not retried', async () => {
    a.addFault({ mode: 'drop', match: 'getpros', count: 1 })
    const e = await failure(client.getProjects({ user_id: 29 }))
    expect(e.kind).toBe('network')
    expect(on(a, 'getpros')).toHaveLength(1)
  })
})

describe('a server_url that is not host[:port]/path is rejected', () => {
  it.each([
    'http://127.0.0.1:8080/estate',
    '127.0.0.1:8080',
    '127.0.0.1:99999/estate',
    '127.0.0.1:0/estate',
    'not a host/estate',
    '',
    '/estate',
    '127.0.0.1:8080/estate?x=1',
    'évil.example/estate',
  ])('%j', async (serverUrl) => {
    pointAt(`${new URL(baseB).host}/estate`)
    await client.useLeastLoadedServer()
    pointAt(serverUrl)
    const e = await failure(client.useLeastLoadedServer())
    expect(e.kind).toBe('shape')
    expect(e.field).toBe('server_url')
    expect(client.currentServer).toBe(baseA)
    expect((await failure(client.getServerUrl())).kind).toBe('shape')
    expect(() => serverBaseFromServerUrl(serverUrl)).toThrow(RemoteError)
  })

  it('get_server_url failing leaves the client on the base', async () => {
    a.addFault({ mode: 'html', match: 'get_server_url', count: 1 })
    const e = await failure(client.useLeastLoadedServer())
    expect(e.kind).toBe('not-json')
    expect(client.currentServer).toBe(baseA)
  })

  it('accepts the documented form and variants', () => {
    expect(serverBaseFromServerUrl('gd.hfit.ihk.cn:83/estate')).toBe(
      'http://gd.hfit.ihk.cn:83/estate',
    )
    expect(serverBaseFromServerUrl('127.0.0.1:8080/estate/')).toBe('http://127.0.0.1:8080/estate')
    expect(serverBaseFromServerUrl(' host-1.local/a/b ')).toBe('http://host-1.local/a/b')
  })
})
