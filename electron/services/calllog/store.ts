import { randomUUID } from 'node:crypto'
import type { SQLInputValue, StatementSync } from 'node:sqlite'
import type { CallLogFilter, CallLogRow, CallStats } from '../../../shared/calllog'
import { AppError } from '../../core/app-error'
import type { AppDatabase } from '../db/database'
import { CALL_LOG_FTS } from '../db/migrations'
import { pageSearch, searchOf, whereOf, type Search, type Where } from './filter-sql'
import {
  createImporter,
  KNOWN_PROJECTS_SQL,
  type CallLogImporter,
  type ImportSource,
  type KnownProject,
} from './importer'
import { zoneModifier } from './local-time'
import {
  FROM,
  ORDER,
  SELECT_COLUMNS,
  SELECT_COLUMNS_NO_RECORDINGS,
  toRow,
  type RawRow,
} from './rows'
import { PauseStore } from './pauses'
import {
  bucketsSql,
  callStats,
  callStatsOf,
  hoursSql,
  resultsSql,
  type ResultCount,
  type StatsBucket,
} from './stats'
import { readSummary } from './stats-fast'
import {
  dayOutcomeSql,
  intentSql,
  teamStats,
  type DayOutcomeBucket,
  type IntentBucket,
} from './team-stats'
import {
  DNC_SKIP_NOTES,
  durationSeconds,
  type CallLogScope,
  type CallLogWriter,
  type DncSkipRow,
  type NewCallLogRow,
} from './types'

/**
 * The call log table: one row per call on this machine, and rows imported from others.
 *
 * Reads are built for 100,000 rows and more: the filters and searches are answered from
 * indexes (filter-sql.ts); exports walk the rows with a (created_at, id) cursor, never OFFSET.
 * Rows come back as arrays and are turned into objects by rows.ts.
 */

export interface CallLogPage {
  rows: CallLogRow[]
  total: number
}

export interface CallLogStoreOptions {
  now?: () => Date
  newId?: () => string
  /** the connection profile in use: each new row is tagged with it (training or production) */
  profile?: () => string | null
}

export class CallLogStore implements CallLogWriter {
  readonly db: AppDatabase
  /** the agents' pause periods (same database) */
  readonly pauses: PauseStore
  /** the trigram index exists (this SQLite build has FTS5) */
  readonly hasFts: boolean
  private readonly now: () => Date
  private readonly newId: () => string
  private readonly profile: () => string | null
  private readonly stmts = new Map<string, StatementSync>()
  private readonly s: {
    insert: StatementSync
    insertImported: StatementSync
    markSaved: StatementSync
    markDnc: StatementSync
    customerSince: StatementSync
    firstAgent: StatementSync
    nextAgent: StatementSync
    agentName: StatementSync
    knownProjects: StatementSync
  }

  constructor(db: AppDatabase, opts: CallLogStoreOptions = {}) {
    this.db = db
    this.now = opts.now ?? (() => new Date())
    this.newId = opts.newId ?? randomUUID
    this.pauses = new PauseStore(db, this.now)
    this.profile = opts.profile ?? (() => null)
    const c = db.connection
    this.hasFts =
      c
        .prepare(`SELECT 1 AS x FROM sqlite_master WHERE type = 'table' AND name = ?`)
        .get(CALL_LOG_FTS) !== undefined
    const cols = `id, user_num, user_name, machine_no, project_id, project_name, package_id,
      package_name, phone, owner_name, dispensed_at, dialled_at, ended_at, duration_s,
      callback_item, notes, next_follow_date, next_follow_content, saved_to_customer, dnc,
      outbox_id, created_at, intent, answered_at`
    const newest = `SELECT id FROM call_log WHERE user_num = ? AND phone = ?
      AND imported_from IS NULL ORDER BY created_at DESC, id DESC LIMIT 1`
    this.s = {
      insert: c.prepare(
        `INSERT INTO call_log (${cols}, profile) VALUES (${Array(25).fill('?').join(', ')})`,
      ),
      insertImported: c.prepare(
        `INSERT OR IGNORE INTO call_log (${cols}, sync_state, imported_from, imported_at)
         VALUES (${Array(27).fill('?').join(', ')})`,
      ),
      markSaved: c.prepare(`UPDATE call_log SET saved_to_customer = 1 WHERE id = (${newest})`),
      markDnc: c.prepare(`UPDATE call_log SET dnc = 1 WHERE id = (${newest})`),
      customerSince: c.prepare(
        `SELECT 1 AS x FROM outbox
         WHERE phone = ? AND kind = 'weixin.save_to_customer' AND created_at >= ? LIMIT 1`,
      ),
      // the distinct agents by index skips, not by reading every row
      firstAgent: c.prepare('SELECT MIN(user_num) AS u FROM call_log'),
      nextAgent: c.prepare('SELECT MIN(user_num) AS u FROM call_log WHERE user_num > ?'),
      agentName: c.prepare(
        `SELECT user_name AS n FROM call_log WHERE user_num = ? ORDER BY created_at DESC, id DESC
         LIMIT 1`,
      ),
      knownProjects: c.prepare(KNOWN_PROJECTS_SQL),
    }
  }

