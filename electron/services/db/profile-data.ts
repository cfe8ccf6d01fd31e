import { existsSync, renameSync } from 'node:fs'
import type { Logger } from '../ports'
import { openDatabase, type AppDatabase } from './database'

/**
 * Data from before every outbox item and call-log row carried its connection profile (see
 * connections/profile-key.ts, migration 4). The app then kept training in its own file
 * (callcenter-training.db) and production in callcenter.db, chosen once at start. Now one
 * database holds both, each row tagged:
 *
 * - the old training file is merged in once, its rows tagged 'training', and renamed
 *   `*.merged` (kept for support, never read again);
 * - untagged rows of the main file ('') were production's: the first production profile the app
 *   connects with adopts them (it is the one they were made for, unless the agent imports another
 *   profile before working again, which is what a restart would have done too).
 */

const LEGACY = ''
const TRAINING = 'training'

/** Tags the untagged rows with a production profile; returns how many outbox items it took. */
export function adoptLegacyRows(db: AppDatabase, profile: string): number {
  if (profile === TRAINING || profile === LEGACY) return 0
  return db.transaction(() => {
    const c = db.connection
    const n = Number(
      c.prepare(`UPDATE outbox SET profile = ? WHERE profile = ?`).run(profile, LEGACY).changes,
    )
    c.prepare(`UPDATE call_log SET profile = ? WHERE profile = ?`).run(profile, LEGACY)
    return n
  })
}

function columns(db: AppDatabase, schema: string, table: string): string[] {
  const rows = db.connection.prepare(`PRAGMA ${schema}.table_info(${table})`).all() as {
    name: string
  }[]
  return rows.map((r) => r.name)
}

/**
 * Merges `oldFile` (the training database of an earlier version) into `db` as training rows,
 * then renames it. Returns how many outbox items and call-log rows came over, or null when there
 * was no file. A file that cannot be read stays where it is (logged); the app goes on.
 */
export function mergeTrainingDatabase(
  db: AppDatabase,
  oldFile: string,
  log: Logger,
): { outbox: number; callLog: number } | null {
  if (!existsSync(oldFile) || !db.durable) return null
  try {
    // opening migrates it to the same schema, so the columns line up
    openDatabase(oldFile, { log }).close()
    const c = db.connection
    c.prepare('ATTACH DATABASE ? AS old_training').run(oldFile)
    let counts = { outbox: 0, callLog: 0 }
    try {
      counts = db.transaction(() => {
        const seqOffset = (
          c.prepare('SELECT IFNULL(MAX(seq), 0) AS m FROM main.outbox').get() as { m: number }
        ).m
        const copy = (table: string, replace: Record<string, string>): number => {
          const cols = columns(db, 'main', table).filter((col) =>
            columns(db, 'old_training', table).includes(col),
          )
          const select = cols.map((col) => replace[col] ?? col).join(', ')
          return Number(
            c
              .prepare(
                `INSERT OR IGNORE INTO main.${table} (${cols.join(', ')})
                 SELECT ${select} FROM old_training.${table}`,
              )
              .run().changes,
          )
        }
        const outbox = copy('outbox', {
          seq: `seq + ${seqOffset}`,
          profile: `'${TRAINING}'`,
        })
        const callLog = copy('call_log', { profile: `'${TRAINING}'` })
        return { outbox, callLog }
      })
    } finally {
      c.exec('DETACH DATABASE old_training')
    }
    for (const suffix of ['', '-wal', '-shm']) {
      if (existsSync(oldFile + suffix)) renameSync(oldFile + suffix, `${oldFile}.merged${suffix}`)
    }
    log.info('merged the training database of an earlier version', counts)
    return counts
  } catch (e) {
    log.error('could not merge the old training database; it stays where it is', e)
    return null
  }
}
