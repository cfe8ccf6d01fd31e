import { DatabaseSync } from 'node:sqlite'

/**
 * Copies what can still be read from a damaged database file into a fresh one, table by table:
 * the outbox, the call log, the 勿扰 list and ref_cache (which holds the supervisor password's
 * hash, the offline-login verifiers and the cached projects). Each table is read forwards in
 * rowid order until a damaged page stops it, then backwards from the end down to where the
 * forward read stopped, so only the rows on damaged pages are lost.
 */

export type SalvagedTable = 'outbox' | 'call_log' | 'dnc' | 'ref_cache'

/** Parents before children: call_log.outbox_id refers to outbox. */
export const SALVAGED_TABLES: readonly SalvagedTable[] = ['outbox', 'dnc', 'ref_cache', 'call_log']

export interface TableSalvage {
  table: SalvagedTable
  /** rows copied into the new database */
  recovered: number
  /** every row of the table was read (false: some were on damaged pages, or none could be read) */
  complete: boolean
  /** the table could not be read at all */
  unreadable: boolean
  /** outbox: recovered items not yet delivered */
  open?: number
  /** ref_cache: the keys recovered */
  keys?: string[]
}

type Row = Record<string, unknown>

function readRows(src: DatabaseSync, table: string, cols: string[]) {
  const list = ['rowid AS "__rowid"', ...cols.map((c) => `"${c}"`)].join(', ')
  const rows: Row[] = []
  let complete = true
  let lastForward = -Infinity
  try {
    for (const r of src.prepare(`SELECT ${list} FROM "${table}" ORDER BY rowid`).iterate()) {
      rows.push(r as Row)
      lastForward = Number((r as Row).__rowid)
    }
  } catch {
    complete = false
    try {
      for (const r of src.prepare(`SELECT ${list} FROM "${table}" ORDER BY rowid DESC`).iterate()) {
        if (Number((r as Row).__rowid) <= lastForward) break
        rows.push(r as Row)
      }
    } catch {
      // damaged from here back to the forward read's end
    }
  }
  return { rows, complete }
}

function columns(db: DatabaseSync, table: string): string[] {
  return (db.prepare(`PRAGMA table_info("${table}")`).all() as { name: string }[]).map(
    (c) => c.name,
  )
}

function copyTable(src: DatabaseSync, to: DatabaseSync, table: SalvagedTable): TableSalvage {
  const out: TableSalvage = { table, recovered: 0, complete: false, unreadable: true }
  let srcCols: string[]
  try {
    srcCols = columns(src, table)
  } catch {
    return out
  }
  if (srcCols.length === 0) return { ...out, complete: true, unreadable: false }
  // an older file may lack later columns; the new one fills their defaults
  const cols = columns(to, table).filter((c) => srcCols.includes(c))
  const { rows, complete } = readRows(src, table, cols)
  const insert = to.prepare(
    `INSERT OR IGNORE INTO "${table}" (${cols.map((c) => `"${c}"`).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`,
  )
  let open = 0
  const keys: string[] = []
  for (const r of rows) {
    let changed = 0
    try {
      changed = Number(insert.run(...cols.map((c) => (r[c] ?? null) as never)).changes)
    } catch {
      // a row whose values no longer fit (garbage read from a damaged page) is left out
      continue
    }
    out.recovered += changed
    if (changed && table === 'outbox' && !['delivered', 'discarded'].includes(String(r.state)))
      open++
    if (changed && table === 'ref_cache') keys.push(String(r.key))
  }
  if (table === 'outbox') out.open = open
  if (table === 'ref_cache') out.keys = keys
  return { ...out, complete, unreadable: false }
}

/**
 * Salvages `from` (opened read-only) into `to`, a freshly migrated database. Never throws: a
 * file that cannot be opened at all gives every table as unreadable.
 */
export function salvage(from: string, to: DatabaseSync): TableSalvage[] {
  const none = (table: SalvagedTable): TableSalvage => ({
    table,
    recovered: 0,
    complete: false,
    unreadable: true,
  })
  let src: DatabaseSync | null = null
  try {
    // writable_schema (which needs defensive mode off) lets SQLite read a file shorter than its
    // header says, which it refuses as corrupt otherwise; this connection is read-only
    src = new DatabaseSync(from, { readOnly: true, defensive: false })
    src.exec('PRAGMA writable_schema = ON')
  } catch {
    return SALVAGED_TABLES.map(none)
  }
  try {
    // call log rows whose outbox item was lost keep their row, without the link
    to.exec('PRAGMA foreign_keys = OFF')
    const results: TableSalvage[] = []
    for (const table of SALVAGED_TABLES) {
      to.exec('BEGIN IMMEDIATE')
      try {
        results.push(copyTable(src, to, table))
        to.exec('COMMIT')
      } catch {
        to.exec('ROLLBACK')
        results.push(none(table))
      }
    }
    to.exec('UPDATE call_log SET outbox_id = NULL WHERE outbox_id NOT IN (SELECT id FROM outbox)')
    return results
  } finally {
    to.exec('PRAGMA foreign_keys = ON')
    try {
      src.close()
    } catch {
      // best effort
    }
  }
}
