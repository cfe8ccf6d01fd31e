import { randomUUID } from 'node:crypto'
import type { StatementSync } from 'node:sqlite'
import { outboxKinds, type OutboxKind, type OutboxState } from '../../../shared/domain'
import { AppError } from '../../core/app-error'
import type { AppDatabase } from '../db/database'
import { applyEdit, checkPayload } from './payloads'
import { prepareStatements, type OutboxStatements } from './outbox-sql'
import { COLUMNS, systemOf, toRow, type OutboxError, type OutboxRow, type RawRow } from './rows'
import type { EnqueueInput } from './types'

/**
 * The outbox table. Every write the agent makes is a row here before anything goes on the
 * network; the sync engine claims rows, delivers them and records the outcome.
 *
 * Row life: pending → sending → delivered, or back to pending (transport failure, with a
 * back-off in next_attempt_at), or uncertain (weixin: it may have arrived), or failed (the
 * remote system refused it). next_attempt_at NULL means "not automatic": delivered, discarded,
 * failed, and uncertain items parked for the agent. An uncertain item with next_attempt_at set
 * is waiting for its one automatic retry.
 *
 * Per-phone order: an item is deliverable only when every earlier item (by seq) of the same
 * phone is delivered or discarded, so a parked item holds back the later items of its phone
 * until the agent retries, edits or discards it.
 */

/** What one delivery attempt came to; the engine adds the back-off delay. */
export type Outcome =
  | { type: 'delivered'; result?: unknown; steps?: unknown }
  /** did not arrive (or, for the Data Center, safe to re-send): try again after delayMs */
  | { type: 'retry'; error: OutboxError; delayMs: number; steps?: unknown }
  /** weixin: the request went out and the answer was lost */
  | { type: 'maybe-delivered'; error: OutboxError; delayMs: number; steps?: unknown }
  /** refused by the remote system: parked for the agent */
  | { type: 'failed'; error: OutboxError; steps?: unknown }

export interface OutboxCounts {
  pending: number
  sending: number
  uncertain: number
  failed: number
}

export interface OutboxStoreOptions {
  now?: () => number
  newId?: () => string
  /**
   * The connection profile in use (connections/profile-key.ts): new items are tagged with it,
   * and the counts, the due times and the flush are about its items only. null (or absent):
   * nothing in use yet; items are tagged '' and every item counts.
   */
  profile?: () => string | null
}

const notFound = (): AppError =>
  new AppError('invalid-args', '找不到这条待同步记录', { field: 'id' })

const stateText: Record<OutboxState, string> = {
  pending: '等待同步',
  sending: '正在发送',
  delivered: '已同步',
  uncertain: '结果不确定',
  failed: '发送失败',
  discarded: '已放弃',
}

export class OutboxStore {
  readonly db: AppDatabase
  private readonly now: () => number
  private readonly newId: () => string
  readonly profile: () => string | null
  private readonly s: OutboxStatements
  private readonly claimStmts = new Map<string, StatementSync>()
  private readonly listStmts = new Map<string, StatementSync>()

  constructor(db: AppDatabase, opts: OutboxStoreOptions = {}) {
    this.db = db
    this.now = opts.now ?? Date.now
    this.newId = opts.newId ?? randomUUID
    this.profile = opts.profile ?? (() => null)
    this.s = prepareStatements(db.connection)
  }

  /** Runs fn in one transaction; a storage failure becomes AppError 'storage'. */
  transaction<T>(fn: () => T, what?: string, opts?: { relaxed?: boolean }): T {
    try {
      return this.db.transaction(fn, opts)
    } catch (e) {
      if (e instanceof AppError) throw e
      throw this.db.storageError(e, what)
    }
  }

