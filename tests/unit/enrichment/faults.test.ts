import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { CdpClient } from '../../../electron/core/enrichment/cdp'
import { MiaosuanClient } from '../../../electron/core/enrichment/miaosuan'
import { RabbitpreClient, type Timer } from '../../../electron/core/enrichment/rabbitpre'
import { RemoteError } from '../../../electron/core/errors'
import { createCdpServerDef } from '../../../electron/sandbox/cdp'
import {
  SandboxServer,
  type FaultMode,
  type SandboxServerDef,
} from '../../../electron/sandbox/framework'
import { createMiaosuanServerDef } from '../../../electron/sandbox/miaosuan'
import { createRabbitpreServerDef } from '../../../electron/sandbox/rabbitpre'
import { createSeedWorld, SANDBOX_ENRICHMENT } from '../../../electron/sandbox/seed'

/** Every sandbox fault against every enrichment client, each on a number the system knows. */

const world = createSeedWorld(1, '2026-11-22')
const people = [...world.people.values()]

interface CallOpts {
  signal?: AbortSignal
  timeoutMs?: number
}

interface Harness {
  name: string
  server: SandboxServer
  /** requests the server has read, counted before any latency fault (records come after it) */
  received(): number
  call(opts?: CallOpts): Promise<unknown>
}

/** A server whose def counts each request as it arrives (keyOf runs first, before latency). */
function counted(def: SandboxServerDef): { server: SandboxServer; received: () => number } {
  let n = 0
  const server = new SandboxServer({
    ...def,
    keyOf: (req) => {
      n += 1
      return def.keyOf(req)
    },
  })
  return { server, received: () => n }
}

// Rabbitpre runs on a fake clock shared with its sandbox, so its 1 rps limit costs no real time.
const timer: Timer & { t: number } = {
  t: 5_000_000,
  now: () => timer.t,
  sleep: async (ms, signal) => {
    if (signal?.aborted) throw new Error('aborted')
    await Promise.resolve()
    timer.t += ms
  },
}

function harnesses(): Harness[] {
  const cdpPerson = people.find((p) => p.cdp)!
  const rpPerson = people.find((p) => p.rabbitpre)!
  const msPerson = people.find((p) => p.miaosuanId !== undefined)!
  const cdpServer = counted(createCdpServerDef(world))
  const rabbitpreServer = counted(createRabbitpreServerDef(world, { now: timer.now }))
  const miaosuanServer = counted(createMiaosuanServerDef(world))
  const [cdp, rabbitpre, miaosuan] = [cdpServer, rabbitpreServer, miaosuanServer].map(
    (c) => c.server,
  ) as [SandboxServer, SandboxServer, SandboxServer]
  return [
    {
      name: 'cdp',
      server: cdp,
      received: cdpServer.received,
      call: (opts) =>
        new CdpClient({
          baseUrl: cdp.url,
          hostHeader: SANDBOX_ENRICHMENT.cdpHost,
        }).getTags({ projectId: world.projects[0]!.cdpProjectId!, phone: cdpPerson.phone }, opts),
    },
    {
      name: 'rabbitpre',
      server: rabbitpre,
      received: rabbitpreServer.received,
      call: (opts) =>
        new RabbitpreClient({
          baseUrl: rabbitpre.url,
          companyId: SANDBOX_ENRICHMENT.rabbitpreCompanyId,
          timer,
        }).getAudienceByPhones([rpPerson.phone], opts),
    },
    {
      name: 'miaosuan',
      server: miaosuan,
      received: miaosuanServer.received,
      call: (opts) =>
        new MiaosuanClient({
          baseUrl: miaosuan.url,
          userId: SANDBOX_ENRICHMENT.miaosuanUserId,
        }).getCustomer(msPerson.miaosuanId!, opts),
    },
  ]
}

async function rejection(p: Promise<unknown>): Promise<RemoteError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  )
  expect(e).toBeInstanceOf(RemoteError)
  return e as RemoteError
}

