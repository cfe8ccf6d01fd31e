import { outboxKinds, type OutboxKind, type SyncStatus } from '../../../shared/domain'
import type { AppError } from '../../core/app-error'
import type { Logger } from '../ports'
import {
  systemOf,
  type Deliverer,
  type DeliveryResult,
  type OutboxConnections,
  type OutboxSystem,
} from './delivery'
import type { Outcome, OutboxRow, OutboxStore } from './outbox-store'

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
 * Back-off: exponential with full jitter, delay = random() × min(cap, base × 2^(attempts−1)).
 *
 * Online/offline, per remote system: a refused, timed-out or unresolvable request marks the
 * system offline; while offline only one item at a time goes to it (a probe), spaced by its own
 * jittered back-off, instead of every due item failing in turn. Any answer from the system marks
 * it online again.
 */

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

export interface SyncEngineOptions {
  store: OutboxStore
  deliverer: Deliverer
  connections: { get(): Promise<OutboxConnections> }
  log: Logger
  emit?: (event: 'syncProgress', status: SyncStatus) => void
  /** a storage problem found at open (damaged file moved aside, read-only folder) */
  openProblem?: string | null
  concurrency?: number
  /**
   * How many batches of `concurrency` items are claimed ahead of those in flight (default 2):
   * one fsynced claim covers that many sends. After a crash, claimed-but-unsent weixin items
   * count as maybe delivered, so this is also how many may be shown uncertain needlessly.
   */
  prefetch?: number
  baseDelayMs?: number
  maxDelayMs?: number
  /** the longest wait between two probes of an offline system */
  maxProbeDelayMs?: number
  /** syncProgress at most this often, except for changes the agent must see at once */
  emitIntervalMs?: number
  /** delivered and discarded rows are kept this long */
  retainMs?: number
  /** at stop, in-flight sends are aborted after this long */
  stopTimeoutMs?: number
  now?: () => number
  random?: () => number
  timers?: Timers
}

interface SystemState {
  offline: boolean
  /** when the next probe may go, while offline */
  probeAt: number
  probeFailures: number
  probing: boolean
}

interface InFlight {
  row: OutboxRow
  system: OutboxSystem
  probe: boolean
  abort: AbortController
  done: Promise<void>
}

// A zero delay is setImmediate: setTimeout(0) waits at least 1 ms, which would cap a busy flush
// at about one round per millisecond.
const realTimers: Timers = {
  setTimeout: (fn, ms) => (ms <= 0 ? { immediate: setImmediate(fn) } : setTimeout(fn, ms)),
  clearTimeout: (h) => {
    if (h && typeof h === 'object' && 'immediate' in h) {
      clearImmediate((h as { immediate: NodeJS.Immediate }).immediate)
    } else clearTimeout(h as ReturnType<typeof setTimeout>)
  },
}

const KINDS_OF: Record<OutboxSystem, OutboxKind[]> = {
  weixin: outboxKinds.filter((k) => systemOf(k) === 'weixin'),
  datacenter: outboxKinds.filter((k) => systemOf(k) === 'datacenter'),
}
const SYSTEMS: OutboxSystem[] = ['weixin', 'datacenter']
/** how long a recorded delivery may wait in memory for the next commit */
const OUTCOME_WAIT_MS = 20

export class SyncEngine {
  private readonly store: OutboxStore
  private readonly deliverer: Deliverer
  private readonly connections: { get(): Promise<OutboxConnections> }
  private readonly log: Logger
  private readonly emitFn: SyncEngineOptions['emit']
  private readonly openProblem: string | null
  readonly concurrency: number
  private readonly prefetch: number
  private readonly baseDelayMs: number
  private readonly maxDelayMs: number
  private readonly maxProbeDelayMs: number
  private readonly emitIntervalMs: number
  private readonly retainMs: number
  private readonly stopTimeoutMs: number
  private readonly now: () => number
  private readonly random: () => number
  private readonly timers: Timers

  private readonly systems: Record<OutboxSystem, SystemState> = {
    weixin: { offline: false, probeAt: 0, probeFailures: 0, probing: false },
    datacenter: { offline: false, probeAt: 0, probeFailures: 0, probing: false },
  }
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
  private runtimeProblem: string | null = null
  private lastSuccessAt: number | null = null
  private flushState: { total: number; done: number } | null = null
  private emitTimer: unknown = null
  private lastEmitAt = Number.NEGATIVE_INFINITY
  private lastEmitted = ''
  /** the highest number of sends in flight at once (for tests and the benchmark) */
  peakInFlight = 0
  private lastClaimed = 0

