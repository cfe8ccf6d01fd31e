import { randomUUID } from 'node:crypto'
import type { StatementSync } from 'node:sqlite'
import type { CallLogFilter } from '../../../shared/calllog'
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

export class PauseStore {
  private readonly s: {
    open: StatementSync
    close: StatementSync
    closeStale: StatementSync
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
    const parts: string[] = []
    const params: string[] = [modifier, this.now().toISOString()]
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
    const sql = `SELECT user_num AS u, date(started_at, ?) AS d, reason AS r,
        SUM(MAX(0, unixepoch(COALESCE(ended_at, ?)) - unixepoch(started_at))) AS s, COUNT(*) AS n
      FROM agent_pause WHERE ${parts.length ? parts.join(' AND ') : '1'} GROUP BY 1, 2, 3`
    return this.guard(
      () => this.db.connection.prepare(sql).all(...params) as unknown as PauseBucket[],
    )
  }

  private guard<T>(fn: () => T): T {
    try {
      return fn()
    } catch (e) {
      throw this.db.storageError(e, '读取暂停记录失败')
    }
  }
}
