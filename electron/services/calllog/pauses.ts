import { randomUUID } from 'node:crypto'
import type { StatementSync } from 'node:sqlite'
import type { CallLogFilter } from '../../../shared/calllog'
import { AppError } from '../../core/app-error'
import type { AppDatabase } from '../db/database'
import { localDayStart } from './local-time'
import type { PauseBucket } from './team-stats'
import type { CallLogScope } from './types'

/**
 * An agent's pauses (置忙 with a reason), kept in the call log's database: one row per period
 * (agent, reason, start, end). The session service reports every status change (onStatus); a
 * new status ends the agent's open period. A period left open by an app that stopped without a
 * logout is closed when the app opens the database again, at the moment it started: how long it
 * really lasted is unknown, and counting the whole night as a pause would be worse.
 */

export interface PauseAgent {
  userNum: string
  userName: string
  machineNo: string
}

/** One pause period as an export carries it (ISO times). */
export interface PauseRecord extends PauseAgent {
  id: string
  reason: string
  startedAt: string
  endedAt: string
}

export class PauseStore {
  private readonly s: {
    open: StatementSync
    close: StatementSync
    closeStale: StatementSync
    has: StatementSync
    upsert: StatementSync
  }

  constructor(
    private readonly db: AppDatabase,
    private readonly now: () => Date = () => new Date(),
    private readonly newId: () => string = randomUUID,
  ) {
    const c = db.connection
    this.s = {
      open: c.prepare(
        `INSERT INTO agent_pause (id, user_num, user_name, machine_no, reason, started_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
      ),
      close: c.prepare(
        `UPDATE agent_pause SET ended_at = ? WHERE user_num = ? AND ended_at IS NULL`,
      ),
      closeStale: c.prepare(`UPDATE agent_pause SET ended_at = started_at WHERE ended_at IS NULL`),
      has: c.prepare('SELECT 1 AS x FROM agent_pause WHERE id = ?'),
      // a later file may carry a period further (it was running when the earlier one was
      // written): the later end wins; a period still open here is this desktop's own, left alone
      upsert: c.prepare(
        `INSERT INTO agent_pause (id, user_num, user_name, machine_no, reason, started_at, ended_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET ended_at = excluded.ended_at
         WHERE agent_pause.ended_at IS NOT NULL AND excluded.ended_at > agent_pause.ended_at`,
      ),
    }
    this.guard(() => this.s.closeStale.run())
  }

  /**
   * The agent's status changed: any open pause ends now; a pause opens a new period. A failed
   * write is logged by the caller and never blocks the status change.
   */
  onStatus(agent: PauseAgent, status: { state: 'ready' | 'paused'; reason: string }): void {
    const at = this.now().toISOString()
    this.db.transaction(() => {
      this.s.close.run(at, agent.userNum)
      if (status.state === 'paused') {
        this.s.open.run(
          this.newId(),
          agent.userNum,
          agent.userName,
          agent.machineNo,
          status.reason,
          at,
        )
      }
    })
  }

  /**
   * Seconds paused per agent, local day (of the start) and reason, for the statistics' filter:
   * its days and agent (the other filters are about calls). An open period counts until now.
   */
  buckets(filter: CallLogFilter, scope: CallLogScope, modifier: string): PauseBucket[] {
    const { sql: where, params } = this.where(filter, scope)
    const sql = `SELECT user_num AS u, date(started_at, ?) AS d, reason AS r,
        SUM(MAX(0, unixepoch(COALESCE(ended_at, ?)) - unixepoch(started_at))) AS s, COUNT(*) AS n
      FROM agent_pause WHERE ${where} GROUP BY 1, 2, 3`
    return this.guard(
      () =>
        this.db.connection
          .prepare(sql)
          .all(modifier, this.now().toISOString(), ...params) as unknown as PauseBucket[],
    )
  }

  /**
   * The periods the statistics count for the filter, oldest first, for an export: a period still
   * open ends now, as the statistics count it (a later export carries it further).
   */
  list(filter: CallLogFilter, scope: CallLogScope): PauseRecord[] {
    const { sql: where, params } = this.where(filter, scope)
    const sql = `SELECT id, user_num AS userNum, user_name AS userName, machine_no AS machineNo,
        reason, started_at AS startedAt, COALESCE(ended_at, ?) AS endedAt
      FROM agent_pause WHERE ${where} ORDER BY started_at, id`
    return this.guard(
      () =>
        this.db.connection
          .prepare(sql)
          .all(this.now().toISOString(), ...params) as unknown as PauseRecord[],
    )
  }

  /**
   * Periods from another desktop's export, by id: one already here is a duplicate (its end moved
   * on when the file's is later), so a file imported twice adds each period once.
   */
  importPeriods(records: readonly PauseRecord[]): { added: number; duplicates: number } {
    let added = 0
    this.guard(
      () =>
        this.db.transaction(() => {
          for (const r of records) {
            const known = this.s.has.get(r.id) !== undefined
            this.s.upsert.run(
              r.id,
              r.userNum,
              r.userName,
              r.machineNo,
              r.reason,
              r.startedAt,
              r.endedAt,
            )
            if (!known) added++
          }
        }),
      '导入暂停记录失败',
    )
    return { added, duplicates: records.length - added }
  }

  /** the WHERE clause for the statistics' filter: its days and agent, and the scope */
  private where(filter: CallLogFilter, scope: CallLogScope): { sql: string; params: string[] } {
    const parts: string[] = []
    const params: string[] = []
    if (scope !== 'all') {
      parts.push('user_num = ?')
      params.push(scope.userNum)
    }
    const userNum = filter.userNum?.trim()
    if (userNum) {
      parts.push('user_num = ?')
      params.push(userNum)
    }
    if (filter.from) {
      parts.push('started_at >= ?')
      params.push(localDayStart(filter.from))
    }
    if (filter.to) {
      parts.push('started_at < ?')
      params.push(localDayStart(filter.to, 1))
    }
    return { sql: parts.length ? parts.join(' AND ') : '1', params }
  }

  private guard<T>(fn: () => T, what = '读取暂停记录失败'): T {
    try {
      return fn()
    } catch (e) {
      if (e instanceof AppError) throw e
      throw this.db.storageError(e, what)
    }
  }
}