  /**
   * Commits the items in one transaction (synchronous=FULL: on disk when it returns). Refuses on
   * the in-memory fallback database: nothing may look saved that is not durable.
   */
  enqueue(items: readonly EnqueueInput[]): OutboxRow[] {
    if (!this.db.durable) {
      throw new AppError('storage', this.db.problem ?? '本地数据库不可用，记录未保存')
    }
    const checked = items.map((item) => {
      if (!(outboxKinds as readonly string[]).includes(item.kind)) {
        throw new TypeError(`outbox: unknown kind ${String(item.kind)}`)
      }
      return { ...item, payload: checkPayload(item.kind, item.payload) }
    })
    const at = this.now()
    const profile = this.profile() ?? ''
    return this.transaction(
      () =>
        checked.map((item) =>
          toRow(
            this.s.insert.get(
              this.newId(),
              item.kind,
              item.phone,
              item.title,
              JSON.stringify(item.payload),
              at,
              at,
              profile,
            ) as unknown as RawRow,
          ),
        ),
      '保存失败',
    )
  }

  get(id: string): OutboxRow | null {
    try {
      const r = this.s.get.get(id) as RawRow | undefined
      return r ? toRow(r) : null
    } catch (e) {
      throw this.db.storageError(e)
    }
  }

  private claimStmt(kinds: readonly OutboxKind[] | undefined, byProfile: boolean): StatementSync {
    const key = `${byProfile ? 'p' : '*'}|${kinds ? [...kinds].sort().join(',') : '*'}`
    let stmt = this.claimStmts.get(key)
    if (!stmt) {
      const kindFilter = kinds ? `AND o.kind IN (${kinds.map(() => '?').join(', ')})` : ''
      const profileFilter = byProfile ? 'AND o.profile = ?' : ''
      // INDEXED BY: walk the open items in enqueue order and stop at the limit, instead of
      // sorting every due item on each claim (a 10,000-item backlog).
      stmt = this.db.connection.prepare(
        `SELECT ${COLUMNS} FROM outbox AS o INDEXED BY outbox_open
         WHERE o.state IN ('pending', 'uncertain')
           AND o.next_attempt_at IS NOT NULL AND o.next_attempt_at <= ?
           ${kindFilter}
           ${profileFilter}
           AND NOT EXISTS (
             SELECT 1 FROM outbox AS e
             WHERE e.phone = o.phone AND e.profile = o.profile AND e.seq < o.seq
               AND e.state NOT IN ('delivered', 'discarded')
           )
         ORDER BY o.seq
         LIMIT ?`,
      )
      this.claimStmts.set(key, stmt)
    }
    return stmt
  }

  /**
   * Marks up to `limit` deliverable items 'sending' and returns them. Call inside a
   * transaction (the engine commits outcomes and claims together). `prepare` may return new
   * steps for a row (the Data Center SIDs), stored with the 'sending' mark before anything is
   * sent.
   */
  claim(opts: {
    limit: number
    kinds?: readonly OutboxKind[]
    /** only this profile's items (the profile of the connections they will be sent through) */
    profile?: string
    now?: number
    prepare?: (row: OutboxRow) => unknown
  }): OutboxRow[] {
    if (opts.limit <= 0 || (opts.kinds && opts.kinds.length === 0)) return []
    const at = opts.now ?? this.now()
    const byProfile = opts.profile !== undefined
    const args = [at, ...(opts.kinds ?? []), ...(byProfile ? [opts.profile!] : []), opts.limit]
    const rows = (this.claimStmt(opts.kinds, byProfile).all(...args) as unknown as RawRow[]).map(
      toRow,
    )
    for (const row of rows) {
      const steps = opts.prepare?.(row)
      const stepsJson = steps === undefined ? null : JSON.stringify(steps)
      this.s.setSending.run(at, stepsJson, row.id)
      if (steps !== undefined) row.steps = steps
      row.state = 'sending'
      row.attempts += 1
      row.lastAttemptAt = at
    }
    return rows
  }

