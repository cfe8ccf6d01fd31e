import path from 'node:path'
import type {
  CallLogFilter,
  ImportSummary,
  OverdueFollowUps,
  TeamCoverage,
} from '../../../shared/calllog'
import type { SessionInfo } from '../../../shared/domain'
import { AppError } from '../../core/app-error'
import { localDay } from '../../core/time'
import type { AppDatabase } from '../db/database'
import type { FileDialogs, Logger } from '../ports'
import { zoneLabel } from './columns'
import { COVERAGE_SQL, teamCoverage } from './coverage'
import { writeDailyReport } from './daily-report'
import { overdueFollowUps } from './followups'
import { expandPaths, importDropped, importMany } from './import-files'
import { zoneModifier } from './local-time'
import type { CallLogStore } from './store'
import type { Supervisor } from './supervisor'
import type { CallLogScope } from './types'

/**
 * The supervisor's day beyond the list: overdue follow-ups, which desktops and days the view
 * covers, importing the team's files (several, folders, dropped) and the 日报 XLSX.
 */

export interface TeamDeps {
  db: AppDatabase
  store: CallLogStore
  supervisor: Supervisor
  files: FileDialogs
  log: Logger
  now: () => Date
  scopeOf: (user: SessionInfo) => CallLogScope
  require: () => SessionInfo
}

export function createTeamMethods(deps: TeamDeps) {
  const { db, store, supervisor, files, log, now } = deps

  const read = <T>(fn: () => T): T => {
    try {
      return fn()
    } catch (e) {
      if (e instanceof AppError) throw e
      throw db.storageError(e, '读取通话记录失败')
    }
  }
  const all = (sql: string, params: (string | number)[]): unknown[] =>
    read(() => db.connection.prepare(sql).all(...params))

  function overdue(filter: CallLogFilter, scope: CallLogScope): OverdueFollowUps {
    return overdueFollowUps(all, filter, scope, localDay(now()))
  }

  function startImport(what: string): SessionInfo {
    const user = deps.require()
    supervisor.require(user, what)
    if (!db.durable) throw new AppError('storage', db.problem ?? '本地数据库不可用，无法导入')
    return user
  }

  function logged(summary: ImportSummary, user: SessionInfo): ImportSummary {
    log.info('call log files imported', {
      files: summary.files.length,
      failed: summary.files.filter((f) => f.error).length,
      read: summary.read,
      added: summary.added,
      duplicates: summary.duplicates,
      by: user.userNum,
    })
    return summary
  }

  return {
    async overdueFollowUps({ filter }: { filter: CallLogFilter }): Promise<OverdueFollowUps> {
      const user = deps.require()
      return overdue(filter, deps.scopeOf(user))
    },

    async coverage(): Promise<TeamCoverage> {
      const user = deps.require()
      supervisor.require(user, '查看团队数据范围')
      return teamCoverage(all(COVERAGE_SQL, [zoneModifier()]) as Parameters<typeof teamCoverage>[0])
    },

    async importFiles({ pick }: { pick: 'files' | 'folder' }): Promise<ImportSummary> {
      const user = startImport('导入通话记录')
      const chosen = await files.chooseOpenPaths(['csv', 'xlsx'], pick)
      const paths = await expandPaths(chosen)
      return logged(
        await importMany(
          store,
          paths.map((p) => ({ path: p, name: path.basename(p) })),
        ),
        user,
      )
    },

    async importDropped({ files: dropped }: { files: { name: string; data: string }[] }) {
      const user = startImport('导入通话记录')
      return logged(await importDropped(store, dropped), user)
    },

    async dailyReport({ day }: { day?: string | undefined }): Promise<{ file: string | null }> {
      const user = deps.require()
      const date = day ?? localDay(now())
      const file = await files.chooseSavePath(`日报-${date}.xlsx`, 'xlsx')
      if (!file) return { file: null }
      if (!path.isAbsolute(file))
        throw new AppError('invalid-args', '保存位置无效', { field: 'file' })
      const scope = deps.scopeOf(user)
      const filter = { from: date, to: date }
      await writeDailyReport(file, {
        day: date,
        zone: zoneLabel(),
        stats: store.stats(filter, scope),
        overdue: overdue({}, scope),
        generatedAt: now(),
      })
      log.info('daily report written', { day: date, by: user.userNum })
      return { file }
    },
  }
}
