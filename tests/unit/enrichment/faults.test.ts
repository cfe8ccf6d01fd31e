import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { CdpClient } from '../../../electron/core/enrichment/cdp'
import { MiaosuanClient } from '../../../electron/core/enrichment/miaosuan'
import { RabbitpreClient, type Timer } from '../../../electron/core/enrichment/rabbitpre'
import { RemoteError } from '../../../electron/core/errors'
import { createCdpServerDef } from '../../../electron/sandbox/cdp'
import { SandboxServer, type FaultMode } from '../../../electron/sandbox/framework'
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
  call(opts?: CallOpts): Promise<unknown>
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
  const cdp = new SandboxServer(createCdpServerDef(world))
  const rabbitpre = new SandboxServer(createRabbitpreServerDef(world, { now: timer.now }))
  const miaosuan = new SandboxServer(createMiaosuanServerDef(world))
  return [
    {
      name: 'cdp',
      server: cdp,
      call: (opts) =>
        new CdpClient({ baseUrl: cdp.url, hostHeader: SANDBOX_ENRICHMENT.cdpHost }).getTags(
          { projectId: 141, phone: cdpPerson.phone },
          opts,
        ),
    },
    {
      name: 'rabbitpre',
      server: rabbitpre,
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

  it('latency beyond the client timeout is a network timeout', async () => {
    h.server.addFault({ mode: 'none', latencyMs: 600, count: 1 })
    const started = Date.now()
    const e = await rejection(h.call({ timeoutMs: 150 }))
    expect(e.kind).toBe('network')
    expect(e.code).toBe('timeout')
    expect(Date.now() - started).toBeLessThan(550)
  })

  it('latency within the timeout is fine', async () => {
    h.server.addFault({ mode: 'none', latencyMs: 100, count: 1 })
    await expect(h.call({ timeoutMs: 2_000 })).resolves.toBeDefined()
  })

  it('an AbortSignal cancels the request in flight', async () => {
    h.server.addFault({ mode: 'none', latencyMs: 800, count: 1 })
    const ac = new AbortController()
    setTimeout(() => ac.abort(), 80)
    const started = Date.now()
    const e = await rejection(h.call({ signal: ac.signal }))
    expect(e.kind).toBe('network')
    expect(e.code).toBe('aborted')
    expect(Date.now() - started).toBeLessThan(700)
  })

  it('an already aborted signal sends nothing', async () => {
    const ac = new AbortController()
    ac.abort()
    const e = await rejection(h.call({ signal: ac.signal }))
    expect(e.code).toBe('aborted')
    expect(e.maybeDelivered).toBe(false)
    await new Promise((r) => setTimeout(r, 20))
    expect(h.server.getRecords()).toHaveLength(0)
  })
})
