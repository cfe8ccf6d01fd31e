import type { SQLInputValue, StatementSync } from 'node:sqlite'
import type { CallLogFilter } from '../../../shared/calllog'
import { localDayStart } from './local-time'
import { addAgentSums, add, type CallFigures, type ResultCount } from './stats'
import {
  DAY_TABLE,
  HOUR_TABLE,
  MIX_TABLE,
  rebuildDays,
  summaryZone,
  zoneKey,
} from './stats-summary'
import type { DayOutcomeBucket, IntentBucket } from './team-stats'
import type { CallLogScope } from './types'

/**
 * The statistics read from the summary tables (stats-summary.ts) instead of the call log: the
 * same figures as the direct reads for every filter but a search (free text is not in the
 * summary: the direct reads answer it). The calls-per-hour chart comes from the hour table
 * unless the filter names a project, package or result, which that table does not keep: then
 * one grouped read of the call log, through the filter's index, gives it.
 *
 * The days must be the ones the direct reads compute with the same zone modifier: the day table
 * is rebuilt when it was computed in another zone, and a zone not a whole number of hours off
 * UTC (or a modifier this file does not know) is left to the direct reads.
 */

export interface SummaryReads {
  figures: CallFigures
  results: ResultCount[]
  days: DayOutcomeBucket[]
  intents: IntentBucket[]
}

export interface SummaryDeps {
  stmt: (sql: string) => StatementSync
  /** runs fn in a write transaction */
  transaction: (fn: () => void) => void
  connection: Parameters<typeof rebuildDays>[0]
}

interface DayRow extends DayOutcomeBucket {
  s: number
  ds: number
  dn: number
}

/** The zone's offset from a fixed modifier ('+480 minutes'); null for 'localtime' and others. */
function fixedMinutes(modifier: string): number | null {
  const m = /^([+-])(\d+) minutes$/.exec(modifier)
  return m ? (m[1] === '-' ? -1 : 1) * Number(m[2]) : null
}

const wholeHours = (iso: string): boolean => iso.endsWith(':00:00.000Z')

/** The first instant of a day under a fixed offset. */
const dayStartAt = (day: string, minutes: number, plusDays: number): string =>
  new Date(Date.parse(`${day}T00:00:00.000Z`) + (plusDays * 1440 - minutes) * 60_000).toISOString()

/** The day table's range and the hour table's for the filter's days; null: not answerable. */
function ranges(filter: CallLogFilter, modifier: string) {
  const minutes = fixedMinutes(modifier)
  if (minutes === null) {
    if (modifier !== 'localtime') return null
    const y = new Date().getFullYear()
    for (const m of [0, 6]) if (new Date(y, m, 1).getTimezoneOffset() % 60 !== 0) return null
  } else if (minutes % 60 !== 0) return null
  const from = filter.from ? localDayStart(filter.from) : null
  const to = filter.to ? localDayStart(filter.to, 1) : null
  for (const t of [from, to]) if (t !== null && !wholeHours(t)) return null
  // the day table's days are the modifier's; the filter's bounds are Node's local midnights
  if (minutes !== null) {
    if (filter.from && from !== dayStartAt(filter.from, minutes, 0)) return null
    if (filter.to && to !== dayStartAt(filter.to, minutes, 1)) return null
  }
  // a fixed offset maps each UTC hour of day to one local hour: the sum follows the key's order
  const hours =
    minutes === null
      ? `CAST(strftime('%H', h || ':00:00', 'localtime') AS INTEGER) AS h, SUM(n) AS n
         FROM ${HOUR_TABLE} WHERE ?? GROUP BY u, 2`
      : `(hh + ${(((minutes / 60) % 24) + 24) % 24}) % 24 AS h, SUM(n) AS n
         FROM ${HOUR_TABLE} WHERE ?? GROUP BY u, hh`
  return { from: from?.slice(0, 13) ?? null, to: to?.slice(0, 13) ?? null, hours }
}

