import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { SyncStatus } from '../../../shared/domain'
import { openDatabase, type AppDatabase } from '../../../electron/services/db/database'
import { assembleOutbox, type AppOutbox, type OutboxParts } from '../../../electron/services/outbox'
import type { Deliverer, DeliveryResult } from '../../../electron/services/outbox/delivery'
import type { OutboxRow } from '../../../electron/services/outbox/rows'
import type { Timers } from '../../../electron/services/outbox/timers'
import { memoryLog, reportCall, saveToCustomer, savecallback, tempDir } from './helpers'

/** A clock and timers the test moves by hand; real I/O (SQLite) still runs. */
class FakeTime {
  now = Date.parse('2026-11-22T02:00:00Z')
  private seq = 0
  private tasks = new Map<number, { at: number; fn: () => void }>()

  readonly timers: Timers = {
    setTimeout: (fn, ms) => {
      const id = ++this.seq
      this.tasks.set(id, { at: this.now + Math.max(0, ms), fn })
      return id
    },
    clearTimeout: (h) => {
      this.tasks.delete(h as number)
    },
  }

  private nextDue(limit: number): [number, { at: number; fn: () => void }] | undefined {
    let best: [number, { at: number; fn: () => void }] | undefined
    for (const e of this.tasks) if (e[1].at <= limit && (!best || e[1].at < best[1].at)) best = e
    return best
  }

  /** Runs what is due now, letting promises and I/O settle in between, until nothing is. */
  async settle(): Promise<void> {
    for (let quiet = 0; quiet < 3;) {
      const due = this.nextDue(this.now)
      if (due) {
        this.tasks.delete(due[0])
        due[1].fn()
        quiet = 0
      } else quiet++
      await new Promise((r) => setImmediate(r))
    }
  }

  /** Moves the clock forward, firing each timer at its time. */
  async advance(ms: number): Promise<void> {
    const target = this.now + ms
    await this.settle()
    for (let due = this.nextDue(target); due; due = this.nextDue(target)) {
      this.now = Math.max(this.now, due[1].at)
      await this.settle()
    }
    this.now = target
    await this.settle()
  }
}

/** A deliverer the test scripts: each call records when it started and how many ran at once. */
class ScriptedDeliverer implements Deliverer {
  calls: { id: string; phone: string; kind: string; at: number; attempts: number }[] = []
  inFlight = 0
  maxInFlight = 0
  /** what to answer for a row; may return a promise the test resolves later */
  answer: (row: OutboxRow) => DeliveryResult | Promise<DeliveryResult> = () => ({
    type: 'delivered',
    reach: 'online',
  })

  constructor(private readonly time: FakeTime) {}

  async deliver(row: OutboxRow): Promise<DeliveryResult> {
    this.calls.push({
      id: row.id,
      phone: row.phone,
      kind: row.kind,
      at: this.time.now,
      attempts: row.attempts,
    })
    this.inFlight++
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight)
    try {
      return await this.answer(row)
    } finally {
      this.inFlight--
    }
  }
}

const offline: DeliveryResult = {
  type: 'retry',
  error: { kind: 'network', message: '置业外呼服务：无法连接服务器', code: 'refused' },
  reach: 'offline',
}
const lost: DeliveryResult = {
  type: 'maybe-delivered',
  error: { kind: 'network', message: '置业外呼服务：连接被中断', code: 'reset' },
  reach: 'online',
}

let db: AppDatabase
let time: FakeTime
let d: ScriptedDeliverer
let outbox: AppOutbox
/** the engine and the store behind `outbox`, for what only they can tell */
let parts: OutboxParts
let emitted: SyncStatus[]
let random: () => number
/** ms that pass at every reading of the clock (a slow disk under the round's commit) */
let clockStep: number

function make(opts: { concurrency?: number; prefetch?: number } = {}): AppOutbox {
  emitted = []
  parts = assembleOutbox({
    db,
    connections: { get: async () => ({ weixin: {} as never, datacenter: null }) },
    log: memoryLog().log,
    emit: (_e, s) => emitted.push(s),
    now: () => (time.now += clockStep),
    deliverer: d,
    autoStart: false,
    engine: { timers: time.timers, random: () => random(), ...opts },
  })
  outbox = parts.outbox
  return outbox
}

