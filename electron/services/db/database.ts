import fs from 'node:fs'
import path from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { AppError } from '../../core/app-error'
import { dncJournalPath, mergeDncJournal, type DncMerge } from './dnc-journal'
import { hadDatabase, inspectDatabaseFile, markDatabasePresent } from './file-check'
import { migrations, type Migration } from './migrations'
import { recoveryText, type RecoveryReport } from './recovery-report'
import { SUPERVISOR_HASH_KEY } from './ref-keys'
import { salvage, type TableSalvage } from './salvage'
import type { Logger } from '../ports'

export type { RecoveryReport } from './recovery-report'

/**
 * The app's local database: one SQLite file (node:sqlite, no native module) holding the outbox,
 * the call log, the do-not-call list and cached reference data.
 *
 * Durability: WAL with synchronous=FULL, so a commit has been fsynced to the WAL when it returns;
 * that is the moment the screen may say "saved".
 *
 * When the file cannot be used the app still starts:
 * - damaged (not a database / malformed / shorter than its header says): the file and its
 *   -wal/-shm are moved aside as `*.corrupt-<time>`, a fresh database is created and every table
 *   that can still be read is copied into it (salvage.ts); `problem` and `recovery` say what was
 *   recovered and what was not;
 * - missing or empty although this machine had a database (a marker beside it says so): a fresh
 *   database, and the same report;
 * - in every case the 勿扰 list is merged back from its append-only journal (dnc-journal.ts);
 * - the folder cannot be written (read-only, no permission) or the disk is full at open: an
 *   in-memory database with the same schema; `durable` is false and `problem` says that nothing
 *   can be saved. The outbox refuses writes then, so nothing is acknowledged that is not on disk.
 */

export interface AppDatabase {
  /** the file, or ':memory:' for the fallback */
  readonly path: string
  readonly connection: DatabaseSync
  /** false for the in-memory fallback: nothing written survives the process */
  readonly durable: boolean
  /** what went wrong at open (Chinese, for the agent), or null */
  readonly problem: string | null
  /** where a damaged file was moved, when it was */
  readonly movedAside: string | null
  /** what was lost and recovered at open, when the file was damaged, emptied or missing */
  readonly recovery: RecoveryReport | null
  /** the append-only copy of the 勿扰 list (also for the in-memory fallback: read-only then) */
  readonly dncJournal: string
  readonly schemaVersion: number
  /**
   * The AppError 'storage' for a failure of this database. A damaged file is remembered (a
   * marker beside it), so the next open checks it and, when it is damaged, moves it aside.
   */
  storageError(e: unknown, what?: string): AppError
  /**
   * Runs fn in BEGIN IMMEDIATE … COMMIT; rolls back and rethrows on failure; nests. `relaxed`:
   * this one commit is not fsynced (synchronous=NORMAL): it survives a crash of the app but
   * perhaps not a power cut. Only for writes whose loss the caller can recover from.
   */
  transaction<T>(fn: () => T, opts?: { relaxed?: boolean }): T
  close(): void
}

export interface OpenDatabaseOptions {
  log?: Logger
  now?: () => Date
  /** for tests of the migration runner */
  migrations?: readonly Migration[]
  /** how long a statement waits for a lock held by another connection */
  busyTimeoutMs?: number
}

/** SQLite primary result codes the app tells apart */
const SQLITE_CORRUPT = 11
const SQLITE_NOTADB = 26
const SQLITE_FULL = 13
const SQLITE_READONLY = 8
const SQLITE_CANTOPEN = 14
const SQLITE_IOERR = 10
const SQLITE_BUSY = 5
const SQLITE_LOCKED = 6
const SQLITE_PERM = 3

export type StorageFailure = 'corrupt' | 'full' | 'readonly' | 'busy' | 'io' | 'other'

export const storageText: Record<StorageFailure, string> = {
  corrupt: '本地数据库文件已损坏',
  full: '磁盘空间已满，记录未能保存到本机。请清理磁盘空间后重试',
  readonly: '数据文件夹不可写（只读或没有权限），记录无法保存到本机',
  busy: '本地数据库正被其他程序占用，请稍后重试',
  io: '读写本地数据库时发生磁盘错误',
  other: '本地数据库出错',
}

