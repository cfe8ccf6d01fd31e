import type { StatementSync } from 'node:sqlite'
import { AppError } from '../../core/app-error'
import type { AppDatabase } from '../db/database'
import { journalAdd, journalRemove } from '../db/dnc-journal'

export interface DncEntry {
  phone: string
  reason: string
  /** ISO time it was marked */
  createdAt: string
  /** the agent who marked it */
  userNum: string | null
}

/**
 * The local do-not-call list (勿扰): a number on it is never dialled again from this desk. Kept
 * twice: in the database and in an append-only journal beside it (db.dncJournal), which the
 * database merges back at every open, so a damaged or lost database file cannot make a 勿扰
 * number dialable again.
 */
export class DncStore {
  private readonly markStmt: StatementSync
  private readonly isStmt: StatementSync
  private readonly listStmt: StatementSync
  private readonly removeStmt: StatementSync
  private readonly getStmt: StatementSync

  constructor(
    private readonly db: AppDatabase,
    private readonly now: () => Date = () => new Date(),
  ) {
    const c = db.connection
    // Marking again keeps the first time but takes the newest reason.
    this.markStmt = c.prepare(
      `INSERT INTO dnc (phone, reason, created_at, user_num) VALUES (?, ?, ?, ?)
       ON CONFLICT (phone) DO UPDATE SET reason = excluded.reason`,
    )
    this.isStmt = c.prepare('SELECT 1 AS x FROM dnc WHERE phone = ?')
    this.listStmt = c.prepare(
      'SELECT phone, reason, created_at, user_num FROM dnc ORDER BY created_at DESC, phone LIMIT ?',
    )
    this.removeStmt = c.prepare('DELETE FROM dnc WHERE phone = ?')
    this.getStmt = c.prepare('SELECT phone, reason, created_at, user_num FROM dnc WHERE phone = ?')
  }

  /**
   * Durable when it returns: the journal line is fsynced first, then the database commits with
   * synchronous=FULL. Refuses (AppError 'storage') on the in-memory fallback: a 勿扰 that is
   * forgotten at the next start must not look saved.
   */
  mark(phone: string, reason: string, userNum?: string | null): DncEntry {
    if (!this.db.durable) {
      throw new AppError('storage', this.db.problem ?? '本地数据库不可用，勿扰号码未保存')
    }
    const createdAt = this.now().toISOString()
    try {
      // journal first: a number in the journal but not in the table is merged back at the next
      // open; the other way round it could be lost with the file
      journalAdd(this.db.dncJournal, { phone, reason, createdAt, userNum: userNum ?? null })
      this.markStmt.run(phone, reason, createdAt, userNum ?? null)
    } catch (e) {
      throw this.db.storageError(e, '保存勿扰号码失败')
    }
    const entry = this.get(phone)
    if (!entry) throw new Error('DncStore.mark: the row is missing after the insert')
    return entry
  }

  isDnc(phone: string): boolean {
    try {
      return this.isStmt.get(phone) !== undefined
    } catch (e) {
      throw this.db.storageError(e, '读取勿扰名单失败')
    }
  }

  list(limit = 500): DncEntry[] {
    try {
      return (this.listStmt.all(limit) as unknown as Row[]).map(toEntry)
    } catch (e) {
      throw this.db.storageError(e, '读取勿扰名单失败')
    }
  }

  /** Table first: should the journal line fail, the number comes back (the safe side). */
  remove(phone: string): boolean {
    try {
      const removed = Number(this.removeStmt.run(phone).changes) > 0
      if (removed) journalRemove(this.db.dncJournal, phone, this.now().toISOString())
      return removed
    } catch (e) {
      throw this.db.storageError(e, '修改勿扰名单失败')
    }
  }

  get(phone: string): DncEntry | null {
    const row = this.getStmt.get(phone) as Row | undefined
    return row ? toEntry(row) : null
  }
}

interface Row {
  phone: string
  reason: string
  created_at: string
  user_num: string | null
}

function toEntry(r: Row): DncEntry {
  return { phone: r.phone, reason: r.reason, createdAt: r.created_at, userNum: r.user_num }
}
