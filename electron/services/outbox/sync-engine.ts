import type { SyncStatus } from '../../../shared/domain'
import type { AppError } from '../../core/app-error'
import type { Logger } from '../ports'
import type { Deliverer, DeliveryResult, OutboxConnections } from './delivery'
import type { Outcome, OutboxStore } from './outbox-store'
import { jitteredBackoff, toOutcome } from './backoff'
import { commitRound, type Claimed } from './commit-round'
import { Reachability } from './reachability'
import type { OutboxRow, OutboxSystem } from './rows'
import { SyncProgress } from './sync-progress'
import type { SyncEngineOptions } from './engine-options'
import { realTimers, type Timers } from './timers'

/**
 * The sync loop. Claims deliverable items (per-phone order is the store's), sends at most
 * `concurrency` at a time, and records each outcome.
 *
 * Commits are what a flush costs (an fsync each), so they are batched: items are claimed ahead
 * (up to `prefetch` × `concurrency` beyond those in flight, all marked 'sending' in one fsynced
 * commit before any of them is sent), a finished send starts the next claimed item at once, and
 * outcomes are recorded with the next claim's commit. The price: after a crash, the claimed but
 * unsent weixin items are treated as maybe delivered (uncertain, one automatic retry) — never the
 * other way round. With a short backlog nothing is claimed ahead (there is nothing to claim).
 *
 * Back-off: backoff.ts. Online/offline per remote system: reachability.ts. The commit of each
 * round: commit-round.ts. What the sync panel is told: sync-progress.ts.
 */

export type { SyncEngineOptions } from './engine-options'

interface InFlight {
  row: OutboxRow
  system: OutboxSystem
  probe: boolean
  abort: AbortController
  done: Promise<void>
}

/** how long a recorded delivery may wait in memory for the next commit */
const OUTCOME_WAIT_MS = 20

export class SyncEngine {
  private readonly store: OutboxStore
  private readonly deliverer: Deliverer
  private readonly connections: { get(): Promise<OutboxConnections> }
  private readonly log: Logger
  private readonly concurrency: number
  private readonly prefetch: number
  private readonly baseDelayMs: number
  private readonly maxDelayMs: number
  private readonly maxProbeDelayMs: number
  private readonly retainMs: number
  private readonly stopTimeoutMs: number
  private readonly now: () => number
  private readonly random: () => number
  private readonly timers: Timers

  private reach: Reachability
  private readonly progress: SyncProgress
  private readonly inflight = new Map<string, InFlight>()
  /** claimed ('sending' on disk) and waiting for a free slot */
  private queue: { row: OutboxRow; system: OutboxSystem }[] = []
  private conns: OutboxConnections | null = null
  private outcomes: { id: string; outcome: Outcome; at: number }[] = []
  private started = false
  private stopping = false
  private stopped = false
  private pumping: Promise<void> | null = null
  private pumpAgain = false
  private timer: unknown = null
  private timerAt = Number.POSITIVE_INFINITY
  private failures = { connections: 0, storage: 0 }
  /** the highest number of sends in flight at once (for tests and the benchmark) */
  peakInFlight = 0
  private lastClaimed = 0

  constructor(opts: SyncEngineOptions) {
    this.store = opts.store
    this.deliverer = opts.deliverer
    this.connections = opts.connections
    this.log = opts.log
    this.concurrency = Math.max(1, opts.concurrency ?? 4)
    this.prefetch = Math.max(0, opts.prefetch ?? 2)
    this.baseDelayMs = opts.baseDelayMs ?? 1_000
    this.maxDelayMs = opts.maxDelayMs ?? 5 * 60_000
    this.maxProbeDelayMs = opts.maxProbeDelayMs ?? 60_000
    this.retainMs = opts.retainMs ?? 30 * 24 * 3600_000
    this.stopTimeoutMs = opts.stopTimeoutMs ?? 5_000
    this.now = opts.now ?? Date.now
    this.random = opts.random ?? Math.random
    this.timers = opts.timers ?? realTimers
    this.reach = this.newReachability()
    this.progress = new SyncProgress({
      store: this.store,
      online: () => this.reach.online,
      emit: opts.emit,
      openProblem: opts.openProblem ?? null,
      intervalMs: opts.emitIntervalMs ?? 100,
      now: this.now,
      timers: this.timers,
      log: this.log,
    })
  }