beforeEach(() => {
  db = openDatabase(path.join(tempDir(), 'callcenter.db'))
  time = new FakeTime()
  d = new ScriptedDeliverer(time)
  random = () => 0.5
  clockStep = 0
})
afterEach(async () => {
  await outbox?.stop()
  db.close()
})

const phones = (n: number, from = 0): string[] =>
  Array.from({ length: n }, (_, i) => `1390000${String(from + i).padStart(4, '0')}`)

describe('back-off', () => {
  it('full jitter: random × min(cap, base × 2^(n−1)), within [0, ceiling)', () => {
    make()
    const e = parts.engine
    random = () => 0.999999
    expect([1, 2, 3, 4, 9, 10, 30].map((n) => e.backoff(n))).toEqual([
      999, 1999, 3999, 7999, 255_999, 299_999, 299_999,
    ])
    random = () => 0
    expect(e.backoff(5)).toBe(0)
    random = () => 0.25
    expect(e.backoff(3)).toBe(1000)
  })

  it('an item that keeps failing is tried at growing, jittered intervals', async () => {
    make()
    d.answer = () => ({ ...offline, reach: undefined }) as DeliveryResult
    const [item] = outbox.enqueue([savecallback('13900000001')])
    const seen: number[] = []
    random = () => {
      const r = [0.5, 0.9, 0.1, 0.7, 0.3][seen.length] ?? 0.5
      seen.push(r)
      return r
    }
    outbox.start()
    await time.settle()
    await time.advance(13_100)
    const starts = d.calls.map((c) => c.at - d.calls[0]!.at)
    const gaps = starts.slice(1).map((s, i) => s - starts[i]!)
    // attempt n waits random × 1000 × 2^(n−1)
    expect(gaps).toEqual([500, 1800, 400, 5600, 4800])
    expect(parts.store.get(item!.id)).toMatchObject({ state: 'pending', attempts: 6 })
    expect(parts.store.get(item!.id)!.nextAttemptAt! - time.now).toBe(16_000)
  })
})