  /**
   * Records what an attempt came to. Returns the row after, or null when it is no longer
   * 'sending' (nothing to record). Call inside a transaction, or alone.
   */
  applyOutcome(id: string, outcome: Outcome, now = this.now()): OutboxRow | null {
    const before = this.s.get.get(id) as RawRow | undefined
    if (!before || before.state !== 'sending') return null
    const wasUncertain = before.uncertain !== 0
    let state: OutboxState
    let uncertain = wasUncertain
    let next: number | null = null
    let error: OutboxError | null = null
    let deliveredAt: number | null = null
    switch (outcome.type) {
      case 'delivered':
        state = 'delivered'
        deliveredAt = now
        break
      case 'retry':
        state = wasUncertain ? 'uncertain' : 'pending'
        next = now + Math.max(0, outcome.delayMs)
        error = outcome.error
        break
      case 'maybe-delivered':
        // The first time: one automatic retry. Already uncertain before this attempt (that was
        // the retry): parked for the agent.
        state = 'uncertain'
        uncertain = true
        next = wasUncertain ? null : now + Math.max(0, outcome.delayMs)
        error = outcome.error
        break
      case 'failed':
        state = 'failed'
        error = outcome.error
        break
    }
    const result = outcome.type === 'delivered' ? outcome.result : undefined
    const r = this.s.outcome.get(
      state,
      uncertain ? 1 : 0,
      next,
      error ? JSON.stringify(error) : null,
      result === undefined ? null : JSON.stringify(result),
      outcome.steps === undefined ? null : JSON.stringify(outcome.steps),
      deliveredAt,
      id,
    ) as RawRow | undefined
    return r ? toRow(r) : null
  }

  /**
   * A claimed item that was not sent after all (the engine stops, or its system went offline):
   * back to waiting, the attempt not counted. Call inside a transaction, or alone.
   */
  release(id: string, now = this.now()): void {
    this.s.release.run(now, id)
  }

  /** Persists a Data Center item's steps mid-delivery (a step done, a new SID). */
  saveSteps(id: string, steps: unknown): void {
    try {
      this.s.saveSteps.run(JSON.stringify(steps), id)
    } catch (e) {
      throw this.db.storageError(e, '保存同步进度失败')
    }
  }

  /**
   * Items left 'sending' by a crash or a kill. weixin: they may have arrived, so uncertain (one
   * automatic retry, or parked when that send was already the retry). Data Center: pending; the
   * stored SIDs make re-sending safe.
   */
  recoverInterrupted(): { uncertain: number; parked: number; pending: number } {
    const out = { uncertain: 0, parked: 0, pending: 0 }
    const at = this.now()
    this.transaction(() => {
      for (const raw of this.s.interrupted.all() as unknown as RawRow[]) {
        const row = toRow(raw)
        if (systemOf(row.kind) === 'weixin') {
          const error: OutboxError = {
            kind: 'interrupted',
            message: '发送时应用被关闭，不确定服务器是否已收到',
          }
          const park = row.uncertain
          this.s.recover.run('uncertain', 1, park ? null : at, JSON.stringify(error), row.id)
          if (park) out.parked++
          else out.uncertain++
        } else {
          this.s.recover.run('pending', row.uncertain ? 1 : 0, at, raw.last_error, row.id)
          out.pending++
        }
      }
    }, '恢复未完成的同步失败')
    return out
  }

  /** The earliest future next_attempt_at of an automatic item, or null. */
  nextDueAfter(now = this.now()): number | null {
    const r = this.s.nextDue.get(this.profile(), now) as { t: number | null } | undefined
    return r?.t ?? null
  }

  counts(): OutboxCounts {
    const out: OutboxCounts = { pending: 0, sending: 0, uncertain: 0, failed: 0 }
    try {
      const rows = this.s.counts.all(this.profile()) as { state: keyof OutboxCounts; n: number }[]
      for (const r of rows) {
        out[r.state] = r.n
      }
    } catch (e) {
      throw this.db.storageError(e)
    }
    return out
  }

  /** Items the engine will still deliver by itself (sending, pending, scheduled uncertain). */
  openCount(): number {
    return (this.s.openCount.get(this.profile()) as { n: number }).n
  }

  /** A savecallback for this number and package made since `since` (current profile). */
  savedSince(phone: string, packageId: number, since: number): boolean {
    if (!Number.isFinite(since)) return false
    try {
      return this.s.savedSince.get(this.profile(), phone, packageId, since) !== undefined
    } catch (e) {
      throw this.db.storageError(e)
    }
  }

  /** Undelivered items of other profiles than the current one: they wait for theirs. */
  otherProfileCounts(): { training: number; production: number } {
    const out = { training: 0, production: 0 }
    const current = this.profile()
    if (current === null) return out
    try {
      for (const r of this.s.otherCounts.all(current) as { training: number; n: number }[]) {
        out[r.training ? 'training' : 'production'] += r.n
      }
    } catch (e) {
      throw this.db.storageError(e)
    }
    return out
  }