  private newReachability(): Reachability {
    return new Reachability((n) => this.backoff(n, this.maxProbeDelayMs), this.now)
  }

  /** Full-jitter back-off for the n-th consecutive failure (n ≥ 1); see backoff.ts. */
  backoff(n: number, cap = this.maxDelayMs): number {
    return jitteredBackoff(n, { baseMs: this.baseDelayMs, capMs: cap, random: this.random })
  }

  /**
   * Resumes after a start: items a crash left 'sending' are recovered (weixin → uncertain, Data
   * Center → pending), old delivered rows are purged, and a waiting backlog is flushed.
   */
  start(): void {
    if (this.started) return
    this.started = true
    try {
      const r = this.store.recoverInterrupted()
      if (r.uncertain + r.parked + r.pending > 0)
        this.log.warn('outbox: resumed interrupted sends', r)
      this.store.purge(this.now() - this.retainMs)
      this.progress.lastSuccessAt = this.store.lastDeliveredAt()
      this.progress.startFlush(this.store.openCount())
    } catch (e) {
      this.noteStorageFailure(e)
    }
    this.progress.notify(true)
    this.kick()
  }

  /** Wake the loop (after an enqueue, a retry, or when the network may be back). */
  kick(): void {
    this.schedule(0)
  }

  /** The agent changed an item (retry, discard, edit): show it and look for work. */
  changed(): void {
    this.progress.notify(true)
    this.kick()
  }

  /** Told by the outbox after an enqueue: the flush bar counts the new items too. */
  noteEnqueued(n: number): void {
    this.clearStorageProblem()
    this.progress.grow(n)
    this.progress.notify(false)
    this.kick()
  }

  /** Sync now: every waiting item is due, offline systems are probed at once. */
  flush(): SyncStatus {
    try {
      this.store.skipBackoff(this.now())
      this.progress.startFlush(this.store.openCount())
    } catch (e) {
      this.noteStorageFailure(e)
    }
    this.reach.probeNow()
    this.failures.connections = 0
    this.progress.notify(true)
    this.kick()
    return this.status()
  }

  /** A storage failure the agent must know about (from an enqueue, say). */
  noteStorageFailure(e: unknown): AppError {
    return this.progress.problem(e)
  }

  private clearStorageProblem(): void {
    this.failures.storage = 0
    this.progress.clearProblem()
  }

  status(): SyncStatus {
    return this.progress.status()
  }

  /**
   * For quitting: no new sends; claimed items not yet sent go back to waiting; in-flight sends
   * finish (aborted after stopTimeoutMs) and their outcomes are committed. What is left stays in
   * the database and resumes at the next start.
   */
  async stop(): Promise<void> {
    if (this.stopped) return
    this.stopping = true
    this.clearTimer()
    if (this.pumping) await this.pumping
    this.releaseQueued(() => true)
    const all = Promise.all([...this.inflight.values()].map((f) => f.done))
    const abortTimer = this.timers.setTimeout(() => {
      for (const f of this.inflight.values()) f.abort.abort()
    }, this.stopTimeoutMs)
    await all
    this.timers.clearTimeout(abortTimer)
    if (this.pumping) await this.pumping
    await this.pump()
    this.stopped = true
    this.clearTimer()
    this.progress.stop()
  }

  /**
   * Resolves once nothing is in flight or queued and a round of the loop finds nothing to
   * claim: what is left waits for a back-off, a probe or the agent (tests, benchmark).
   */
  async idle(pollMs = 2): Promise<void> {
    for (;;) {
      if (this.stopped) return
      if (this.pumping) await this.pumping
      if (this.inflight.size === 0 && this.queue.length === 0) {
        await this.pump()
        if (
          this.inflight.size === 0 &&
          this.queue.length === 0 &&
          this.outcomes.length === 0 &&
          this.lastClaimed === 0
        ) {
          return
        }
      }
      await new Promise((r) => setTimeout(r, pollMs))
    }
  }

  // --- the loop ---

