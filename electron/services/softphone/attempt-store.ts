import type { StatementSync } from 'node:sqlite'
import type { AppDatabase } from '../db/database'
import { DAY_MS } from './dial-rules'

export type DialVia = 'softphone' | 'uri'

/** Every dial this desktop made, for the cap on attempts per number in 24 hours. */
export class AttemptStore {
  private readonly addStmt: StatementSync
  private readonly countStmt: StatementSync
  private readonly pruneStmt: StatementSync

  constructor(db: AppDatabase) {
    const c = db.connection
    this.addStmt = c.prepare('INSERT INTO dial_attempt (phone, at, via) VALUES (?, ?, ?)')
    this.countStmt = c.prepare(
      'SELECT COUNT(*) AS n, MIN(at) AS oldest FROM dial_attempt WHERE phone = ? AND at > ?',
    )
    this.pruneStmt = c.prepare('DELETE FROM dial_attempt WHERE at <= ?')
  }

  add(phone: string, at: Date, via: DialVia): void {
    this.addStmt.run(phone, at.toISOString(), via)
  }

  /** attempts in the 24 h before `now`, and the oldest of them */
  lastDay(phone: string, now: Date): { count: number; oldest: Date | null } {
    const since = new Date(now.getTime() - DAY_MS).toISOString()
    const row = this.countStmt.get(phone, since) as { n: number; oldest: string | null }
    return { count: Number(row.n), oldest: row.oldest ? new Date(row.oldest) : null }
  }

  /** attempts older than a day no longer count: drop them */
  prune(now: Date): void {
    this.pruneStmt.run(new Date(now.getTime() - DAY_MS).toISOString())
  }
}