  lastDeliveredAt(): number | null {
    return (this.s.lastDelivered.get() as { t: number | null } | undefined)?.t ?? null
  }

  /** Flush: every waiting item is due now. Returns how many were waiting. */
  skipBackoff(now = this.now()): number {
    try {
      return Number(this.s.skipBackoff.run(this.profile(), now).changes)
    } catch (e) {
      throw this.db.storageError(e)
    }
  }

  /** Drops delivered and discarded rows older than the cut-off; the table stays small. */
  purge(olderThan: number): number {
    try {
      return Number(this.s.purge.run(olderThan).changes)
    } catch (e) {
      throw this.db.storageError(e)
    }
  }

  /** Newest first (what the sync panel shows), optionally only some states. */
  list(opts: { states?: readonly OutboxState[]; limit?: number } = {}): OutboxRow[] {
    const states = opts.states && opts.states.length > 0 ? [...new Set(opts.states)].sort() : null
    const key = states ? states.join(',') : '*'
    let stmt = this.listStmts.get(key)
    if (!stmt) {
      const where = states ? `WHERE state IN (${states.map(() => '?').join(', ')})` : ''
      stmt = this.db.connection.prepare(
        `SELECT ${COLUMNS} FROM outbox ${where} ORDER BY seq DESC LIMIT ?`,
      )
      this.listStmts.set(key, stmt)
    }
    try {
      return (stmt.all(...(states ?? []), opts.limit ?? 100) as unknown as RawRow[]).map(toRow)
    } catch (e) {
      throw this.db.storageError(e)
    }
  }

  private write(row: OutboxRow, patch: Partial<OutboxRow>): OutboxRow {
    const next = { ...row, ...patch }
    const r = this.s.update.get(
      next.state,
      next.uncertain ? 1 : 0,
      next.attempts,
      JSON.stringify(next.payload),
      next.steps === null || next.steps === undefined ? null : JSON.stringify(next.steps),
      next.lastError ? JSON.stringify(next.lastError) : null,
      next.nextAttemptAt,
      row.id,
    ) as RawRow | undefined
    if (!r) throw notFound()
    return toRow(r)
  }

  private mustGet(id: string): OutboxRow {
    const row = this.get(id)
    if (!row) throw notFound()
    return row
  }

  private refuse(row: OutboxRow, action: string): never {
    throw new AppError('invalid-args', `这条记录${stateText[row.state]}，不能${action}`, {
      field: 'id',
    })
  }

  /**
   * The agent asks for another try now: failed, uncertain (parked or waiting) and pending items.
   * The back-off starts again from the first step.
   */
  retry(id: string): OutboxRow {
    return this.transaction(() => {
      const row = this.mustGet(id)
      if (!['failed', 'uncertain', 'pending'].includes(row.state)) this.refuse(row, '重试')
      return this.write(row, {
        state: row.uncertain ? 'uncertain' : 'pending',
        attempts: 0,
        nextAttemptAt: this.now(),
      })
    }, '重试失败')
  }

  /** The agent gives up on an item that has not been delivered; later items of its phone go. */
  discard(id: string): OutboxRow {
    return this.transaction(() => {
      const row = this.mustGet(id)
      if (!['failed', 'uncertain', 'pending'].includes(row.state)) this.refuse(row, '放弃')
      return this.write(row, { state: 'discarded', nextAttemptAt: null })
    }, '放弃失败')
  }

  /**
   * The agent corrects a failed (or parked uncertain) item; it is then retried. Only the kind's
   * editable fields; each is checked and a failure names it in Chinese.
   */
  edit(id: string, fields: Record<string, string>): OutboxRow {
    return this.transaction(() => {
      const row = this.mustGet(id)
      const parked = row.state === 'uncertain' && row.nextAttemptAt === null
      if (row.state !== 'failed' && !parked) this.refuse(row, '修改')
      const { payload, steps } = applyEdit(row.kind, row.payload, row.steps, fields)
      return this.write(row, {
        payload,
        steps,
        state: row.uncertain ? 'uncertain' : 'pending',
        attempts: 0,
        lastError: null,
        nextAttemptAt: this.now(),
      })
    }, '修改失败')
  }
}
