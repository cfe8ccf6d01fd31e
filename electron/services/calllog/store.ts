import { randomUUID } from 'node:crypto'
import path from 'node:path'
import type { SQLInputValue, StatementSync } from 'node:sqlite'
import type { CallLogFilter, CallLogRow, CallStats } from '../../../shared/calllog'
import { outboxStates } from '../../../shared/domain'
import { AppError } from '../../core/app-error'
import type { AppDatabase } from '../db/database'
import type { ParsedCallLogRow } from './format'
import { CALL_LOG_FTS } from '../db/migrations'
import {
  durationSeconds,
  type CallLogScope,
  type CallLogWriter,
  type DncSkipRow,
  type NewCallLogRow,
} from './types'

/**
 * The call log table: one row per call on this machine, and rows imported from others.
 *
 * Reads are built for 100,000 rows and more: every filter has an index ending in
 * (created_at, id), the view's order, so the first page of any filter is read off an index;
 * search by part of a phone or name goes through a trigram index or a narrow index, whichever
 * the term suits (see searchOf and schema.ts); exports walk the rows with a (created_at, id)
 * cursor, never OFFSET. Rows come back as arrays and are turned into objects here, which is
 * cheaper than node:sqlite's own row objects.
 *
 * A row's sync state is its savecallback's outbox state, joined at read time; when the outbox
 * has purged the item, the state it had then (kept by a trigger).
 */

export interface CallLogPage {
  rows: CallLogRow[]
  total: number
}

export interface CallLogStoreOptions {
  now?: () => Date
  newId?: () => string
}

export interface ImportSource {
  /** the file the rows came from (its name is kept with each row) */
  file: string
}

/** Adds imported rows in batches; keeps what it learnt (project ids by name) between them. */
export interface CallLogImporter {
  /** INSERT OR IGNORE by id, in one transaction */
  add(rows: readonly ParsedCallLogRow[]): { added: number; duplicates: number }
}

const SELECT_COLUMNS = `c.id, c.user_num, c.user_name, c.machine_no, c.project_id, c.project_name,
  c.package_id, c.package_name, c.phone, c.owner_name, c.dispensed_at, c.dialled_at, c.ended_at,
  c.duration_s, c.callback_item, c.notes, c.next_follow_date, c.next_follow_content,
  c.saved_to_customer, c.dnc,
  CASE WHEN c.outbox_id IS NULL THEN COALESCE(c.sync_state, 'local')
    ELSE COALESCE((SELECT o.state FROM outbox o WHERE o.id = c.outbox_id), c.sync_state, 'local')
  END AS sync,
  c.created_at`
// the outbox is looked up only for rows that still have an item there (not for old or
// imported rows): an export reads every row
const FROM = 'call_log c'
const ORDER = 'ORDER BY c.created_at DESC, c.id DESC'

const SYNC_STATES = new Set<string>([...outboxStates, 'imported', 'local'])

type RawRow = [
  id: string,
  userNum: string,
  userName: string,
  machineNo: string,
  projectId: number | null,
  projectName: string | null,
  packageId: number | null,
  packageName: string | null,
  phone: string,
  ownerName: string | null,
  dispensedAt: string | null,
  dialledAt: string | null,
  endedAt: string | null,
  durationS: number | null,
  callbackItem: string | null,
  notes: string | null,
  nextFollowDate: string | null,
  nextFollowContent: string | null,
  saved: number,
  dnc: number,
  sync: string,
  createdAt: string,
]

function toRow(r: RawRow): CallLogRow {
  return {
    id: r[0],
    userNum: r[1],
    userName: r[2],
    machineNo: r[3],
    projectId: r[4] ?? 0,
    projectName: r[5] ?? '',
    packageId: r[6] ?? 0,
    packageName: r[7] ?? '',
    phone: r[8],
    ownerName: r[9] ?? '',
    dispensedAt: r[10],
    dialledAt: r[11],
    endedAt: r[12],
    durationS: r[13],
    callbackItem: r[14] ?? '',
    notes: r[15] ?? '',
    nextFollowDate: r[16],
    nextFollowContent: r[17],
    savedToCustomer: r[18] !== 0,
    dnc: r[19] !== 0,
    syncState: (SYNC_STATES.has(r[20]) ? r[20] : 'local') as CallLogRow['syncState'],
    createdAt: r[21],
  }
}

interface Where {
  sql: string
  params: SQLInputValue[]
}