  // --- writes ---

  transaction<T>(fn: () => T): T {
    try {
      return this.db.transaction(fn)
    } catch (e) {
      if (e instanceof AppError) throw e
      throw this.db.storageError(e, '保存通话记录失败')
    }
  }

  record(row: NewCallLogRow): string {
    const id = this.newId()
    const at = this.now()
    const saved =
      row.savedToCustomer ??
      this.customerSavedSince(row.phone, row.dispensedAt ?? new Date(at.getTime() - 12 * 3600_000))
    this.write('保存通话记录失败', () =>
      this.s.insert.run(
        id,
        row.userNum,
        row.userName,
        row.machineNo,
        row.projectId,
        row.projectName,
        row.packageId,
        row.packageName,
        row.phone,
        row.ownerName,
        row.dispensedAt,
        row.dialledAt,
        row.endedAt,
        durationSeconds(row.dialledAt, row.endedAt),
        row.callbackItem,
        row.notes,
        row.nextFollowDate,
        row.nextFollowContent,
        saved ? 1 : 0,
        row.dnc ? 1 : 0,
        row.outboxId,
        at.toISOString(),
        row.intent ?? null,
        row.answeredAt ?? null,
        this.profile() ?? '',
      ),
    )
    return id
  }

  recordDncSkip(row: DncSkipRow): string {
    return this.record({
      ...row,
      dialledAt: null,
      endedAt: null,
      notes: DNC_SKIP_NOTES,
      nextFollowDate: null,
      nextFollowContent: null,
      dnc: true,
      savedToCustomer: false,
    })
  }

  markSavedToCustomer(userNum: string, phone: string): boolean {
    return this.write('更新通话记录失败', () => this.s.markSaved.run(userNum, phone)).changes > 0
  }

  markDnc(userNum: string, phone: string): boolean {
    return this.write('更新通话记录失败', () => this.s.markDnc.run(userNum, phone)).changes > 0
  }

  /** Starts an import: rows are added in batches (the caller yields between them). */
  beginImport(source: ImportSource): CallLogImporter {
    return createImporter({
      source,
      known: this.read(() => this.s.knownProjects.all()) as unknown as KnownProject[],
      now: this.now,
      transaction: (fn) => this.transaction(fn),
      insert: (values) => Number(this.s.insertImported.run(...values).changes),
    })
  }

  // --- reads ---

  count(filter: CallLogFilter, scope: CallLogScope): number {
    return this.countWhere(this.where(filter, scope))
  }

  private countWhere(w: Where): number {
    const row = this.read(() =>
      this.stmt(`SELECT COUNT(*) AS n FROM call_log c WHERE ${w.sql}`).get(...w.params),
    ) as { n: number }
    return row.n
  }

