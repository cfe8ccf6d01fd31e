import type { TeamCoverage } from '../../../shared/calllog'

/**
 * What the supervisor's view covers: per desktop (machine_no) and agent, the local days with
 * calls, from which files, and the days missing between the first and the last day of the whole
 * view, so a supervisor sees whose file has not come in.
 */

interface DayRow {
  m: string
  u: string
  n: string
  d: string
  k: number
  f: string | null
  l: number
}

/** Its parameter: the zone modifier. */
export const COVERAGE_SQL = `SELECT machine_no AS m, user_num AS u, MAX(user_name) AS n,
    date(created_at, ?) AS d, COUNT(*) AS k, group_concat(DISTINCT imported_from) AS f,
    SUM(imported_from IS NULL) AS l
  FROM call_log GROUP BY 1, 2, 4`

/** At most this many missing days are named per desktop (the count covers them all). */
const NAMED_MISSING = 14

function dayAfter(day: string): string {
  const t = Date.parse(`${day}T00:00:00Z`) + 86_400_000
  return new Date(t).toISOString().slice(0, 10)
}

export function teamCoverage(rows: readonly DayRow[]): TeamCoverage {
  const groups = new Map<
    string,
    {
      m: string
      u: string
      n: string
      days: Set<string>
      rows: number
      files: Set<string>
      local: boolean
    }
  >()
  let first: string | null = null
  let last: string | null = null
  for (const r of rows) {
    const key = `${r.m}\u0000${r.u}`
    let g = groups.get(key)
    if (!g) {
      g = { m: r.m, u: r.u, n: r.n, days: new Set(), rows: 0, files: new Set(), local: false }
      groups.set(key, g)
    }
    if (r.d) {
      g.days.add(r.d)
      if (first === null || r.d < first) first = r.d
      if (last === null || r.d > last) last = r.d
    }
    g.rows += r.k
    if (r.l > 0) g.local = true
    for (const f of (r.f ?? '').split(',')) if (f) g.files.add(f)
  }
  const allDays: string[] = []
  if (first !== null && last !== null) {
    for (let d = first; d <= last && allDays.length < 3660; d = dayAfter(d)) allDays.push(d)
  }
  return {
    from: first,
    to: last,
    desktops: [...groups.values()]
      .map((g) => {
        const days = [...g.days].sort()
        const missing = allDays.filter((d) => !g.days.has(d))
        return {
          machineNo: g.m,
          userNum: g.u,
          userName: g.n,
          from: days[0] ?? null,
          to: days[days.length - 1] ?? null,
          days: days.length,
          rows: g.rows,
          files: [...g.files].sort(),
          local: g.local,
          missingDays: missing.length,
          missing: missing.slice(0, NAMED_MISSING),
        }
      })
      .sort((a, b) => (a.machineNo + a.userNum < b.machineNo + b.userNum ? -1 : 1)),
  }
}
