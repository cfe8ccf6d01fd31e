import type { StatementSync } from 'node:sqlite'
import type { AppDatabase } from '../db/database'

export interface RecordingRow {
  id: string
  phone: string
  /** path relative to the recordings folder */
  file: string
  startedAt: string
  endedAt: string | null
  bytes: number
}

/** The index of local call recordings: which file belongs to which call, and how old it is. */
export class RecordingStore {
  private readonly addStmt: StatementSync
  private readonly finishStmt: StatementSync
  private readonly getStmt: StatementSync
  private readonly olderStmt: StatementSync
  private readonly removeStmt: StatementSync
  private readonly forPhoneStmt: StatementSync
  private readonly forCallStmt: StatementSync

  constructor(db: AppDatabase) {
    const c = db.connection
    this.addStmt = c.prepare(
      'INSERT INTO call_recording (id, phone, file, started_at) VALUES (?, ?, ?, ?)',
    )
    this.finishStmt = c.prepare('UPDATE call_recording SET ended_at = ?, bytes = ? WHERE id = ?')
    this.getStmt = c.prepare(
      'SELECT id, phone, file, started_at, ended_at, bytes FROM call_recording WHERE id = ?',
    )
    this.olderStmt = c.prepare(
      'SELECT id, phone, file, started_at, ended_at, bytes FROM call_recording WHERE started_at < ?',
    )
    this.removeStmt = c.prepare('DELETE FROM call_recording WHERE id = ?')
    this.forCallStmt = c.prepare(
      `SELECT id, phone, file, started_at, ended_at, bytes FROM call_recording
       WHERE phone = ? AND started_at >= ? AND started_at <= ? ORDER BY started_at DESC LIMIT 1`,
    )
    this.forPhoneStmt = c.prepare(
      `SELECT id, phone, file, started_at, ended_at, bytes FROM call_recording
       WHERE phone = ? ORDER BY started_at DESC`,
    )
  }

  /** the latest recording of `phone` that started between `from` and `to` (ISO times) */
  forCall(phone: string, from: string, to: string): RecordingRow | null {
    const r = this.forCallStmt.get(phone, from, to) as Record<string, unknown> | undefined
    return r ? RecordingStore.row(r) : null
  }

  private static row(r: Record<string, unknown>): RecordingRow {
    return {
      id: String(r.id),
      phone: String(r.phone),
      file: String(r.file),
      startedAt: String(r.started_at),
      endedAt: r.ended_at == null ? null : String(r.ended_at),
      bytes: Number(r.bytes),
    }
  }

  add(row: Pick<RecordingRow, 'id' | 'phone' | 'file' | 'startedAt'>): void {
    this.addStmt.run(row.id, row.phone, row.file, row.startedAt)
  }

  finish(id: string, endedAt: string, bytes: number): void {
    this.finishStmt.run(endedAt, bytes, id)
  }

  get(id: string): RecordingRow | null {
    const r = this.getStmt.get(id) as Record<string, unknown> | undefined
    return r ? RecordingStore.row(r) : null
  }

  forPhone(phone: string): RecordingRow[] {
    return (this.forPhoneStmt.all(phone) as Record<string, unknown>[]).map(RecordingStore.row)
  }

  startedBefore(iso: string): RecordingRow[] {
    return (this.olderStmt.all(iso) as Record<string, unknown>[]).map(RecordingStore.row)
  }

  remove(id: string): void {
    this.removeStmt.run(id)
  }
}