describe('the loop', () => {
  it('a retry that falls due while its round is still committing is tried all the same', async () => {
    make()
    let answered = 0
    d.answer = () => (answered++ === 0 ? { ...offline, reach: 'online' } : { type: 'delivered' })
    // the retry waits 1 ms; every reading of the clock finds 2 ms gone
    random = () => 0.001
    clockStep = 2
    const [item] = outbox.enqueue([savecallback('13900000001')])
    outbox.start()
    await time.advance(1_000)
    expect(d.calls).toHaveLength(2)
    expect(parts.store.get(item!.id)).toMatchObject({ state: 'delivered', attempts: 2 })
  })

  it('never has more than `concurrency` sends in flight, and delivers everything', async () => {
    make({ concurrency: 4 })
    d.answer = () =>
      new Promise((resolve) => time.timers.setTimeout(() => resolve({ type: 'delivered' }), 100))
    outbox.enqueue(phones(20).map((p) => savecallback(p)))
    outbox.start()
    await time.advance(2_000)
    expect(d.calls).toHaveLength(20)
    expect(d.maxInFlight).toBe(4)
    expect(parts.engine.peakInFlight).toBe(4)
    expect(outbox.status()).toMatchObject({ pending: 0, sending: 0, failed: 0, uncertain: 0 })
    // 20 sends of 100 ms, four at a time
    expect(d.calls[d.calls.length - 1]!.at - d.calls[0]!.at).toBe(400)
  })

  it('per-phone order: a later item of a phone waits for the earlier one; a failure holds it', async () => {
    make({ concurrency: 4 })
    const [a1, a2, a3] = outbox.enqueue([
      savecallback('13900000011'),
      reportCall('13900000011'),
      saveToCustomer('13900000011'),
    ])
    const [b1] = outbox.enqueue([savecallback('13900000012')])
    const [c1, c2] = outbox.enqueue([savecallback('13900000013'), saveToCustomer('13900000013')])
    d.answer = (row) =>
      row.id === c1!.id
        ? { type: 'failed', error: { kind: 'remote', message: '传入数据错误' } }
        : new Promise((r) => time.timers.setTimeout(() => r({ type: 'delivered' }), 50))
    outbox.start()
    await time.advance(1_000)
    const order = d.calls.map((c) => c.id)
    expect(order.indexOf(a1!.id)).toBeLessThan(order.indexOf(a2!.id))
    expect(order.indexOf(a2!.id)).toBeLessThan(order.indexOf(a3!.id))
    const at = (id: string) => d.calls.find((c) => c.id === id)!.at
    expect(at(a2!.id)).toBeGreaterThanOrEqual(at(a1!.id) + 50)
    expect(order).toContain(b1!.id)
    expect(order).not.toContain(c2!.id)
    expect(parts.store.get(c2!.id)?.state).toBe('pending')
    // the agent discards the failed one: the next item of that phone goes
    outbox.discard(c1!.id)
    await time.advance(100)
    expect(d.calls.map((c) => c.id)).toContain(c2!.id)
  })

  it('a weixin item that may have arrived is retried once, then parked for the agent', async () => {
    make()
    d.answer = () => lost
    const [item] = outbox.enqueue([savecallback('13900000021')])
    outbox.start()
    await time.advance(60 * 60_000)
    expect(d.calls).toHaveLength(2)
    expect(parts.store.get(item!.id)).toMatchObject({
      state: 'uncertain',
      uncertain: true,
      nextAttemptAt: null,
    })
    expect(outbox.status().uncertain).toBe(1)
    expect(emitted.at(-1)?.uncertain).toBe(1)
    // the agent retries; this time it arrives (and stays flagged)
    d.answer = () => ({ type: 'delivered' })
    outbox.retry(item!.id)
    await time.settle()
    expect(parts.store.get(item!.id)).toMatchObject({ state: 'delivered', uncertain: true })
  })

  it('items a crash left sending: weixin → uncertain and retried once; Data Center → pending', async () => {
    make()
    const [w, dc] = outbox.enqueue([savecallback('13900000031'), reportCall('13900000032')])
    parts.store.transaction(() => parts.store.claim({ limit: 10 }))
    // a new engine over the same database, as after a restart
    make()
    outbox.start()
    await time.advance(5_000)
    expect(parts.store.get(w!.id)).toMatchObject({ state: 'delivered', uncertain: true })
    expect(parts.store.get(dc!.id)).toMatchObject({ state: 'delivered', uncertain: false })
  })

  it('flush: waiting items go now, with a progress count while the backlog drains', async () => {
    make()
    d.answer = () => ({ ...offline, reach: undefined }) as DeliveryResult
    outbox.enqueue(phones(6, 40).map((p) => savecallback(p)))
    outbox.start()
    await time.settle()
    expect(d.calls).toHaveLength(6)
    // each send takes 60 ms: the flush lasts long enough to be seen
    d.answer = () =>
      new Promise((r) =>
        time.timers.setTimeout(() => r({ type: 'delivered', reach: 'online' }), 60),
      )
    emitted.length = 0
    const s = outbox.flush()
    expect(s.flush).toEqual({ total: 6, done: 0 })
    await time.advance(400)
    expect(d.calls).toHaveLength(12)
    expect(outbox.status()).toMatchObject({ pending: 0, flush: null })
    expect(emitted.some((e) => e.flush && e.flush.total === 6 && e.flush.done > 0)).toBe(true)
    expect(emitted.at(-1)).toMatchObject({ pending: 0, flush: null })
  })

  it('syncProgress is throttled to one per 100 ms, and the last state is always sent', async () => {
    make({ concurrency: 4 })
    outbox.enqueue(phones(40, 60).map((p) => savecallback(p)))
    outbox.start()
    await time.settle() // the clock does not move: everything is delivered "at once"
    expect(outbox.status().pending).toBe(0)
    expect(emitted.length).toBeLessThanOrEqual(4)
    await time.advance(100)
    expect(emitted.at(-1)).toMatchObject({ pending: 0, sending: 0 })
  })
})

