import type { CallLogFilter, OverdueFollowUps } from '../../../shared/calllog'
import { intentOrNull, type CallLogScope } from './types'

/**
 * Follow-up discipline: a call that set a next follow-up date, when the date has passed (before
 * today, local) and no later call to that number is in the log (by anyone: the team's imported
 * rows count). Found through the partial index on next_follow_date and, per candidate, the
 * (phone, created_at) index.
 */

/** At most this many rows are listed; the per-agent counts cover them all. */
export const OVERDUE_LIMIT = 500

interface OverdueRaw {
  id: string
  u: string
  n: string
  p: string
  o: string | null
  pr: string | null
  d: string
  t: string | null
  r: string | null
  i: string | null
  at: string
}

function whereOf(filter: CallLogFilter, scope: CallLogScope, today: string) {
  const parts = ['c.next_follow_date IS NOT NULL', 'c.next_follow_date < ?']
  const params: (string | number)[] = [today]
  if (scope !== 'all') {
    parts.push('c.user_num = ?')
    params.push(scope.userNum)
  }
  if (filter.userNum?.trim()) {
    parts.push('c.user_num = ?')
    params.push(filter.userNum.trim())
  }
  if (filter.projectId !== undefined) {
    parts.push('c.project_id = ?')
    params.push(filter.projectId)
  }
  parts.push(
    'NOT EXISTS (SELECT 1 FROM call_log l WHERE l.phone = c.phone AND l.created_at > c.created_at)',
  )
  return { sql: parts.join(' AND '), params }
}

export function overdueFollowUps(
  all: (sql: string, params: (string | number)[]) => unknown[],
  filter: CallLogFilter,
  scope: CallLogScope,
  today: string,
): OverdueFollowUps {
  const w = whereOf(filter, scope, today)
  const counts = all(
    `SELECT c.user_num AS u, MAX(c.user_name) AS n, COUNT(*) AS k FROM call_log c
     WHERE ${w.sql} GROUP BY 1 ORDER BY 3 DESC, 1`,
    w.params,
  ) as { u: string; n: string; k: number }[]
  const rows = all(
    `SELECT c.id, c.user_num AS u, c.user_name AS n, c.phone AS p, c.owner_name AS o,
       c.project_name AS pr, c.next_follow_date AS d, c.next_follow_content AS t,
       c.callback_item AS r, c.intent AS i, c.created_at AS at
     FROM call_log c WHERE ${w.sql}
     ORDER BY c.user_num, c.next_follow_date, c.created_at LIMIT ${OVERDUE_LIMIT}`,
    w.params,
  ) as OverdueRaw[]
  const day = Date.parse(`${today}T00:00:00Z`)
  return {
    today,
    total: counts.reduce((n, c) => n + c.k, 0),
    perAgent: counts.map((c) => ({ userNum: c.u, userName: c.n, count: c.k })),
    rows: rows.map((r) => ({
      id: r.id,
      userNum: r.u,
      userName: r.n,
      phone: r.p,
      ownerName: r.o ?? '',
      projectName: r.pr ?? '',
      nextFollowDate: r.d,
      nextFollowContent: r.t ?? '',
      callbackItem: r.r ?? '',
      intent: intentOrNull(r.i),
      calledAt: r.at,
      daysOverdue: Math.max(1, Math.round((day - Date.parse(`${r.d}T00:00:00Z`)) / 86_400_000)),
    })),
  }
}
