import type { CallStats } from '../../../shared/calllog'

/**
 * The figures behind the statistics charts: two grouped reads over the list's filter (calls per
 * agent and local hour; calls per result), folded here into totals, per-agent figures and the
 * per-day and per-hour series. The summary tables (stats-fast.ts) give the same sums folded.
 */

/** One agent's calls in one local hour (b: `yyyy-MM-dd HH`, null without a time). */
export interface StatsBucket {
  u: string
  b: string | null
  n: number
  s: number
  ds: number | null
  dn: number
}

export interface ResultCount {
  r: string
  n: number
}

/** Buckets per agent and local hour; its parameters: the zone modifier, then the filter's. */
export function bucketsSql(where: string): string {
  return `SELECT c.user_num AS u, strftime('%Y-%m-%d %H', c.created_at, ?) AS b, COUNT(*) AS n,
           SUM(c.saved_to_customer) AS s, SUM(c.duration_s) AS ds, COUNT(c.duration_s) AS dn
         FROM call_log c WHERE ${where} GROUP BY 1, 2`
}

/** Calls per agent and local hour of day; its parameters: the zone modifier, then the filter's. */
export function hoursSql(where: string): string {
  return `SELECT c.user_num AS u, CAST(strftime('%H', c.created_at, ?) AS INTEGER) AS h,
           COUNT(*) AS n FROM call_log c WHERE ${where} GROUP BY 1, 2`
}

/** Calls per result, most first; its parameters: the filter's. */
export function resultsSql(where: string): string {
  return `SELECT COALESCE(c.callback_item, '') AS r, COUNT(*) AS n FROM call_log c
         WHERE ${where} GROUP BY 1 ORDER BY 2 DESC, 1`
}

const avg = (sum: number, n: number): number | null =>
  n === 0 ? null : Math.round((sum / n) * 10) / 10

const split = (key: string): [string, string] => {
  const i = key.indexOf('\u0000')
  return [key.slice(0, i), key.slice(i + 1)]
}

const byAgent = (a: { userNum: string }, b: { userNum: string }): number =>
  a.userNum < b.userNum ? -1 : a.userNum > b.userNum ? 1 : 0

/** The sums per agent, per agent and day, per agent and hour of day (keys: agent \0 day/hour). */
export interface CallFigures {
  agents: Map<string, AgentSums>
  days: Map<string, number>
  hours: Map<string, number>
}

export interface AgentSums {
  calls: number
  saved: number
  ds: number
  dn: number
}

/** Adds one group's sums to its agent's. */
export function addAgentSums(
  agents: Map<string, AgentSums>,
  u: string,
  n: number,
  s: number,
  ds: number | null,
  dn: number,
): void {
  const a = agents.get(u) ?? { calls: 0, saved: 0, ds: 0, dn: 0 }
  a.calls += n
  a.saved += s
  a.ds += ds ?? 0
  a.dn += dn
  agents.set(u, a)
}

export const add = (m: Map<string, number>, key: string, n: number): void => {
  m.set(key, (m.get(key) ?? 0) + n)
}

/** The hourly buckets folded into the figures. */
export function foldBuckets(buckets: readonly StatsBucket[]): CallFigures {
  const fig: CallFigures = { agents: new Map(), days: new Map(), hours: new Map() }
  for (const b of buckets) {
    addAgentSums(fig.agents, b.u, b.n, b.s, b.ds, b.dn)
    if (b.b === null) continue
    add(fig.days, `${b.u}\u0000${b.b.slice(0, 10)}`, b.n)
    add(fig.hours, `${b.u}\u0000${Number(b.b.slice(11, 13))}`, b.n)
  }
  return fig
}

/** The charts' figures from the two reads; nameOf gives an agent's newest name. */
export function callStats(
  buckets: readonly StatsBucket[],
  results: readonly ResultCount[],
  nameOf: (userNum: string) => string,
): Omit<CallStats, 'team'> {
  return callStatsOf(foldBuckets(buckets), results, nameOf)
}

/** The charts' figures from the folded sums (the summary tables give them folded). */
export function callStatsOf(
  { agents, days, hours }: CallFigures,
  results: readonly ResultCount[],
  nameOf: (userNum: string) => string,
): Omit<CallStats, 'team'> {
  let total = 0
  let saved = 0
  let ds = 0
  let dn = 0
  for (const a of agents.values()) {
    total += a.calls
    saved += a.saved
    ds += a.ds
    dn += a.dn
  }
  const names = new Map([...agents.keys()].map((u) => [u, nameOf(u)]))

  return {
    total,
    savedToCustomer: saved,
    conversionRate: total === 0 ? 0 : saved / total,
    averageHandleS: avg(ds, dn),
    perAgent: [...agents]
      .map(([userNum, a]) => ({
        userNum,
        userName: names.get(userNum) ?? '',
        calls: a.calls,
        savedToCustomer: a.saved,
        averageHandleS: avg(a.ds, a.dn),
      }))
      .sort((a, b) => b.calls - a.calls || byAgent(a, b)),
    perAgentDay: [...days]
      .map(([k, calls]) => {
        const [userNum, day] = split(k)
        return { userNum, day, calls }
      })
      .sort((a, b) => byAgent(a, b) || (a.day < b.day ? -1 : a.day > b.day ? 1 : 0)),
    perAgentHour: [...hours]
      .map(([k, calls]) => {
        const [userNum, hour] = split(k)
        return { userNum, hour: Number(hour), calls }
      })
      .sort((a, b) => byAgent(a, b) || a.hour - b.hour),
    results: results.map((r) => ({ result: r.r, count: r.n })),
  }
}