  /** One page (1-based), newest first, and how many rows the filter matches in all. */
  query(filter: CallLogFilter, page: number, pageSize: number, scope: CallLogScope): CallLogPage {
    const search = this.searchOf(filter)
    const total = this.countWhere(this.where(filter, scope, search))
    const offset = (page - 1) * pageSize
    if (offset >= total) return { rows: [], total }
    const w = this.where(filter, scope, pageSearch(search, total))
    const rows = this.readArrays(
      `SELECT ${SELECT_COLUMNS} FROM ${FROM} WHERE ${w.sql} ${ORDER} LIMIT ? OFFSET ?`,
      [...w.params, pageSize, offset],
    )
    return { rows: rows.map(toRow), total }
  }

  /**
   * Every row the filter matches, newest first, in batches: a cursor on (created_at, id), so a
   * batch costs the same at the end as at the start and rows added meanwhile do not shift it.
   */
  *batches(filter: CallLogFilter, scope: CallLogScope, size = 2000): Generator<CallLogRow[]> {
    for (const raw of this.rawBatches(filter, scope, size)) yield raw.map(toRow)
  }

  /** batches as the arrays read (rows.ts): what exports write, without an object per row */
  *rawBatches(filter: CallLogFilter, scope: CallLogScope, size = 2000): Generator<RawRow[]> {
    const w = this.where(filter, scope)
    const recordings = this.read(
      () => this.stmt('SELECT EXISTS (SELECT 1 FROM call_recording) AS x').get() as { x: number },
    ).x
    const columns = recordings ? SELECT_COLUMNS : SELECT_COLUMNS_NO_RECORDINGS
    const first = `SELECT ${columns} FROM ${FROM} WHERE ${w.sql} ${ORDER} LIMIT ?`
    const next = `SELECT ${columns} FROM ${FROM}
      WHERE ${w.sql} AND (c.created_at, c.id) < (?, ?) ${ORDER} LIMIT ?`
    let cursor: [string, string] | null = null
    for (;;) {
      const raw: RawRow[] = cursor
        ? this.readArrays(next, [...w.params, cursor[0], cursor[1], size])
        : this.readArrays(first, [...w.params, size])
      if (raw.length === 0) return
      yield raw
      if (raw.length < size) return
      const last = raw[raw.length - 1]!
      cursor = [last[21], last[0]]
    }
  }

  /** One number's calls on this desktop (imported rows too), newest first: its story on screen. */
  callsOf(phone: string, limit = 5): CallLogRow[] {
    return this.readArrays(
      `SELECT ${SELECT_COLUMNS} FROM ${FROM} WHERE c.phone = ? ${ORDER} LIMIT ?`,
      [phone, limit],
    ).map(toRow)
  }

  /**
   * The agent's follow-ups set for `day` (local yyyy-MM-dd) with no later call to the number:
   * 今日待回访. Found through the partial index on next_follow_date.
   */
  followUpsDue(userNum: string, day: string, limit = 200): CallLogRow[] {
    return this.readArrays(
      `SELECT ${SELECT_COLUMNS} FROM ${FROM}
       WHERE c.next_follow_date = ? AND c.user_num = ?
         AND NOT EXISTS (SELECT 1 FROM call_log l WHERE l.phone = c.phone AND l.created_at > c.created_at)
       ${ORDER} LIMIT ?`,
      [day, userNum, limit],
    ).map(toRow)
  }

  /** Every agent in the log (imported rows too), with the name of their newest row. */
  agents(): { userNum: string; userName: string }[] {
    return this.read(() => {
      const out: { userNum: string; userName: string }[] = []
      let u = (this.s.firstAgent.get() as { u: string | null }).u
      while (u !== null) {
        out.push({ userNum: u, userName: this.nameOf(u) })
        u = (this.s.nextAgent.get(u) as { u: string | null }).u
      }
      return out
    })
  }

