import fs from 'node:fs'

/**
 * What can be told about the database file before SQLite opens it: a missing or empty file
 * (which SQLite would silently turn into a new database), one that is not SQLite at all, and one
 * shorter than its own header says (truncated). A marker beside it says that this machine has
 * had a database there, so a file that is now missing or empty is data lost, not a first start.
 */

export type FileState = 'absent' | 'empty' | 'ok' | 'not-sqlite' | 'truncated'

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1')
const HEADER_SIZE = 100

export function inspectDatabaseFile(file: string): FileState {
  let fd: number
  try {
    fd = fs.openSync(file, 'r')
  } catch {
    return 'absent'
  }
  try {
    const size = fs.fstatSync(fd).size
    if (size === 0) return 'empty'
    const head = Buffer.alloc(HEADER_SIZE)
    const n = fs.readSync(fd, head, 0, HEADER_SIZE, 0)
    if (n < SQLITE_HEADER.length || !head.subarray(0, SQLITE_HEADER.length).equals(SQLITE_HEADER))
      return 'not-sqlite'
    if (n < HEADER_SIZE) return 'truncated'
    // page size: 2 bytes at 16 (1 means 65536); pages: 4 bytes at 28, valid when the
    // "version-valid-for" number at 92 equals the change counter at 24
    const raw = head.readUInt16BE(16)
    const pageSize = raw === 1 ? 65_536 : raw
    if (pageSize < 512 || (pageSize & (pageSize - 1)) !== 0) return 'not-sqlite'
    if (size % pageSize !== 0) return 'truncated'
    const pages = head.readUInt32BE(28)
    const valid = head.readUInt32BE(92) === head.readUInt32BE(24)
    // With WAL content the header may be ahead of the file (a checkpoint cut short); SQLite
    // completes it from the WAL, so only a file without one is judged by its size.
    if (valid && pages > 0 && size < pages * pageSize && !hasWal(file)) return 'truncated'
    return 'ok'
  } finally {
    fs.closeSync(fd)
  }
}

function hasWal(file: string): boolean {
  try {
    return fs.statSync(`${file}-wal`).size > 0
  } catch {
    return false
  }
}

/** The marker beside the database: this machine has had data in it. */
export const presenceMarker = (file: string): string => `${file}.present`

export function hadDatabase(file: string): boolean {
  return fs.existsSync(presenceMarker(file))
}

export function markDatabasePresent(file: string, now: Date): void {
  if (fs.existsSync(presenceMarker(file))) return
  try {
    fs.writeFileSync(
      presenceMarker(file),
      `${JSON.stringify({ firstOpenedAt: now.toISOString() })}\n`,
      { mode: 0o600, flush: true },
    )
  } catch {
    // without it, an emptied file later looks like a first start: the 勿扰 list still comes
    // back from its journal
  }
}