interface Search {
  column: 'phone' | 'owner_name'
  term: string
  /**
   * fts: through the trigram index; like: a LIKE on each row the other conditions reach; rows:
   * the matching rows first, from a scan of the (phone, owner_name) index (few matches)
   */
  mode: 'fts' | 'like' | 'rows'
}

/** Above this many matches in the whole log, a term is searched with LIKE (see searchOf). */
const FTS_MAX_MATCHES = 500
/** Below this many matches, a LIKE search fetches its rows before sorting them. */
const SPARSE_MATCHES = 500

/** '%' and '_' are LIKE's wildcards; '\' escapes them (ESCAPE '\'). */
function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`)
}

/** The first instant of a local calendar day (yyyy-MM-dd), as stored ISO text. */
export function localDayStart(day: string, plusDays = 0): string {
  const [y, m, d] = day.split('-').map(Number)
  return new Date(y!, m! - 1, d! + plusDays).toISOString()
}

/**
 * The strftime modifier that turns a stored UTC time into the machine's local time. A zone
 * without daylight saving (China's) gets a fixed offset, which SQLite applies several times
 * faster than 'localtime' and which follows the zone Node uses even when it changes at run time.
 */
export function zoneModifier(at: Date = new Date()): string {
  const y = at.getFullYear()
  const jan = new Date(y, 0, 1).getTimezoneOffset()
  const jul = new Date(y, 6, 1).getTimezoneOffset()
  if (jan !== jul) return 'localtime'
  const minutes = -jan
  return `${minutes >= 0 ? '+' : '-'}${Math.abs(minutes)} minutes`
}

export class CallLogStore implements CallLogWriter {
  readonly db: AppDatabase
  /** the trigram index exists (this SQLite build has FTS5) */
  readonly hasFts: boolean
  private readonly now: () => Date
  private readonly newId: () => string
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
    const c = db.connection
    this.hasFts =
      c
        .prepare(`SELECT 1 AS x FROM sqlite_master WHERE type = 'table' AND name = ?`)
        .get(CALL_LOG_FTS) !== undefined
    const cols = `id, user_num, user_name, machine_no, project_id, project_name, package_id,
      package_name, phone, owner_name, dispensed_at, dialled_at, ended_at, duration_s,
      callback_item, notes, next_follow_date, next_follow_content, saved_to_customer, dnc,
      outbox_id, created_at`
    const newest = `SELECT id FROM call_log WHERE user_num = ? AND phone = ?
      AND imported_from IS NULL ORDER BY created_at DESC, id DESC LIMIT 1`
    this.s = {
      insert: c.prepare(
        `INSERT INTO call_log (${cols}) VALUES (${Array(22).fill('?').join(', ')})`,
      ),
      insertImported: c.prepare(
        `INSERT OR IGNORE INTO call_log (${cols}, sync_state, imported_from, imported_at)
         VALUES (${Array(25).fill('?').join(', ')})`,
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
      knownProjects: c.prepare(
        `SELECT project_name AS pn, package_name AS kn, MAX(project_id) AS p, MAX(package_id) AS k
         FROM call_log WHERE project_id IS NOT NULL AND project_name IS NOT NULL
         GROUP BY project_name, package_name`,
      ),
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
      ),
    )
    return id
  }

  recordDncSkip(row: DncSkipRow): string {
    return this.record({
      ...row,
      dialledAt: null,
      endedAt: null,
      notes: '勿扰号码再次分配，已自动跳过',
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
    const projects = new Map<string, number>()
    const packages = new Map<string, number>()
    for (const r of this.read(() => this.s.knownProjects.all()) as {
      pn: string
      kn: string | null
      p: number | null
      k: number | null
    }[]) {
      if (r.p !== null) projects.set(r.pn, r.p)
      if (r.k !== null && r.kn) packages.set(`${r.pn}\u0000${r.kn}`, r.k)
    }
    const from = path.basename(source.file)
    return {
      add: (rows) => {
        const at = this.now().toISOString()
        let added = 0
        this.transaction(() => {
          for (const r of rows) {
            const projectName = r.projectName ?? ''
            const packageName = r.packageName ?? ''
            const dialledAt = r.dialledAt ?? null
            const endedAt = r.endedAt ?? null
            const dispensedAt = r.dispensedAt ?? null
            const res = this.s.insertImported.run(
              r.id,
              r.userNum ?? '',
              r.userName ?? '',
              r.machineNo ?? '',
              // the file has names only: the ids this machine knows for them, for the filters
              projects.get(projectName) ?? null,
              projectName,
              packages.get(`${projectName}\u0000${packageName}`) ?? null,
              packageName,
              r.phone ?? '',
              r.ownerName ?? '',
              dispensedAt,
              dialledAt,
              endedAt,
              r.durationS ?? durationSeconds(dialledAt, endedAt),
              r.callbackItem ?? '',
              r.notes ?? '',
              r.nextFollowDate ?? null,
              r.nextFollowContent ?? null,
              r.savedToCustomer ? 1 : 0,
              r.dnc ? 1 : 0,
              null,
              // the file has no record time: the call's own times stand in for it
              endedAt ?? dialledAt ?? dispensedAt ?? at,
              'imported',
              from,
              at,
            )
            added += Number(res.changes)
          }
        })
        return { added, duplicates: rows.length - added }
      },
    }
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
    // few rows match a LIKE: walking the view's index for them would read the whole log
    const w = this.where(
      filter,
      scope,
      search?.mode === 'like' && total < SPARSE_MATCHES ? { ...search, mode: 'rows' } : search,
    )
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
    const w = this.where(filter, scope)
    const first = `SELECT ${SELECT_COLUMNS} FROM ${FROM} WHERE ${w.sql} ${ORDER} LIMIT ?`
    const next = `SELECT ${SELECT_COLUMNS} FROM ${FROM}
      WHERE ${w.sql} AND (c.created_at, c.id) < (?, ?) ${ORDER} LIMIT ?`
    let cursor: [string, string] | null = null
    for (;;) {
      const raw: RawRow[] = cursor
        ? this.readArrays(next, [...w.params, cursor[0], cursor[1], size])
        : this.readArrays(first, [...w.params, size])
      if (raw.length === 0) return
      const rows = raw.map(toRow)
      yield rows
      if (raw.length < size) return
      const last = rows[rows.length - 1]!
      cursor = [last.createdAt, last.id]
    }
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

  /** The figures behind the charts, for the same filter as the list. */
  stats(filter: CallLogFilter, scope: CallLogScope, modifier = zoneModifier()): CallStats {
    const w = this.where(filter, scope)
    const buckets = this.read(() =>
      this.stmt(
        `SELECT c.user_num AS u, strftime('%Y-%m-%d %H', c.created_at, ?) AS b, COUNT(*) AS n,
           SUM(c.saved_to_customer) AS s, SUM(c.duration_s) AS ds, COUNT(c.duration_s) AS dn
         FROM call_log c WHERE ${w.sql} GROUP BY 1, 2`,
      ).all(modifier, ...w.params),
    ) as { u: string; b: string | null; n: number; s: number; ds: number | null; dn: number }[]
    const results = this.read(() =>
      this.stmt(
        `SELECT COALESCE(c.callback_item, '') AS r, COUNT(*) AS n FROM call_log c
         WHERE ${w.sql} GROUP BY 1 ORDER BY 2 DESC, 1`,
      ).all(...w.params),
    ) as { r: string; n: number }[]

    const agents = new Map<string, { calls: number; saved: number; ds: number; dn: number }>()
    const days = new Map<string, number>()
    const hours = new Map<string, number>()
    let total = 0
    let saved = 0
    let ds = 0
    let dn = 0
    for (const b of buckets) {
      total += b.n
      saved += b.s
      ds += b.ds ?? 0
      dn += b.dn
      const a = agents.get(b.u) ?? { calls: 0, saved: 0, ds: 0, dn: 0 }
      a.calls += b.n
      a.saved += b.s
      a.ds += b.ds ?? 0
      a.dn += b.dn
      agents.set(b.u, a)
      if (b.b === null) continue
      const dayKey = `${b.u}\u0000${b.b.slice(0, 10)}`
      days.set(dayKey, (days.get(dayKey) ?? 0) + b.n)
      const hourKey = `${b.u}\u0000${Number(b.b.slice(11, 13))}`
      hours.set(hourKey, (hours.get(hourKey) ?? 0) + b.n)
    }
    const avg = (sum: number, n: number): number | null =>
      n === 0 ? null : Math.round((sum / n) * 10) / 10
    const split = (key: string): [string, string] => {
      const i = key.indexOf('\u0000')
      return [key.slice(0, i), key.slice(i + 1)]
    }
    const byAgent = (a: { userNum: string }, b: { userNum: string }): number =>
      a.userNum < b.userNum ? -1 : a.userNum > b.userNum ? 1 : 0
    const names = this.read(() => new Map([...agents.keys()].map((u) => [u, this.nameOf(u)])))

    return {
      total,
      savedToCustomer: saved,
      conversionRate: total === 0 ? 0 : saved / total,
      averageHandleS: avg(ds, dn),
      perAgent: [...agents]
        .map(([userNum, a]) => ({
          userNum,
          userName: names.get(userNum) ?? '',
          calls: a.calls,
          savedToCustomer: a.saved,
          averageHandleS: avg(a.ds, a.dn),
        }))
        .sort((a, b) => b.calls - a.calls || byAgent(a, b)),
      perAgentDay: [...days]
        .map(([k, calls]) => {
          const [userNum, day] = split(k)
          return { userNum, day, calls }
        })
        .sort((a, b) => byAgent(a, b) || (a.day < b.day ? -1 : a.day > b.day ? 1 : 0)),
      perAgentHour: [...hours]
        .map(([k, calls]) => {
          const [userNum, hour] = split(k)
          return { userNum, hour: Number(hour), calls }
        })
        .sort((a, b) => byAgent(a, b) || a.hour - b.hour),
      results: results.map((r) => ({ result: r.r, count: r.n })),
    }
  }

  // --- internals ---

  /**
   * How to search, by what the term matches in the whole log. A term of 3 characters or more
   * that matches few rows goes through the trigram index ('fts'); a term that matches many
   * ('like') is best found by walking the view's index, where matches come quickly, and counted
   * by scanning the narrow (phone, owner_name) index. Shorter terms cannot use trigrams.
   */
  private searchOf(filter: CallLogFilter): Search | null {
    const text = filter.search?.trim()
    if (!text) return null
    // a phone number is digits (typed with spaces or dashes, perhaps); a name never is
    const digits = /^[\d\s-]+$/.test(text) ? text.replace(/[\s-]/g, '') : null
    const column = digits !== null ? 'phone' : 'owner_name'
    const term = digits ?? text
    if (!term) return null
    let mode: Search['mode'] = 'like'
    if (this.hasFts && [...term].length >= 3 && !/[%_\\]/.test(term)) {
      const row = this.read(() =>
        this.stmt(
          `SELECT COUNT(*) AS n FROM (SELECT 1 FROM ${CALL_LOG_FTS} WHERE ${column} LIKE ?
           LIMIT ${FTS_MAX_MATCHES + 1})`,
        ).get(`%${term}%`),
      ) as { n: number }
      if (row.n <= FTS_MAX_MATCHES) mode = 'fts'
    }
    return { column, term, mode }
  }

  /** the WHERE clause (over alias c) for a filter and a scope */
  private where(
    filter: CallLogFilter,
    scope: CallLogScope,
    search: Search | null = this.searchOf(filter),
  ): Where {
    const parts: string[] = []
    const params: SQLInputValue[] = []
    const add = (sql: string, ...values: SQLInputValue[]): void => {
      parts.push(sql)
      params.push(...values)
    }
    if (scope !== 'all') add('c.user_num = ?', scope.userNum)
    const userNum = filter.userNum?.trim()
    if (userNum && (scope === 'all' || scope.userNum !== userNum)) add('c.user_num = ?', userNum)
    if (filter.from) add('c.created_at >= ?', localDayStart(filter.from))
    if (filter.to) add('c.created_at < ?', localDayStart(filter.to, 1))
    if (filter.projectId !== undefined) add('c.project_id = ?', filter.projectId)
    if (filter.packageId !== undefined) add('c.package_id = ?', filter.packageId)
    const result = filter.result?.trim()
    if (result) add('c.callback_item = ?', result)
    if (search) {
      const { column, term } = search
      switch (search.mode) {
        case 'fts':
          add(`c.id IN (SELECT row_id FROM ${CALL_LOG_FTS} WHERE ${column} LIKE ?)`, `%${term}%`)
          break
        case 'like':
          add(`c.${column} LIKE ? ESCAPE '\\'`, `%${likeEscape(term)}%`)
          break
        case 'rows':
          add(
            `c.rowid IN (SELECT rowid FROM call_log INDEXED BY call_log_search
               WHERE ${column} LIKE ? ESCAPE '\\')`,
            `%${likeEscape(term)}%`,
          )
          break
      }
    }
    return { sql: parts.length ? parts.join(' AND ') : '1', params }
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