  /**
   * The figures behind the charts, for the same filter as the list: from the summary tables
   * (stats-fast.ts), or when they cannot answer (a search), from the call log itself.
   */
  stats(filter: CallLogFilter, scope: CallLogScope, modifier = zoneModifier()): CallStats {
    const fast = this.read(() =>
      readSummary(
        {
          stmt: (sql) => this.stmt(sql),
          transaction: (fn) => this.transaction(fn),
          connection: this.db.connection,
        },
        filter,
        scope,
        modifier,
        () => {
          const w = this.where(filter, scope)
          return this.stmt(hoursSql(w.sql)).all(modifier, ...w.params) as unknown as {
            u: string
            h: number | null
            n: number
          }[]
        },
      ),
    )
    if (!fast) return this.statsDirect(filter, scope, modifier)
    const pauses = this.pauses.buckets(filter, scope, modifier)
    return this.read(() => {
      const nameOf = (u: string): string => this.nameOf(u)
      return {
        ...callStatsOf(fast.figures, fast.results, nameOf),
        team: teamStats(fast.days, fast.intents, pauses, nameOf),
      }
    })
  }

  /** The statistics from grouped reads of the call log (searches; the summary's reference). */
  statsDirect(filter: CallLogFilter, scope: CallLogScope, modifier = zoneModifier()): CallStats {
    const w = this.where(filter, scope)
    // over most of the log, a scan of the table beats walking an index with a table lookup per
    // row (the grouped columns are not in any index): several times faster at 100,000 rows
    const wide = scope === 'all' && !filter.userNum && !filter.search
    const from = (sql: string): string =>
      wide ? sql.replace('FROM call_log c ', 'FROM call_log c NOT INDEXED ') : sql
    const buckets = this.read(() =>
      this.stmt(from(bucketsSql(w.sql))).all(modifier, ...w.params),
    ) as unknown as StatsBucket[]
    const results = this.read(() =>
      this.stmt(resultsSql(w.sql)).all(...w.params),
    ) as unknown as ResultCount[]
    const days = this.read(() =>
      this.stmt(from(dayOutcomeSql(w.sql))).all(modifier, ...w.params),
    ) as unknown as DayOutcomeBucket[]
    const intents = this.read(() =>
      this.stmt(from(intentSql(w.sql))).all(...w.params),
    ) as unknown as IntentBucket[]
    const pauses = this.pauses.buckets(filter, scope, modifier)
    return this.read(() => {
      const nameOf = (u: string): string => this.nameOf(u)
      return {
        ...callStats(buckets, results, nameOf),
        team: teamStats(days, intents, pauses, nameOf),
      }
    })
  }

  // --- internals ---

  /** the filter's search, planned by what its term matches in the whole log */
  private searchOf(filter: CallLogFilter): Search | null {
    return searchOf(
      filter,
      this.hasFts
        ? (sql, param) => (this.read(() => this.stmt(sql).get(param)) as { n: number }).n
        : null,
    )
  }

  /** the WHERE clause (over alias c) for a filter and a scope */
  private where(
    filter: CallLogFilter,
    scope: CallLogScope,
    search: Search | null = this.searchOf(filter),
  ): Where {
    return whereOf(filter, scope, search)
  }

  private nameOf(userNum: string): string {
    return (this.s.agentName.get(userNum) as { n: string } | undefined)?.n ?? ''
  }

  private customerSavedSince(phone: string, since: string | Date): boolean {
    const t = typeof since === 'string' ? Date.parse(since) : since.getTime()
    if (Number.isNaN(t)) return false
    return this.read(() => this.s.customerSince.get(phone, t)) !== undefined
  }

  private stmt(sql: string): StatementSync {
    let s = this.stmts.get(sql)
    if (!s) {
      // a handful of filter combinations in practice; the bound keeps a bug from hoarding
      if (this.stmts.size > 200) this.stmts.clear()
      s = this.db.connection.prepare(sql)
      this.stmts.set(sql, s)
    }
    return s
  }

  private readArrays(sql: string, params: SQLInputValue[]): RawRow[] {
    return this.read(() => {
      const s = this.stmt(sql)
      s.setReturnArrays(true)
      return s.all(...params) as unknown as RawRow[]
    })
  }

  private read<T>(fn: () => T): T {
    try {
      return fn()
    } catch (e) {
      if (e instanceof AppError) throw e
      throw this.db.storageError(e, '读取通话记录失败')
    }
  }

  private write<T>(what: string, fn: () => T): T {
    try {
      return fn()
    } catch (e) {
      if (e instanceof AppError) throw e
      throw this.db.storageError(e, what)
    }
  }
}
