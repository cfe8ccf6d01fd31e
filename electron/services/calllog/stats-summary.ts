import type { DatabaseSync } from 'node:sqlite'
import { rowRules } from './team-stats'

/**
 * The statistics' summary of the call log, kept by triggers on every write (record, import,
 * 勿扰 and saved marks, purge, salvage, any update of a column the statistics read), so a
 * statistics request reads a few thousand summary rows instead of every call.
 *
 * - call_stats_day (agent, local day, result) and call_stats_mix (also project, package and
 *   intent): every sum the charts need. The local day depends on the zone: the zone the days
 *   were computed in is kept in call_stats_zone, and both are rebuilt when a request asks for
 *   another (stats-fast.ts).
 * - call_stats_hour: calls per agent and UTC hour, for the calls-per-hour chart; zone-free,
 *   since in a zone a whole number of hours off UTC an hour is one local hour.
 *
 * A NULL key is stored as a value no filter matches (-1 for ids, '' for text), since a primary
 * key of a WITHOUT ROWID table cannot hold NULL.
 */

export const DAY_TABLE = 'call_stats_day'
export const MIX_TABLE = 'call_stats_mix'
export const HOUR_TABLE = 'call_stats_hour'
export const ZONE_TABLE = 'call_stats_zone'

/** The columns of call_log the summary reads: an update of any of them moves its counts. */
const READ_COLUMNS = `user_num, created_at, project_id, package_id, callback_item, intent,
  saved_to_customer, duration_s, dialled_at, answered_at, ended_at, notes, next_follow_date, dnc,
  imported_from`

/** A summary table: its key columns (the primary key, in order) and sums, as SQL of a row R. */
interface Summary {
  name: string
  key: [column: string, type: 'TEXT' | 'INTEGER', expr: (R: string, modifier: string) => string][]
  sums: [column: string, expr: (R: string) => string][]
}

const skip = (R: string): string => rowRules(R).skip
const talk = (R: string): string => `(${rowRules(R).talk})`
const wrap = (R: string): string => `(${rowRules(R).wrap})`

/**
 * What one row adds to each sum, as the direct reads (stats.ts, team-stats.ts) count it, by the
 * same rules (rowRules). A change of those rules needs a migration that refills the tables.
 */
const CALL_SUMS: Summary['sums'] = [
  ['n', () => '1'],
  ['sk', (R) => `CASE WHEN ${skip(R)} THEN 1 ELSE 0 END`],
  ['s', (R) => `${R}.saved_to_customer`],
  ['ds', (R) => `COALESCE(${R}.duration_s, 0)`],
  ['dn', (R) => `(${R}.duration_s IS NOT NULL)`],
  ['f', (R) => `(${R}.next_follow_date IS NOT NULL)`],
  ['x', (R) => `${R}.dnc`],
  ['ts', (R) => `COALESCE(${talk(R)}, 0)`],
  ['tn', (R) => `(${talk(R)} IS NOT NULL)`],
  [
    'ws',
    (R) =>
      `COALESCE(CASE WHEN ${wrap(R)} THEN unixepoch(${R}.created_at) - unixepoch(${R}.ended_at) END, 0)`,
  ],
  ['wn', (R) => `CASE WHEN ${wrap(R)} THEN 1 ELSE 0 END`],
]

const userKey: Summary['key'][number] = ['u', 'TEXT', (R) => `${R}.user_num`]
const dayKey: Summary['key'][number] = [
  'd',
  'TEXT',
  (R, m) => `COALESCE(date(${R}.created_at, ${m}), '')`,
]
const resultKey: Summary['key'][number] = ['r', 'TEXT', (R) => `COALESCE(${R}.callback_item, '')`]

/** Per agent, local day and result: the charts when no project or package is chosen. */
const DAY: Summary = { name: DAY_TABLE, key: [userKey, dayKey, resultKey], sums: CALL_SUMS }

/** Per agent, local day, result, project, package and intent: intents, and the rest by project. */
const MIX: Summary = {
  name: MIX_TABLE,
  key: [
    userKey,
    dayKey,
    resultKey,
    ['p', 'INTEGER', (R) => `COALESCE(${R}.project_id, -1)`],
    ['k', 'INTEGER', (R) => `COALESCE(${R}.package_id, -1)`],
    ['i', 'TEXT', (R) => `COALESCE(${R}.intent, '')`],
  ],
  sums: [...CALL_SUMS, ['q', (R) => `CASE WHEN NOT ${skip(R)} THEN 1 ELSE 0 END`]],
}

/**
 * Calls per agent, UTC hour of day and UTC hour: the key's order lets the calls-per-hour chart
 * be summed in one pass without sorting.
 */
const HOUR: Summary = {
  name: HOUR_TABLE,
  key: [
    userKey,
    ['hh', 'INTEGER', (R) => `CAST(substr(${R}.created_at, 12, 2) AS INTEGER)`],
    ['h', 'TEXT', (R) => `substr(${R}.created_at, 1, 13)`],
  ],
  sums: [['n', () => '1']],
}