/** Which kind of local storage failure an error from node:sqlite or node:fs is. */
export function classifyStorageError(e: unknown): StorageFailure {
  const err = e as { errcode?: unknown; code?: unknown; message?: unknown }
  if (typeof err?.errcode === 'number') {
    switch (err.errcode & 0xff) {
      case SQLITE_CORRUPT:
      case SQLITE_NOTADB:
        return 'corrupt'
      case SQLITE_FULL:
        return 'full'
      case SQLITE_READONLY:
      case SQLITE_CANTOPEN:
      case SQLITE_PERM:
        return 'readonly'
      case SQLITE_BUSY:
      case SQLITE_LOCKED:
        return 'busy'
      case SQLITE_IOERR:
        return 'io'
      default:
        return 'other'
    }
  }
  switch (err?.code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return 'full'
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
    case 'ENOTDIR':
    case 'EISDIR':
      return 'readonly'
    case 'EIO':
      return 'io'
    default:
      return 'other'
  }
}

/** An AppError kind 'storage' with Chinese text for a local storage failure. */
export function storageError(e: unknown, what?: string): AppError {
  if (e instanceof AppError) return e
  const failure = classifyStorageError(e)
  let text = storageText[failure]
  if (failure === 'corrupt') text += '，请重启应用（损坏的文件会被另存，并新建数据库）'
  if (failure === 'other') {
    const detail = (e as { errstr?: unknown; message?: unknown })?.errstr ?? (e as Error)?.message
    if (typeof detail === 'string' && detail) text += `：${detail}`
  }
  return new AppError('storage', what ? `${what}：${text}` : text, { code: failure, cause: e })
}

function stamp(d: Date): string {
  return d.toISOString().replace(/[:.]/g, '-')
}

