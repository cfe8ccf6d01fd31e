import path from 'node:path'
import type { SQLInputValue } from 'node:sqlite'
import type { ParsedCallLogRow } from './columns'
import { durationSeconds } from './types'

/**
 * Rows imported from another machine's export, added to this machine's call log: new ids are
 * inserted, ids already here are counted as duplicates. The file has project and package names
 * only; the ids this machine knows for them are filled in, so the filters find the rows.
 */

export interface ImportSource {
  /** the file the rows came from (its name is kept with each row) */
  file: string
}

/** Adds imported rows in batches; keeps what it learnt (project ids by name) between them. */
export interface CallLogImporter {
  /** INSERT OR IGNORE by id, in one transaction */
  add(rows: readonly ParsedCallLogRow[]): { added: number; duplicates: number }
}

/** A project (and package) name this machine has ids for. */
export interface KnownProject {
  pn: string
  kn: string | null
  p: number | null
  k: number | null
}

export const KNOWN_PROJECTS_SQL = `SELECT project_name AS pn, package_name AS kn,
  MAX(project_id) AS p, MAX(package_id) AS k
  FROM call_log WHERE project_id IS NOT NULL AND project_name IS NOT NULL
  GROUP BY project_name, package_name`

export interface ImporterDeps {
  source: ImportSource
  known: readonly KnownProject[]
  now: () => Date
  /** runs fn in one database transaction */
  transaction: <T>(fn: () => T) => T
  /**
   * INSERT OR IGNORE of one row, in the call_log columns' order (intent and answered_at last) followed by
   * sync_state, imported_from and imported_at; returns how many rows it added (0 or 1)
   */
  insert: (values: SQLInputValue[]) => number
}

export function createImporter(deps: ImporterDeps): CallLogImporter {
  const projects = new Map<string, number>()
  const packages = new Map<string, number>()
  for (const r of deps.known) {
    if (r.p !== null) projects.set(r.pn, r.p)
    if (r.k !== null && r.kn) packages.set(`${r.pn}\u0000${r.kn}`, r.k)
  }
  const from = path.basename(deps.source.file)
  return {
    add: (rows) => {
      const at = deps.now().toISOString()
      let added = 0
      deps.transaction(() => {
        for (const r of rows) {
          const projectName = r.projectName ?? ''
          const packageName = r.packageName ?? ''
          const dialledAt = r.dialledAt ?? null
          const endedAt = r.endedAt ?? null
          const dispensedAt = r.dispensedAt ?? null
          added += deps.insert([
            r.id,
            r.userNum ?? '',
            r.userName ?? '',
            r.machineNo ?? '',
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
            // the file's 时间 (dialled, else saved) is the row's time; without it, the call's own
            r.callTime ?? endedAt ?? dialledAt ?? dispensedAt ?? at,
            r.intent ?? null,
            r.answeredAt ?? null,
            'imported',
            from,
            at,
          ])
        }
      })
      return { added, duplicates: rows.length - added }
    },
  }
}