const SUMMARIES = [DAY, MIX, HOUR]
const ZONED = [DAY, MIX]

const storedModifier = `(SELECT modifier FROM ${ZONE_TABLE})`

/** Adds (sign 1) or takes away (sign -1) the row R's counts; a group left empty goes. */
function move(t: Summary, R: 'NEW' | 'OLD', sign: 1 | -1): string {
  const key = t.key.map(([, , e]) => e(R, storedModifier))
  const sums = t.sums.map(([, e]) => (sign === 1 ? e(R) : `-(${e(R)})`))
  const cols = [...t.key, ...t.sums].map(([c]) => c)
  const upsert = `INSERT INTO ${t.name} (${cols.join(', ')}) VALUES (${[...key, ...sums].join(', ')})
    ON CONFLICT (${t.key.map(([c]) => c).join(', ')}) DO UPDATE SET
    ${t.sums.map(([c]) => `${c} = ${c} + excluded.${c}`).join(', ')};`
  if (sign === 1) return upsert
  const match = t.key.map(([c], i) => `${c} = ${key[i]}`).join(' AND ')
  return `${upsert}\n DELETE FROM ${t.name} WHERE ${match} AND n = 0;`
}

function create(t: Summary): string {
  return `CREATE TABLE ${t.name} (
    ${[...t.key.map(([c, type]) => `${c} ${type} NOT NULL`), ...t.sums.map(([c]) => `${c} INTEGER NOT NULL`)].join(', ')},
    PRIMARY KEY (${t.key.map(([c]) => c).join(', ')})
  ) STRICT, WITHOUT ROWID;`
}

/** A table's rows from call_log as a whole; the zone modifier is a bound parameter. */
function fill(t: Summary): string {
  const cols = [...t.key, ...t.sums].map(([c]) => c)
  return `INSERT INTO ${t.name} (${cols.join(', ')})
    SELECT ${t.key.map(([, , e]) => e('c', '?1')).join(', ')},
      ${t.sums.map(([, e]) => `SUM(${e('c')})`).join(', ')}
    FROM call_log c GROUP BY ${t.key.map((_, i) => i + 1).join(', ')}`
}

/**
 * Creates the summary tables and their triggers and fills them from the rows already there
 * (schema v7). `modifier` and `zone`: the zone the days are computed in (see zoneKey).
 */
export function installStatsSummary(db: DatabaseSync, modifier: string, zone: string): void {
  const moves = (R: 'NEW' | 'OLD', sign: 1 | -1, ts: Summary[]): string =>
    ts.map((t) => move(t, R, sign)).join('\n')
  db.exec(`
    CREATE TABLE ${ZONE_TABLE} (zone TEXT NOT NULL, modifier TEXT NOT NULL) STRICT;
    ${SUMMARIES.map(create).join('\n')}
    CREATE TRIGGER call_stats_insert AFTER INSERT ON call_log
    BEGIN ${moves('NEW', 1, SUMMARIES)} END;
    CREATE TRIGGER call_stats_delete AFTER DELETE ON call_log
    BEGIN ${moves('OLD', -1, SUMMARIES)} END;
    CREATE TRIGGER call_stats_update AFTER UPDATE OF ${READ_COLUMNS} ON call_log
    BEGIN ${moves('OLD', -1, ZONED)} ${moves('NEW', 1, ZONED)} END;
    CREATE TRIGGER call_stats_update_hour AFTER UPDATE OF user_num, created_at ON call_log
    BEGIN ${moves('OLD', -1, [HOUR])} ${moves('NEW', 1, [HOUR])} END;
  `)
  db.prepare(`INSERT INTO ${ZONE_TABLE} (zone, modifier) VALUES (?, ?)`).run(zone, modifier)
  for (const t of SUMMARIES) {
    if (ZONED.includes(t)) db.prepare(fill(t)).run(modifier)
    else db.exec(fill(t))
  }
}

/** The zone the day table was computed in ('' when unknown). */
export function summaryZone(db: DatabaseSync): string {
  const row = db.prepare(`SELECT zone FROM ${ZONE_TABLE}`).get() as { zone: string } | undefined
  return row?.zone ?? ''
}

/** Recomputes the day table in another zone; run it inside a transaction. */
export function rebuildDays(db: DatabaseSync, modifier: string, zone: string): void {
  db.exec(`DELETE FROM ${ZONE_TABLE}`)
  db.prepare(`INSERT INTO ${ZONE_TABLE} (zone, modifier) VALUES (?, ?)`).run(zone, modifier)
  for (const t of ZONED) {
    db.exec(`DELETE FROM ${t.name}`)
    db.prepare(fill(t)).run(modifier)
  }
}

/**
 * What identifies the days a modifier gives: a fixed offset is itself; 'localtime' is the
 * machine's zone by name, so a change of zone rebuilds the days.
 */
export function zoneKey(modifier: string): string {
  return modifier === 'localtime'
    ? `localtime ${Intl.DateTimeFormat().resolvedOptions().timeZone}`
    : modifier
}