  constructor(opts: SyncEngineOptions) {
    this.store = opts.store
    this.deliverer = opts.deliverer
    this.connections = opts.connections
    this.log = opts.log
    this.emitFn = opts.emit
    this.openProblem = opts.openProblem ?? null
    this.concurrency = Math.max(1, opts.concurrency ?? 4)
    this.prefetch = Math.max(0, opts.prefetch ?? 2)
    this.baseDelayMs = opts.baseDelayMs ?? 1_000
    this.maxDelayMs = opts.maxDelayMs ?? 5 * 60_000
    this.maxProbeDelayMs = opts.maxProbeDelayMs ?? 60_000
    this.emitIntervalMs = opts.emitIntervalMs ?? 100
    this.retainMs = opts.retainMs ?? 30 * 24 * 3600_000
    this.stopTimeoutMs = opts.stopTimeoutMs ?? 5_000
    this.now = opts.now ?? Date.now
    this.random = opts.random ?? Math.random
    this.timers = opts.timers ?? realTimers
  }

  /** Full-jitter back-off for the n-th consecutive failure (n ≥ 1). */
  backoff(n: number, cap = this.maxDelayMs): number {
    const ceiling = Math.min(cap, this.baseDelayMs * 2 ** Math.max(0, Math.min(n, 40) - 1))
    return Math.floor(this.random() * ceiling)
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
      this.lastSuccessAt = this.store.lastDeliveredAt()
      const open = this.store.openCount()
      if (open > 0) this.flushState = { total: open, done: 0 }
    } catch (e) {
      this.noteStorageFailure(e)
    }
    this.notify(true)
    this.kick()
  }

  /** Wake the loop (after an enqueue, a retry, or when the network may be back). */
  kick(): void {
    this.schedule(0)
  }

  /** The agent changed an item (retry, discard, edit): show it and look for work. */
  changed(): void {
    this.notify(true)
    this.kick()
  }

  /** Told by the outbox after an enqueue: the flush bar counts the new items too. */
  noteEnqueued(n: number): void {
    this.clearStorageProblem()
    if (this.flushState) this.flushState.total += n
    this.notify(false)
    this.kick()
  }

  /** Sync now: every waiting item is due, offline systems are probed at once. */
  flush(): SyncStatus {
    try {
      this.store.skipBackoff(this.now())
      const open = this.store.openCount()
      this.flushState = open > 0 ? { total: open, done: 0 } : null
    } catch (e) {
      this.noteStorageFailure(e)
    }
    for (const s of SYSTEMS) this.systems[s].probeAt = 0
    this.failures.connections = 0
    this.notify(true)
    this.kick()
    return this.status()
  }

  /** A storage failure the agent must know about (from an enqueue, say). */
  noteStorageFailure(e: unknown): AppError {
    const err = this.store.db.storageError(e)
    if (this.runtimeProblem !== err.message) {
      this.runtimeProblem = err.message
      this.log.error('outbox storage failure', e)
      this.notify(true)
    }
    return err
  }

  private clearStorageProblem(): void {
    this.failures.storage = 0
    if (this.runtimeProblem !== null) {
      this.runtimeProblem = null
      this.notify(true)
    }
  }

  get online(): boolean {
    return SYSTEMS.every((s) => !this.systems[s].offline)
  }

  isOffline(system: OutboxSystem): boolean {
    return this.systems[system].offline
  }

  get inFlight(): number {
    return this.inflight.size
  }

  status(): SyncStatus {
    let counts = { pending: 0, sending: 0, uncertain: 0, failed: 0 }
    try {
      counts = this.store.counts()
    } catch (e) {
      this.runtimeProblem ??= this.store.db.storageError(e).message
    }
    return {
      online: this.online,
      ...counts,
      lastSuccessAt:
        this.lastSuccessAt === null ? null : new Date(this.lastSuccessAt).toISOString(),
      // items the agent sends again during a flush finish too: the bar stops at full
      flush: this.flushState
        ? {
            total: this.flushState.total,
            done: Math.min(this.flushState.done, this.flushState.total),
          }
        : null,
      storageProblem: this.runtimeProblem ?? this.openProblem,
    }
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
    if (this.emitTimer !== null) this.timers.clearTimeout(this.emitTimer)
    this.emitTimer = null
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
   * round that only records deliveries is committed without fsync (see recordRelaxed).
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
    let applied: (OutboxRow | null)[] = []
    const claimed: { row: OutboxRow; system: OutboxSystem; probe: boolean }[] = []
    const relaxed = outcomes.every((o) => o.outcome.type === 'delivered')
    try {
      this.store.transaction(
        () => {
          applied = outcomes.map((o) => this.store.applyOutcome(o.id, o.outcome, t))
          if (!conns || !refill) return
          const c = conns
          const prepare = this.deliverer.prepare
            ? (row: OutboxRow) => this.deliverer.prepare?.(row, c)
            : undefined
          let room = wanted
          const onlineKinds = SYSTEMS.filter((s) => !this.systems[s].offline).flatMap(
            (s) => KINDS_OF[s],
          )
          if (onlineKinds.length > 0) {
            for (const row of this.store.claim({
              limit: room,
              kinds: onlineKinds,
              now: t,
              prepare,
            })) {
              claimed.push({ row, system: systemOf(row.kind), probe: false })
            }
            room -= claimed.length
          }
          for (const s of SYSTEMS) {
            const st = this.systems[s]
            if (room <= 0 || !st.offline || st.probing || st.probeAt > t) continue
            const [row] = this.store.claim({ limit: 1, kinds: KINDS_OF[s], now: t, prepare })
            if (row) {
              claimed.push({ row, system: s, probe: true })
              room--
            }
          }
        },
        '保存同步进度失败',
        // Nothing claimed and only deliveries recorded: losing this commit to a power cut
        // leaves those rows 'sending', which the next start treats as maybe delivered (weixin:
        // uncertain, retried once; Data Center: the same SIDs, so 1013). Everything else —
        // claims (the 'sending' mark and the SIDs go to disk before any request), failures,
        // retries with a new SID — is fsynced.
        { relaxed: relaxed && !refill },
      )
    } catch (e) {
      // Nothing was committed: the outcomes wait for the next round, nothing new was claimed.
      this.outcomes = outcomes.concat(this.outcomes)
      this.noteStorageFailure(e)
      this.schedule(this.backoff(++this.failures.storage, 60_000))
      return
    }
    if (outcomes.length > 0 || claimed.length > 0) this.clearStorageProblem()
    this.lastClaimed = claimed.length

    let important = false
    for (const row of applied) {
      if (!row) continue
      if (row.state === 'delivered') this.lastSuccessAt = row.deliveredAt
      if (row.state === 'failed' || row.state === 'uncertain') important = true
      // delivered, failed, or parked for the agent: the engine is through with it
      if (row.nextAttemptAt === null && this.flushState) this.flushState.done++
    }

    for (const c of claimed) {
      if (c.probe && conns) this.send(c.row, c.system, true, conns)
      else this.queue.push(c)
    }
    this.startQueued()
    if (claimed.length > 0 || applied.length > 0) this.notify(important)
    if (this.flushState && this.inflight.size === 0 && this.queue.length === 0) {
      // the backlog is through when nothing is left that the engine would still send
      let open = 0
      try {
        open = this.store.openCount()
      } catch {
        open = 1
      }
      if (open === 0 || this.flushState.done >= this.flushState.total) {
        this.flushState = null
        this.notify(true)
      }
    }
    this.planNextWake(refill && conns === null)
  }

  /** Starts queued (already claimed) items while there is room. */
  private startQueued(): void {
    const conns = this.conns
    while (!this.stopping && conns && this.inflight.size < this.concurrency) {
      const next = this.queue.shift()
      if (!next) break
      this.send(next.row, next.system, false, conns)
    }
  }

  /** Claimed but not sent: back to waiting (stop, or their system went offline). */
  private releaseQueued(which: (system: OutboxSystem) => boolean): void {
    const out = this.queue.filter((q) => which(q.system))
    if (out.length === 0) return
    this.queue = this.queue.filter((q) => !which(q.system))
    try {
      const t = this.now()
      this.store.transaction(() => {
        for (const q of out) this.store.release(q.row.id, t)
      }, '保存同步进度失败')
    } catch (e) {
      // they stay 'sending' and are recovered at the next start
      this.noteStorageFailure(e)
    }
  }

  private planNextWake(noConnections: boolean): void {
    if (this.stopping || this.stopped) return
    if (this.outcomes.length > 0) return this.schedule(0)
    const t = this.now()
    if (noConnections) return this.schedule(this.backoff(this.failures.connections, 60_000) + 50)
    if (this.inflight.size + this.queue.length > this.concurrency) return
    let wake = Number.POSITIVE_INFINITY
    try {
      const due = this.store.nextDueAfter(t)
      if (due !== null) wake = due
    } catch {
      wake = t + 1_000
    }
    for (const s of SYSTEMS) {
      const st = this.systems[s]
      if (st.offline && !st.probing && st.probeAt > t) wake = Math.min(wake, st.probeAt)
    }
    if (wake !== Number.POSITIVE_INFINITY) this.schedule(wake - t)
  }

  private send(
    row: OutboxRow,
    system: OutboxSystem,
    probe: boolean,
    conns: OutboxConnections,
  ): void {
    const abort = new AbortController()
    if (probe) this.systems[system].probing = true
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
      if (probe) this.systems[system].probing = false
      this.noteReach(system, result, probe)
      this.outcomes.push({ id: row.id, outcome: this.toOutcome(row, result), at: this.now() })
      // the next claimed item goes out at once; the outcome is committed in the next round
      this.startQueued()
      this.schedule(0)
    })
    this.inflight.set(row.id, { row, system, probe, abort, done })
    this.peakInFlight = Math.max(this.peakInFlight, this.inflight.size)
  }

  private toOutcome(row: OutboxRow, r: DeliveryResult): Outcome {
    const steps = r.steps === undefined ? {} : { steps: r.steps }
    switch (r.type) {
      case 'delivered':
        return {
          type: 'delivered',
          ...(r.result === undefined ? {} : { result: r.result }),
          ...steps,
        }
      case 'failed':
        return { type: 'failed', error: r.error, ...steps }
      case 'retry':
        return {
          type: 'retry',
          error: r.error,
          delayMs: r.immediate ? 0 : this.backoff(row.attempts),
          ...steps,
        }
      case 'maybe-delivered':
        return {
          type: 'maybe-delivered',
          error: r.error,
          delayMs: this.backoff(row.attempts),
          ...steps,
        }
    }
  }

  private noteReach(system: OutboxSystem, r: DeliveryResult, probe: boolean): void {
    const st = this.systems[system]
    if (r.reach === 'online') {
      st.probeFailures = 0
      if (st.offline) {
        st.offline = false
        this.log.info('outbox: back online', { system })
        try {
          const open = this.store.openCount()
          if (open > 0 && !this.flushState) this.flushState = { total: open, done: 0 }
        } catch {
          // the flush bar is a nicety
        }
        this.notify(true)
      }
    } else if (r.reach === 'offline') {
      // sends that were already under way when the system went away say nothing new
      if (st.offline && !probe) return
      st.probeFailures++
      st.probeAt = this.now() + this.backoff(st.probeFailures, this.maxProbeDelayMs)
      if (!st.offline) {
        st.offline = true
        this.log.warn('outbox: offline', { system, error: 'error' in r ? r.error.message : '' })
        // claimed items for it wait for the probe instead of failing one after another
        this.releaseQueued((s) => s === system)
        this.notify(true)
      }
    }
  }

  // --- syncProgress ---

  /** Emits now when important (or the interval has passed), else once at the interval's end. */
  private notify(important: boolean): void {
    if (!this.emitFn || this.stopped) return
    const since = this.now() - this.lastEmitAt
    if (important || since >= this.emitIntervalMs) {
      this.emitNow()
      return
    }
    if (this.emitTimer === null) {
      this.emitTimer = this.timers.setTimeout(() => {
        this.emitTimer = null
        this.emitNow()
      }, this.emitIntervalMs - since)
    }
  }

  private emitNow(): void {
    if (!this.emitFn) return
    if (this.emitTimer !== null) {
      this.timers.clearTimeout(this.emitTimer)
      this.emitTimer = null
    }
    const status = this.status()
    const text = JSON.stringify(status)
    if (text === this.lastEmitted) return
    this.lastEmitted = text
    this.lastEmitAt = this.now()
    try {
      this.emitFn('syncProgress', status)
    } catch (e) {
      this.log.error('outbox: syncProgress emit failed', e)
    }
  }
}