  private clearTimer(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer)
    this.timer = null
    this.timerAt = Number.POSITIVE_INFINITY
  }

  private schedule(delayMs: number): void {
    if (this.stopped || !this.started) return
    const at = this.now() + Math.max(0, delayMs)
    if (this.timer !== null && this.timerAt <= at) return
    this.clearTimer()
    this.timerAt = at
    this.timer = this.timers.setTimeout(
      () => {
        this.timer = null
        this.timerAt = Number.POSITIVE_INFINITY
        void this.pump()
      },
      Math.max(0, delayMs),
    )
  }

  private pump(): Promise<void> {
    if (this.pumping) {
      this.pumpAgain = true
      return this.pumping
    }
    this.pumping = (async () => {
      try {
        do {
          this.pumpAgain = false
          await this.pumpOnce()
        } while (this.pumpAgain && !this.stopped)
      } catch (e) {
        this.log.error('outbox: sync loop failed', e)
        this.schedule(this.backoff(++this.failures.storage, 60_000))
      } finally {
        this.pumping = null
      }
    })()
    return this.pumping
  }

  /**
   * One round: commit the outcomes that came in, and when the local queue has run dry, claim
   * the next batch (up to `concurrency` beyond what is in flight) in the same transaction. A
   * round that only records deliveries is committed without fsync (see commitRound).
   */
  private async pumpOnce(): Promise<void> {
    const wanted = this.stopping
      ? 0
      : (1 + this.prefetch) * this.concurrency - this.inflight.size - this.queue.length
    const refill = wanted > 0 && this.queue.length === 0
    let conns: OutboxConnections | null = this.conns
    if (refill) {
      try {
        conns = await this.connections.get()
        if (this.conns && conns.profile !== this.conns.profile) {
          // another system: what was learnt about the old one's reachability says nothing here
          this.log.info('outbox: connection profile changed', { profile: conns.profile })
          this.reach = this.newReachability()
        }
        this.conns = conns
        this.failures.connections = 0
      } catch (e) {
        // not configured yet, or the sandbox is starting: nothing can be sent for now
        conns = null
        this.failures.connections++
        if (this.failures.connections === 1) {
          this.log.warn('outbox: no connections', { error: String(e) })
        }
      }
    }

    const t = this.now()
    // Deliveries are recorded with the next claim's commit (every `concurrency` items in a busy
    // flush); alone only when the engine has nothing else to do, they have waited
    // OUTCOME_WAIT_MS, or they include anything but deliveries.
    const oldest = this.outcomes[0]?.at ?? t
    const recordNow =
      refill ||
      this.stopping ||
      (this.inflight.size === 0 && this.queue.length === 0) ||
      t - oldest >= OUTCOME_WAIT_MS ||
      this.outcomes.some((o) => o.outcome.type !== 'delivered')
    if (!recordNow) {
      this.schedule(OUTCOME_WAIT_MS - (t - oldest))
      return
    }
    const outcomes = this.outcomes
    this.outcomes = []
    let round: { applied: (OutboxRow | null)[]; claimed: Claimed[] }
    try {
      round = commitRound(this.store, {
        outcomes,
        at: t,
        refill,
        room: wanted,
        conns,
        deliverer: this.deliverer,
        reach: this.reach,
      })
    } catch (e) {
      // Nothing was committed: the outcomes wait for the next round, nothing new was claimed.
      this.outcomes = outcomes.concat(this.outcomes)
      this.noteStorageFailure(e)
      this.schedule(this.backoff(++this.failures.storage, 60_000))
      return
    }
    const { applied, claimed } = round
    if (outcomes.length > 0 || claimed.length > 0) this.clearStorageProblem()
    this.lastClaimed = claimed.length

    let important = false
    for (const row of applied) {
      if (!row) continue
      if (row.state === 'delivered') this.progress.lastSuccessAt = row.deliveredAt
      if (row.state === 'failed' || row.state === 'uncertain') important = true
      // delivered, failed, or parked for the agent: the engine is through with it
      if (row.nextAttemptAt === null) this.progress.itemDone()
    }

    for (const c of claimed) {
      if (c.probe && conns) this.send(c.row, c.system, true, conns)
      else this.queue.push(c)
    }
    this.startQueued()
    if (claimed.length > 0 || applied.length > 0) this.progress.notify(important)
    if (this.progress.flushing && this.inflight.size === 0 && this.queue.length === 0) {
      // the backlog is through when nothing is left that the engine would still send
      let open = 0
      try {
        open = this.store.openCount()
      } catch {
        open = 1
      }
      this.progress.finishIfThrough(open)
    }
    this.planNextWake(t, refill && conns === null)
  }

  /** Starts queued (already claimed) items while there is room. */
  private startQueued(): void {
    const conns = this.conns
    while (!this.stopping && conns && this.inflight.size < this.concurrency) {
      const next = this.queue.shift()
      if (!next) break
      // claimed through these connections, so of their profile; checked again all the same
      if (conns.profile !== undefined && next.row.profile !== conns.profile) {
        this.releaseRows([next.row])
        continue
      }
      this.send(next.row, next.system, false, conns)
    }
  }

  /** Claimed but not sent: back to waiting (stop, or their system went offline). */
  private releaseQueued(which: (system: OutboxSystem) => boolean): void {
    const out = this.queue.filter((q) => which(q.system))
    if (out.length === 0) return
    this.queue = this.queue.filter((q) => !which(q.system))
    this.releaseRows(out.map((q) => q.row))
  }

  private releaseRows(rows: readonly OutboxRow[]): void {
    try {
      const t = this.now()
      this.store.transaction(() => {
        for (const row of rows) this.store.release(row.id, t)
      }, '保存同步进度失败')
    } catch (e) {
      // they stay 'sending' and are recovered at the next start
      this.noteStorageFailure(e)
    }
  }

  /**
   * `roundAt`: the time the round claimed at. What fell due after it (a retry of a few ms while
   * the round committed) is not claimed yet: its wake lies in the past and comes at once.
   */
  private planNextWake(roundAt: number, noConnections: boolean): void {
    if (this.stopping || this.stopped) return
    if (this.outcomes.length > 0) return this.schedule(0)
    if (noConnections) return this.schedule(this.backoff(this.failures.connections, 60_000) + 50)
    if (this.inflight.size + this.queue.length > this.concurrency) return
    let wake = Number.POSITIVE_INFINITY
    try {
      const due = this.store.nextDueAfter(roundAt)
      if (due !== null) wake = due
    } catch {
      wake = roundAt + 1_000
    }
    wake = Math.min(wake, this.reach.nextProbeAfter(roundAt))
    if (wake !== Number.POSITIVE_INFINITY) this.schedule(wake - this.now())
  }

  private send(
    row: OutboxRow,
    system: OutboxSystem,
    probe: boolean,
    conns: OutboxConnections,
  ): void {
    const abort = new AbortController()
    if (probe) this.reach.setProbing(system, true)
    const run = async (): Promise<DeliveryResult> => {
      try {
        return await this.deliverer.deliver(row, {
          conns,
          signal: abort.signal,
          saveSteps: (steps) => this.store.saveSteps(row.id, steps),
        })
      } catch (e) {
        this.log.error('outbox: delivery threw', e)
        return { type: 'retry', error: { kind: 'internal', message: '同步时发生内部错误' } }
      }
    }
    const done = run().then((result) => {
      this.inflight.delete(row.id)
      if (probe) this.reach.setProbing(system, false)
      this.noteReach(system, result, probe)
      this.outcomes.push({
        id: row.id,
        outcome: toOutcome(row.attempts, result, (n) => this.backoff(n)),
        at: this.now(),
      })
      // the next claimed item goes out at once; the outcome is committed in the next round
      this.startQueued()
      this.schedule(0)
    })
    this.inflight.set(row.id, { row, system, probe, abort, done })
    this.peakInFlight = Math.max(this.peakInFlight, this.inflight.size)
  }

  private noteReach(system: OutboxSystem, r: DeliveryResult, probe: boolean): void {
    const change = this.reach.note(system, r.reach, probe)
    if (change === 'back-online') {
      this.log.info('outbox: back online', { system })
      try {
        if (!this.progress.flushing) this.progress.startFlush(this.store.openCount())
      } catch {
        // the flush bar is a nicety
      }
      this.progress.notify(true)
    } else if (change === 'went-offline') {
      this.log.warn('outbox: offline', { system, error: 'error' in r ? r.error.message : '' })
      // claimed items for it wait for the probe instead of failing one after another
      this.releaseQueued((s) => s === system)
      this.progress.notify(true)
    }
  }
}