/** Waits until the server has logged the request the client gave up on (its latency over). */
async function abandonedRequestLogged(h: Harness): Promise<void> {
  await vi.waitFor(() => expect(h.server.getRecords()).toHaveLength(1), {
    timeout: 5_000,
    interval: 20,
  })
}

const all = harnesses()

beforeAll(async () => {
  await Promise.all(all.map((h) => h.server.listen(0)))
})
afterAll(async () => {
  await Promise.all(all.map((h) => h.server.close()))
})
beforeEach(() => {
  for (const h of all) h.server.reset()
})

const expectations: [FaultMode, (e: RemoteError) => void][] = [
  [
    'drop',
    (e) => {
      expect(e.kind).toBe('network')
      expect(e.maybeDelivered).toBe(true)
    },
  ],
  [
    'http500',
    (e) => {
      expect(e.kind).toBe('http')
      expect(e.status).toBe(500)
    },
  ],
  ['html', (e) => expect(e.kind).toBe('not-json')],
  ['truncated', (e) => expect(e.kind).toBe('not-json')],
  [
    'tamper',
    (e) => {
      expect(e.kind).toBe('shape')
      expect(e.field).toMatch(/^data/)
    },
  ],
  ['offline', (e) => expect(e).toMatchObject({ kind: 'network', maybeDelivered: false })],
]

describe.each(all)('$name client under sandbox faults', (h) => {
  it('succeeds with no fault (the baseline the faults break)', async () => {
    const result = await h.call()
    expect(result).not.toBeNull()
    expect(h.server.getRecords()).toHaveLength(1)
    expect(h.server.getRecords()[0]!.processed).toBe(true)
  })

  it.each(expectations)('%s', async (mode, check) => {
    // Offline lasts until switched off; the others are one-shot here.
    if (mode === 'offline') await h.server.setOffline(true)
    else h.server.addFault({ mode, count: 1 })
    const e = await rejection(h.call())
    await h.server.setOffline(false)
    expect(e.system).toBe(h.name)
    check(e)
    const processed = h.server.getRecords().map((r) => r.processed)
    if (mode === 'offline') expect(processed).toEqual([])
    else expect(processed).toEqual([mode === 'drop' || mode === 'truncated' || mode === 'tamper'])
    // The client is not left broken: the next call goes through.
    await expect(h.call()).resolves.toBeDefined()
  })

  // The latency is longer than the limit: a client that ignored its timeout or the signal would
  // get the answer and resolve, so the kind of the rejection is the proof; no wall clock needed.
  it('latency beyond the client timeout is a network timeout', async () => {
    h.server.addFault({ mode: 'none', latencyMs: 600, count: 1 })
    const e = await rejection(h.call({ timeoutMs: 150 }))
    expect([e.kind, e.code]).toEqual(['network', 'timeout'])
    // the request had reached the server, which answered into a closed connection
    await abandonedRequestLogged(h)
  })

  it('latency within the timeout is fine', async () => {
    h.server.addFault({ mode: 'none', latencyMs: 100, count: 1 })
    await expect(h.call({ timeoutMs: 2_000 })).resolves.toBeDefined()
  })

  it('an AbortSignal cancels the request in flight', async () => {
    h.server.addFault({ mode: 'none', latencyMs: 600, count: 1 })
    const before = h.received()
    const ac = new AbortController()
    const call = rejection(h.call({ signal: ac.signal }))
    // abort once the server holds the request, inside its latency
    await vi.waitFor(() => expect(h.received()).toBe(before + 1), { timeout: 5_000, interval: 5 })
    ac.abort()
    const e = await call
    expect([e.kind, e.code]).toEqual(['network', 'aborted'])
    await abandonedRequestLogged(h)
  })

  it('an already aborted signal sends nothing', async () => {
    const before = h.received()
    const ac = new AbortController()
    ac.abort()
    const e = await rejection(h.call({ signal: ac.signal }))
    expect(e.code).toBe('aborted')
    expect(e.maybeDelivered).toBe(false)
    // the next call's round trip is the barrier: only it reached the server
    await h.call()
    expect(h.received()).toBe(before + 1)
    expect(h.server.getRecords()).toHaveLength(1)
  })
})
