import fs from 'node:fs'
import path from 'node:path'
import type { DatabaseSync } from 'node:sqlite'

/**
 * A second, append-only copy of the 勿扰 list beside the database: one JSON line per mark or
 * removal, fsynced before the caller is told it is saved. Whatever happens to the database file
 * (damaged, truncated, emptied, deleted), the list is merged back from here at the next open,
 * so a number marked 勿扰 never becomes dialable again because a file was lost.
 */

export interface DncJournalEntry {
  phone: string
  reason: string
  createdAt: string
  userNum: string | null
}

type Line =
  | ({ op: 'add' } & DncJournalEntry)
  | {
      op: 'remove'
      phone: string
      at: string
    }

/** `callcenter.db` → `callcenter.dnc.log` (training has its own database, so its own list). */
export function dncJournalPath(dbFile: string): string {
  return path.join(path.dirname(dbFile), `${path.basename(dbFile, '.db')}.dnc.log`)
}

function appendLines(file: string, lines: Line[]): void {
  const created = !fs.existsSync(file)
  const fd = fs.openSync(file, 'a', 0o600)
  try {
    fs.writeSync(fd, lines.map((l) => `${JSON.stringify(l)}\n`).join(''))
    fs.fsyncSync(fd)
  } finally {
    fs.closeSync(fd)
  }
  if (created) syncDir(path.dirname(file))
}

/** A new file's name is durable once its folder is fsynced (not possible on Windows: skipped). */
function syncDir(dir: string): void {
  let fd: number | null = null
  try {
    fd = fs.openSync(dir, 'r')
    fs.fsyncSync(fd)
  } catch {
    // Windows cannot open a folder; NTFS journals the name itself
  } finally {
    if (fd !== null) fs.closeSync(fd)
  }
}

export function journalAdd(file: string, entry: DncJournalEntry): void {
  appendLines(file, [{ op: 'add', ...entry }])
}

export function journalRemove(file: string, phone: string, at: string): void {
  appendLines(file, [{ op: 'remove', phone, at }])
}

function parse(line: string): Line | null {
  try {
    const v = JSON.parse(line) as Partial<Line> & Record<string, unknown>
    if (typeof v.phone !== 'string' || v.phone === '') return null
    if (v.op === 'remove') return { op: 'remove', phone: v.phone, at: String(v.at ?? '') }
    if (v.op !== 'add') return null
    return {
      op: 'add',
      phone: v.phone,
      reason: typeof v.reason === 'string' ? v.reason : '',
      createdAt: typeof v.createdAt === 'string' ? v.createdAt : new Date(0).toISOString(),
      userNum: typeof v.userNum === 'string' ? v.userNum : null,
    }
  } catch {
    // a line torn by a crash in the middle of an append
    return null
  }
}

/** The list the journal describes, in order; null when there is no journal yet. */
export function readDncJournal(file: string): Map<string, DncJournalEntry> | null {
  let text: string
  try {
    text = fs.readFileSync(file, 'utf8')
  } catch {
    return null
  }
  const list = new Map<string, DncJournalEntry>()
  for (const raw of text.split('\n')) {
    const line = raw.trim() === '' ? null : parse(raw)
    if (!line) continue
    if (line.op === 'remove') {
      list.delete(line.phone)
    } else {
      const { op: _op, ...entry } = line
      // marking again keeps the first time, like the table
      const first = list.get(entry.phone)
      list.set(entry.phone, first ? { ...entry, createdAt: first.createdAt } : entry)
    }
  }
  return list
}

interface DncRow {
  phone: string
  reason: string
  created_at: string
  user_num: string | null
}

export interface DncMerge {
  /** numbers in the journal that the database had lost, now back */
  restored: number
  /** numbers on the list after the merge */
  total: number
}

/**
 * Puts every number of the journal back into the dnc table. Without a journal (first start of a
 * version that keeps one), the journal is started from the table. `writable` false (the
 * in-memory fallback): merged for this run, nothing written to disk.
 */
export function mergeDncJournal(db: DatabaseSync, file: string, writable: boolean): DncMerge {
  const journal = readDncJournal(file)
  if (!journal) {
    const rows = db
      .prepare('SELECT phone, reason, created_at, user_num FROM dnc')
      .all() as unknown as DncRow[]
    if (writable && rows.length > 0) {
      appendLines(
        file,
        rows.map((r) => ({
          op: 'add' as const,
          phone: r.phone,
          reason: r.reason,
          createdAt: r.created_at,
          userNum: r.user_num,
        })),
      )
    }
    return { restored: 0, total: rows.length }
  }
  const insert = db.prepare(
    'INSERT OR IGNORE INTO dnc (phone, reason, created_at, user_num) VALUES (?, ?, ?, ?)',
  )
  let restored = 0
  db.exec('BEGIN IMMEDIATE')
  try {
    for (const e of journal.values()) {
      restored += Number(insert.run(e.phone, e.reason, e.createdAt, e.userNum).changes)
    }
    db.exec('COMMIT')
  } catch (e) {
    db.exec('ROLLBACK')
    throw e
  }
  const total = (db.prepare('SELECT COUNT(*) AS n FROM dnc').get() as { n: number }).n
  return { restored, total }
}