function configure(db: DatabaseSync, busyTimeoutMs: number, durable: boolean): void {
  db.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`)
  db.exec('PRAGMA foreign_keys = ON')
  if (durable) {
    const row = db.prepare('PRAGMA journal_mode = WAL').get() as { journal_mode?: string }
    if (row?.journal_mode !== 'wal') {
      throw new AppError('storage', `${storageText.other}：无法启用 WAL 日志模式`)
    }
    // FULL: the WAL is fsynced at every commit, so a returned commit survives a power cut.
    db.exec('PRAGMA synchronous = FULL')
  }
}

function currentVersion(db: DatabaseSync): number {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL) STRICT',
  )
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_version').get() as
    { v: number | null } | undefined
  return row?.v ?? 0
}

/**
 * After SQLITE_FULL and some I/O errors SQLite has already rolled back by itself; a ROLLBACK
 * then fails, and the original error is the one worth reporting. (Not db.isTransaction: it is
 * newer than some Node 22 releases.)
 */
function rollback(db: DatabaseSync): void {
  try {
    db.exec('ROLLBACK')
  } catch {
    // no transaction was open any more
  }
}

/** Applies every migration above the stored version, each in its own transaction. */
export function migrate(
  db: DatabaseSync,
  list: readonly Migration[] = migrations,
  now: () => Date = () => new Date(),
  log?: Logger,
): number {
  let version = currentVersion(db)
  for (const m of [...list].sort((a, b) => a.version - b.version)) {
    if (m.version <= version) continue
    db.exec('BEGIN IMMEDIATE')
    try {
      m.up(db)
      db.prepare('INSERT INTO schema_version (version, applied_at) VALUES (?, ?)').run(
        m.version,
        now().toISOString(),
      )
      db.exec('COMMIT')
    } catch (e) {
      rollback(db)
      throw e
    }
    log?.info('database migrated', { version: m.version, name: m.name })
    version = m.version
  }
  return version
}

class Database implements AppDatabase {
  private depth = 0
  private closed = false

  constructor(
    readonly path: string,
    readonly connection: DatabaseSync,
    readonly durable: boolean,
    readonly problem: string | null,
    readonly movedAside: string | null,
    readonly schemaVersion: number,
    readonly dncJournal: string,
    readonly recovery: RecoveryReport | null = null,
  ) {}

  transaction<T>(fn: () => T, opts?: { relaxed?: boolean }): T {
    if (this.depth > 0) {
      this.depth++
      try {
        return fn()
      } finally {
        this.depth--
      }
    }
    const relaxed = opts?.relaxed === true && this.durable
    if (relaxed) this.connection.exec('PRAGMA synchronous = NORMAL')
    this.depth = 1
    try {
      this.connection.exec('BEGIN IMMEDIATE')
      const out = fn()
      this.connection.exec('COMMIT')
      return out
    } catch (e) {
      rollback(this.connection)
      throw e
    } finally {
      this.depth = 0
      if (relaxed) this.connection.exec('PRAGMA synchronous = FULL')
    }
  }

  storageError(e: unknown, what?: string): AppError {
    const err = storageError(e, what)
    if (this.durable && classifyStorageError(e) === 'corrupt') {
      try {
        fs.writeFileSync(damagedMarker(this.path), new Date().toISOString())
      } catch {
        // the message still tells the agent; the next open may find it by itself
      }
    }
    return err
  }

  close(): void {
    if (this.closed) return
    this.closed = true
    this.connection.close()
  }
}

const damagedMarker = (file: string): string => `${file}.damaged`

class DamagedError extends Error {
  readonly errcode = SQLITE_CORRUPT
}

function openFile(
  file: string,
  opts: Required<Pick<OpenDatabaseOptions, 'busyTimeoutMs'>> & OpenDatabaseOptions,
): { db: DatabaseSync; version: number } {
  // Not a database at all, or cut short: moved aside before SQLite opens it, since closing a
  // failed open can checkpoint and delete the -wal that goes with it.
  const state = inspectDatabaseFile(file)
  if (state === 'not-sqlite' || state === 'truncated') {
    throw new DamagedError(`file is ${state === 'truncated' ? 'truncated' : 'not a database'}`)
  }
  const db = new DatabaseSync(file, { timeout: opts.busyTimeoutMs })
  try {
    configure(db, opts.busyTimeoutMs, true)
    // Reading the schema touches page 1 and the schema table: a damaged header or schema shows
    // up here rather than at the agent's first save.
    db.prepare('SELECT COUNT(*) AS n FROM sqlite_master').get()
    // Damage deeper in the file shows only when a page is read; the last run left a marker
    // then, and the whole file is checked now (a full check at every start would cost too much
    // with a large call log).
    if (fs.existsSync(damagedMarker(file))) {
      const rows = db.prepare('PRAGMA quick_check').all() as { quick_check: string }[]
      if (rows.length !== 1 || rows[0]?.quick_check !== 'ok') {
        throw new DamagedError(rows.map((r) => r.quick_check).join('; '))
      }
      fs.rmSync(damagedMarker(file), { force: true })
    }
    const version = migrate(db, opts.migrations ?? migrations, opts.now, opts.log)
    return { db, version }
  } catch (e) {
    try {
      db.close()
    } catch {
      // closing a half-opened handle may fail too; the open error is what matters
    }
    throw e
  }
}

function moveAside(file: string, now: Date): string {
  const target = `${file}.corrupt-${stamp(now)}`
  for (const suffix of ['', '-wal', '-shm']) {
    const from = file + suffix
    if (fs.existsSync(from)) fs.renameSync(from, target + suffix)
  }
  fs.rmSync(damagedMarker(file), { force: true })
  return target
}

function openMemory(opts: OpenDatabaseOptions): { db: DatabaseSync; version: number } {
  const db = new DatabaseSync(':memory:')
  configure(db, 0, false)
  return { db, version: migrate(db, opts.migrations ?? migrations, opts.now) }
}

/**
 * Opens (creating when needed) the database at `file`, migrated to the latest schema. Never
 * throws for a damaged file, a read-only folder or a full disk: see the module comment.
 */
export function openDatabase(file: string, options: OpenDatabaseOptions = {}): AppDatabase {
  const opts = { busyTimeoutMs: 5_000, ...options }
  const now = opts.now ?? (() => new Date())
  const log = opts.log
  const journal = dncJournalPath(file)

  /** the 勿扰 journal merged into `db`; a failure is logged, never fatal to the open */
  const mergeDnc = (db: DatabaseSync, writable: boolean): DncMerge => {
    try {
      const merged = mergeDncJournal(db, journal, writable)
      if (merged.restored > 0)
        log?.warn('database: 勿扰 numbers restored from the journal', { ...merged })
      return merged
    } catch (e) {
      log?.error('database: the 勿扰 journal could not be merged', e)
      return { restored: 0, total: 0 }
    }
  }

  const fallback = (failure: StorageFailure, e: unknown, movedAside: string | null) => {
    log?.error('database unusable, using an in-memory database', e)
    const { db, version } = openMemory(opts)
    // numbers marked 勿扰 stay undialable on this run too
    mergeDnc(db, false)
    const why =
      failure === 'full'
        ? '磁盘空间已满'
        : failure === 'readonly'
          ? '数据文件夹不可写（只读或没有权限）'
          : failure === 'corrupt'
            ? '本地数据库文件已损坏且无法重建'
            : `无法打开本地数据库（${storageError(e).message}）`
    const problem = `${why}：本次的通话结果和客户资料无法保存到本机，请联系管理员。数据位置：${path.dirname(file)}`
    return new Database(':memory:', db, false, problem, movedAside, version, journal)
  }

  /** a fresh (or emptied) file was opened in place of data this machine had */
  const recovered = (
    db: DatabaseSync,
    version: number,
    cause: RecoveryReport['cause'],
    aside: string | null,
    tables: TableSalvage[],
  ): AppDatabase => {
    markDatabasePresent(file, now())
    const dnc = mergeDnc(db, true)
    const refs = tables.find((t) => t.table === 'ref_cache')
    const report: RecoveryReport = {
      cause,
      movedAside: aside,
      tables,
      supervisorPassword: refs?.keys?.includes(SUPERVISOR_HASH_KEY) ?? false,
      dncRestoredFromJournal: dnc.restored,
      dncTotal: dnc.total,
    }
    log?.warn('database: recovery report', { ...report })
    const problem = recoveryText(report, SUPERVISOR_HASH_KEY)
    return new Database(file, db, true, problem, aside, version, journal, report)
  }

  try {
    fs.mkdirSync(path.dirname(file), { recursive: true })
  } catch (e) {
    return fallback(classifyStorageError(e), e, null)
  }

  // SQLite turns a missing or empty file into a new database without a word; when this machine
  // had one, that is data lost, and the agent is told.
  const state = inspectDatabaseFile(file)
  const lost = (state === 'absent' || state === 'empty') && hadDatabase(file)
  let emptiedAside: string | null = null
  if (lost && state === 'empty') {
    try {
      emptiedAside = moveAside(file, now())
    } catch (e) {
      return fallback(classifyStorageError(e), e, null)
    }
  }

  try {
    const { db, version } = openFile(file, opts)
    if (lost) {
      log?.error('database: the file was missing or empty; starting with a new one', { state })
      return recovered(db, version, state === 'empty' ? 'emptied' : 'missing', emptiedAside, [])
    }
    markDatabasePresent(file, now())
    mergeDnc(db, true)
    return new Database(file, db, true, null, null, version, journal)
  } catch (e) {
    const failure = classifyStorageError(e)
    if (failure !== 'corrupt') return fallback(failure, e, null)
    let aside: string
    try {
      aside = moveAside(file, now())
    } catch (moveErr) {
      return fallback(classifyStorageError(moveErr), moveErr, null)
    }
    log?.error('database damaged, moved aside; starting with a new one', e)
    try {
      const { db, version } = openFile(file, opts)
      return recovered(db, version, 'damaged', aside, salvage(aside, db))
    } catch (e2) {
      return fallback(classifyStorageError(e2), e2, aside)
    }
  }
}