describe('online and offline', () => {
  it('offline: one probe at a time with back-off; back online, the rest flows at full width', async () => {
    make({ concurrency: 4 })
    let network = false
    d.answer = (row) =>
      network || row.kind === 'datacenter.report_call'
        ? { type: 'delivered', reach: 'online' }
        : offline
    outbox.enqueue(phones(12, 100).map((p) => savecallback(p)))
    const [dc] = outbox.enqueue([reportCall('13900009999')])
    outbox.start()
    await time.settle()
    // the first round finds the server gone
    expect(outbox.status().online).toBe(false)
    expect(emitted.some((e) => !e.online)).toBe(true)
    // the Data Center is another system: its item is not held back
    expect(parts.store.get(dc!.id)?.state).toBe('delivered')
    const firstRound = d.calls.filter((c) => c.kind === 'weixin.savecallback').length
    expect(firstRound).toBeLessThanOrEqual(4)
    d.maxInFlight = 0
    await time.advance(5 * 60_000)
    const probes = d.calls.filter((c) => c.kind === 'weixin.savecallback').slice(firstRound)
    expect(d.maxInFlight).toBe(1)
    // probes are spaced by a growing back-off (random 0.5 → 500, 1000, 2000 … ms, capped at 60 s)
    const gaps = probes.slice(1).map((p, i) => p.at - probes[i]!.at)
    expect(gaps.slice(0, 4)).toEqual([1000, 2000, 4000, 8000])
    expect(Math.max(...gaps)).toBeLessThanOrEqual(60_000)
    expect(probes.length).toBeLessThan(15)
    // the network is back: the next probe succeeds and the backlog goes four at a time
    network = true
    const before = d.calls.length
    await time.advance(60_000)
    expect(outbox.status()).toMatchObject({ online: true, pending: 0 })
    expect(d.calls.length - before).toBe(12)
    expect(emitted.at(-1)?.online).toBe(true)
  })
})

describe('stop', () => {
  it('waits for sends in flight, puts claimed-but-unsent items back, and sends nothing after', async () => {
    make({ concurrency: 2, prefetch: 2 })
    const release: (() => void)[] = []
    d.answer = () => new Promise((r) => release.push(() => r({ type: 'delivered' })))
    const items = outbox.enqueue(phones(8, 200).map((p) => savecallback(p)))
    outbox.start()
    await time.settle()
    expect(d.calls).toHaveLength(2)
    expect(outbox.status().sending).toBe(6) // two in flight, four claimed ahead
    let stopped = false
    const stopping = outbox.stop().then(() => (stopped = true))
    await time.settle()
    expect(stopped).toBe(false)
    for (const r of release) r()
    await stopping
    expect(outbox.status()).toMatchObject({ sending: 0, pending: 6 })
    expect(parts.store.get(items[2]!.id)).toMatchObject({ state: 'pending', attempts: 0 })
    await time.advance(60_000)
    expect(d.calls).toHaveLength(2)
    // the next start resumes them
    d.answer = () => ({ type: 'delivered' })
    make()
    outbox.start()
    await time.advance(1_000)
    expect(outbox.status().pending).toBe(0)
  })

  it('an unfinished send is aborted after the stop timeout', async () => {
    make()
    let aborted = false
    parts = assembleOutbox({
      db,
      connections: { get: async () => ({ weixin: {} as never, datacenter: null }) },
      log: memoryLog().log,
      now: () => time.now,
      autoStart: false,
      deliverer: {
        deliver: (_row, ctx) =>
          new Promise((resolve) => {
            ctx.signal?.addEventListener('abort', () => {
              aborted = true
              resolve(lost)
            })
          }),
      },
      engine: { timers: time.timers, stopTimeoutMs: 3_000 },
    })
    outbox = parts.outbox
    const [item] = outbox.enqueue([savecallback('13900000301')])
    outbox.start()
    await time.settle()
    const stopping = outbox.stop()
    await time.advance(3_000)
    await stopping
    expect(aborted).toBe(true)
    expect(parts.store.get(item!.id)).toMatchObject({ state: 'uncertain' })
  })
})
