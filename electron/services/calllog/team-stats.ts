import type { TeamFigures, TeamStats } from '../../../shared/calllog'
import { isContactOutcome } from '../../../shared/calllog-contact'
import { DNC_SKIP_NOTES } from './dnc-skip'

/**
 * The supervisor's figures (shared/calllog-team.ts) from grouped reads over the list's filter:
 * one per agent, local day and outcome (whether an outcome is contact is decided here, by
 * shared/calllog-contact.ts, once per distinct outcome), one per agent and intent, and the pause
 * periods per agent, day and reason (pauses.ts).
 */

/** One agent's rows on one local day with one outcome. */
export interface DayOutcomeBucket {
  u: string
  d: string | null
  r: string
  /** rows, 勿扰 skips among them, follow-ups set, 勿扰 marked */
  n: number
  k: number
  f: number
  x: number
  /** talk and wrap-up seconds and counts, calls dialled from the app only */
  ts: number | null
  tn: number
  ws: number | null
  wn: number
}

export interface IntentBucket {
  u: string
  i: string
  n: number
}

export interface PauseBucket {
  u: string
  d: string
  r: string
  s: number
  n: number
}

/**
 * How a row (alias R) counts, shared with the summary tables (stats-summary.ts): a 勿扰 skip is
 * no call made; talk is answer to hang-up where the built-in phone saw the answer, else dial to
 * hang-up (a call handed to another softphone, whose answer the app never sees); wrap-up is
 * hang-up to save, only for this desktop's rows (an imported row's time is not its save time).
 */
export const rowRules = (R: string) => ({
  skip: `(${R}.dialled_at IS NULL AND ${R}.notes = '${DNC_SKIP_NOTES}')`,
  talk: `CASE WHEN ${R}.dialled_at IS NOT NULL THEN COALESCE(CASE WHEN ${R}.answered_at IS NOT NULL
    AND ${R}.ended_at IS NOT NULL THEN MAX(0, unixepoch(${R}.ended_at) - unixepoch(${R}.answered_at))
    END, ${R}.duration_s) END`,
  wrap: `${R}.dialled_at IS NOT NULL AND ${R}.imported_from IS NULL AND ${R}.created_at >= ${R}.ended_at`,
})

const { skip, talk, wrap } = rowRules('c')

/** Its parameters: the zone modifier, then the filter's. */
export function dayOutcomeSql(where: string): string {
  return `SELECT c.user_num AS u, date(c.created_at, ?) AS d, COALESCE(c.callback_item, '') AS r,
      COUNT(*) AS n, SUM(${skip}) AS k, COUNT(c.next_follow_date) AS f, SUM(c.dnc) AS x,
      SUM(${talk}) AS ts, COUNT(${talk}) AS tn,
      SUM(CASE WHEN ${wrap} THEN unixepoch(c.created_at) - unixepoch(c.ended_at) END) AS ws,
      COUNT(CASE WHEN ${wrap} THEN 1 END) AS wn
    FROM call_log c WHERE ${where} GROUP BY 1, 2, 3`
}

/** Calls made per agent and intent; its parameters: the filter's. */
export function intentSql(where: string): string {
  return `SELECT c.user_num AS u, COALESCE(c.intent, '') AS i, COUNT(*) AS n
    FROM call_log c WHERE ${where} AND NOT ${skip} GROUP BY 1, 2`
}

const zero = (): TeamFigures => ({
  made: 0,
  connected: 0,
  connectRate: 0,
  followUps: 0,
  dnc: 0,
  pauseS: 0,
  talkS: 0,
  talkN: 0,
  wrapS: 0,
  wrapN: 0,
})

function add(to: TeamFigures, b: DayOutcomeBucket, contact: boolean): void {
  const made = b.n - b.k
  to.made += made
  if (contact) to.connected += made
  to.followUps += b.f
  to.dnc += b.x
  to.talkS += b.ts ?? 0
  to.talkN += b.tn
  to.wrapS += b.ws ?? 0
  to.wrapN += b.wn
}

const rate = (f: TeamFigures): TeamFigures => ({
  ...f,
  connectRate: f.made === 0 ? 0 : f.connected / f.made,
})

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/** Folds the reads into the figures; nameOf gives an agent's newest name. */
export function teamStats(
  days: readonly DayOutcomeBucket[],
  intents: readonly IntentBucket[],
  pauses: readonly PauseBucket[],
  nameOf: (userNum: string) => string,
): TeamStats {
  const contact = new Map<string, boolean>()
  const all = zero()
  const agents = new Map<string, TeamFigures>()
  const agentDays = new Map<string, TeamFigures>()
  const figuresOf = <K>(m: Map<K, TeamFigures>, k: K): TeamFigures => {
    let f = m.get(k)
    if (!f) m.set(k, (f = zero()))
    return f
  }
  for (const b of days) {
    let c = contact.get(b.r)
    if (c === undefined) contact.set(b.r, (c = isContactOutcome(b.r)))
    add(all, b, c)
    add(figuresOf(agents, b.u), b, c)
    if (b.d !== null) add(figuresOf(agentDays, `${b.u}\u0000${b.d}`), b, c)
  }
  for (const p of pauses) {
    all.pauseS += p.s
    figuresOf(agents, p.u).pauseS += p.s
    figuresOf(agentDays, `${p.u}\u0000${p.d}`).pauseS += p.s
  }
  const outcomes = [...contact].filter(([r]) => r !== '')
  return {
    all: rate(all),
    perAgent: [...agents]
      .map(([userNum, f]) => ({ userNum, userName: nameOf(userNum), ...rate(f) }))
      .sort((a, b) => b.made - a.made || cmp(a.userNum, b.userNum)),
    perAgentDay: [...agentDays]
      .map(([k, f]) => {
        const i = k.indexOf('\u0000')
        return { userNum: k.slice(0, i), day: k.slice(i + 1), ...rate(f) }
      })
      .sort((a, b) => cmp(a.userNum, b.userNum) || cmp(a.day, b.day)),
    intents: intents
      .map((b) => ({
        userNum: b.u,
        intent: (['A', 'B', 'C', 'D', 'E'].includes(b.i)
          ? b.i
          : '') as TeamStats['intents'][number]['intent'],
        count: b.n,
      }))
      .sort((a, b) => cmp(a.userNum, b.userNum) || cmp(a.intent || 'Z', b.intent || 'Z')),
    pauses: pauses
      .map((p) => ({ userNum: p.u, day: p.d, reason: p.r, seconds: p.s, count: p.n }))
      .sort((a, b) => cmp(a.userNum, b.userNum) || cmp(a.day, b.day) || cmp(a.reason, b.reason)),
    contactOutcomes: outcomes
      .filter(([, c]) => c)
      .map(([r]) => r)
      .sort(cmp),
    noContactOutcomes: outcomes
      .filter(([, c]) => !c)
      .map(([r]) => r)
      .sort(cmp),
  }
}
