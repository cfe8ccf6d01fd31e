import type { SyncStatus } from '../../../shared/domain'
import type { AppError } from '../../core/app-error'
import type { Logger } from '../ports'
import type { OutboxStore } from './outbox-store'
import type { Timers } from './timers'

export interface SyncProgressOptions {
  store: Pick<OutboxStore, 'counts' | 'otherProfileCounts' | 'db'>
  /** every remote system reachable */
  online: () => boolean
  emit?: ((event: 'syncProgress', status: SyncStatus) => void) | undefined
  /** a storage problem found at open (damaged file moved aside, read-only folder) */
  openProblem?: string | null
  /** syncProgress at most this often, except for changes the agent must see at once */
  intervalMs: number
  now: () => number
  timers: Timers
  log: Logger
}

/**
 * What the sync panel shows (SyncStatus) and when it is told: the counts, the flush bar while a
 * backlog drains, the last success and a storage problem; syncProgress throttled to one per
 * interval, except for changes the agent must see at once, and never the same status twice.
 */
export class SyncProgress {
  /** epoch ms of the last delivery */
  lastSuccessAt: number | null = null
  private flushState: { total: number; done: number } | null = null
  private runtimeProblem: string | null = null
  private emitTimer: unknown = null
  private lastEmitAt = Number.NEGATIVE_INFINITY
  private lastEmitted = ''
  private stopped = false

  constructor(private readonly o: SyncProgressOptions) {}

  // --- the flush bar ---

  /** A backlog of `open` items starts draining (none: no bar). */
  startFlush(open: number): void {
    this.flushState = open > 0 ? { total: open, done: 0 } : null
  }

  get flushing(): boolean {
    return this.flushState !== null
  }

  /** Items enqueued during a flush count too. */
  grow(n: number): void {
    if (this.flushState) this.flushState.total += n
  }

  /** An item the engine is through with (delivered, failed, or parked for the agent). */
  itemDone(): void {
    if (this.flushState) this.flushState.done++
  }

  /** Ends the bar when the backlog is through (`open`: what the engine would still send). */
  finishIfThrough(open: number): void {
    if (!this.flushState) return
    if (open === 0 || this.flushState.done >= this.flushState.total) {
      this.flushState = null
      this.notify(true)
    }
  }

  // --- the storage problem ---

  /** A storage failure the agent must know about; returns it as an AppError. */
  problem(e: unknown): AppError {
    const err = this.o.store.db.storageError(e)
    if (this.runtimeProblem !== err.message) {
      this.runtimeProblem = err.message
      this.o.log.error('outbox storage failure', e)
      this.notify(true)
    }
    return err
  }

  clearProblem(): void {
    if (this.runtimeProblem !== null) {
      this.runtimeProblem = null
      this.notify(true)
    }
  }

  status(): SyncStatus {
    let counts = { pending: 0, sending: 0, uncertain: 0, failed: 0 }
    let otherProfile = { training: 0, production: 0 }
    try {
      counts = this.o.store.counts()
      otherProfile = this.o.store.otherProfileCounts()
    } catch (e) {
      this.runtimeProblem ??= this.o.store.db.storageError(e).message
    }
    return {
      online: this.o.online(),
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
      storageProblem: this.runtimeProblem ?? this.o.openProblem ?? null,
      otherProfile,
    }
  }

  // --- syncProgress ---

  /** Emits now when important (or the interval has passed), else once at the interval's end. */
  notify(important: boolean): void {
    if (!this.o.emit || this.stopped) return
    const since = this.o.now() - this.lastEmitAt
    if (important || since >= this.o.intervalMs) {
      this.emitNow()
      return
    }
    if (this.emitTimer === null) {
      this.emitTimer = this.o.timers.setTimeout(() => {
        this.emitTimer = null
        this.emitNow()
      }, this.o.intervalMs - since)
    }
  }

  /** No syncProgress after this (the engine has stopped). */
  stop(): void {
    this.stopped = true
    if (this.emitTimer !== null) this.o.timers.clearTimeout(this.emitTimer)
    this.emitTimer = null
  }

  private emitNow(): void {
    if (!this.o.emit) return
    if (this.emitTimer !== null) {
      this.o.timers.clearTimeout(this.emitTimer)
      this.emitTimer = null
    }
    const status = this.status()
    const text = JSON.stringify(status)
    if (text === this.lastEmitted) return
    this.lastEmitted = text
    this.lastEmitAt = this.o.now()
    try {
      this.o.emit('syncProgress', status)
    } catch (e) {
      this.o.log.error('outbox: syncProgress emit failed', e)
    }
  }
}