/** The summary's answer, or null when the direct reads must give it. */
export function readSummary(
  deps: SummaryDeps,
  filter: CallLogFilter,
  scope: CallLogScope,
  modifier: string,
  /** the direct calls-per-hour read (u, local hour of day, calls) over the filter */
  directHours: () => { u: string; h: number | null; n: number }[],
): SummaryReads | null {
  if (filter.search?.trim()) return null
  const r = ranges(filter, modifier)
  if (!r) return null
  const zone = zoneKey(modifier)
  if (summaryZone(deps.connection) !== zone) {
    try {
      deps.transaction(() => rebuildDays(deps.connection, modifier, zone))
    } catch {
      // a database that cannot be written now (locked, read-only): the direct reads answer
      return null
    }
  }

  const day: string[] = []
  const dayParams: SQLInputValue[] = []
  const hour: string[] = []
  const hourParams: SQLInputValue[] = []
  const both = (sql: string, v: SQLInputValue): void => {
    day.push(sql)
    dayParams.push(v)
    hour.push(sql)
    hourParams.push(v)
  }
  if (scope !== 'all') both('u = ?', scope.userNum)
  const userNum = filter.userNum?.trim()
  if (userNum && (scope === 'all' || scope.userNum !== userNum)) both('u = ?', userNum)
  if (filter.from) {
    day.push('d >= ?')
    dayParams.push(filter.from)
    hour.push('h >= ?')
    hourParams.push(r.from)
  }
  if (filter.to) {
    day.push('d <= ?')
    dayParams.push(filter.to)
    hour.push('h < ?')
    hourParams.push(r.to)
  }
  // the day table has no project nor package; the hour table keeps calls only
  let table = DAY_TABLE
  let calls = true
  const only = (sql: string, v: SQLInputValue): void => {
    day.push(sql)
    dayParams.push(v)
    calls = false
  }
  if (filter.projectId !== undefined) only('p = ?', filter.projectId)
  if (filter.packageId !== undefined) only('k = ?', filter.packageId)
  if (!calls) table = MIX_TABLE
  const result = filter.result?.trim()
  if (result) only('r = ?', result)
  const where = (parts: string[]): string => (parts.length ? parts.join(' AND ') : '1')
  const dw = where(day)

  // the day table holds one row per (u, d, r): its rows are the groups
  const sums = (f: (c: string) => string): string =>
    `${['n', 'sk', 'f', 'x', 'ts', 'tn', 'ws', 'wn', 's', 'ds', 'dn'].map((c) => `${f(c)} AS ${c === 'sk' ? 'k' : c}`).join(', ')}`
  const days = deps
    .stmt(
      table === DAY_TABLE
        ? `SELECT u, NULLIF(d, '') AS d, r, ${sums((c) => c)} FROM ${table} WHERE ${dw} AND n > 0`
        : `SELECT u, NULLIF(d, '') AS d, r, ${sums((c) => `SUM(${c})`)}
           FROM ${table} WHERE ${dw} GROUP BY u, d, r HAVING SUM(n) > 0`,
    )
    .all(...dayParams) as unknown as DayRow[]
  const results = deps
    .stmt(
      `SELECT r, SUM(n) AS n FROM ${table} WHERE ${dw} GROUP BY r HAVING SUM(n) > 0
       ORDER BY 2 DESC, 1`,
    )
    .all(...dayParams) as unknown as ResultCount[]
  const intents = deps
    .stmt(`SELECT u, i, SUM(q) AS n FROM ${MIX_TABLE} WHERE ${dw} GROUP BY u, i HAVING SUM(q) > 0`)
    .all(...dayParams) as unknown as IntentBucket[]
  const hours = calls
    ? (deps
        .stmt(`SELECT u, ${r.hours.replace('??', where(hour))} HAVING SUM(n) > 0`)
        .all(...hourParams) as unknown as { u: string; h: number; n: number }[])
    : directHours()

  const figures: CallFigures = { agents: new Map(), days: new Map(), hours: new Map() }
  for (const b of days) {
    addAgentSums(figures.agents, b.u, b.n, b.s, b.ds, b.dn)
    if (b.d !== null) add(figures.days, `${b.u}\u0000${b.d}`, b.n)
  }
  for (const h of hours) if (h.h !== null) add(figures.hours, `${h.u}\u0000${h.h}`, h.n)
  return { figures, results, days, intents }
}
