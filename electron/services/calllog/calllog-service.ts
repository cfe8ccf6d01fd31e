import { randomUUID } from 'node:crypto'
import path from 'node:path'
import type { ExportProgress, ImportResult } from '../../../shared/calllog'
import type { SessionInfo } from '../../../shared/domain'
import type { CallLogService } from '../../../shared/ipc/contract'
import { AppError } from '../../core/app-error'
import { writeCallLogCsv } from './csv'
import { localDay } from '../../core/time'
import { EXPORT_BATCH_ROWS, fileErrorText, yieldToLoop } from './files'
import { importOne } from './import-files'
import { addPauseSheet, pauseCompanion, writePauseCsv } from './pause-file'
import { createTeamMethods } from './team-service'
import { CallLogStore } from './store'
import { Supervisor, type HashStore } from './supervisor'
import type { CallLogScope } from './types'
import { writeCallLogXlsx } from './xlsx'
import type { AppDatabase } from '../db/database'
import { RefCache } from '../db/ref-cache'
import type { FileDialogs, Logger } from '../ports'
import type { PasswordGuard } from '../session/password-guard'
import type { SessionState } from '../session/session-state'

export interface CallLogServiceDeps {
  db: AppDatabase
  state: SessionState
  files: FileDialogs
  /** the IPC event emitter (exportProgress) */
  emit: (event: 'exportProgress', progress: ExportProgress) => void
  log: Logger
  now?: () => Date
  /** where the supervisor password's hash is kept; by default the database's ref_cache */
  hashes?: HashStore
  /** the machine's shared password attempt counter (createAppServices passes the session's) */
  passwords?: PasswordGuard
  /** the connection profile in use, which new rows are tagged with */
  profile?: () => string | null
  /** least time between two 'running' progress events */
  progressIntervalMs?: number
  /** rows per database read during an export (default: files.ts EXPORT_BATCH_ROWS) */
  batchSize?: number
}

export type AppCallLogService = CallLogService & {
  /** the CallLogWriter the calling and customer services record through */
  store: CallLogStore
  supervisor: Supervisor
  /** the agent's status changed (session service): pause periods are kept for statistics */
  agentStatus(info: SessionInfo): void
  /** resolves when the export has ended, however it ended (tests, shutdown) */
  settled(jobId: string): Promise<void>
  /** cancels running exports and waits for them (before the database closes) */
  dispose(): Promise<void>
}

/**
 * The call log over IPC: the history view, its statistics, supervisor mode, exports and imports.
 *
 * An agent sees their own rows; in supervisor mode every row on the machine (imported ones too).
 * Exports run in the background after the save dialog and report through exportProgress; the
 * file appears only when it is complete.
 */
export function createCallLogService(deps: CallLogServiceDeps): AppCallLogService {
  const { db, state, files, log } = deps
  const now = deps.now ?? (() => new Date())
  const store = new CallLogStore(db, { now, ...(deps.profile ? { profile: deps.profile } : {}) })
  const supervisor = new Supervisor(deps.hashes ?? new RefCache(db, now), {
    now: () => now().getTime(),
    ...(deps.passwords ? { guard: deps.passwords } : {}),
  })
  const interval = deps.progressIntervalMs ?? 200
  const jobs = new Map<string, { controller: AbortController; done: Promise<void> }>()

  const scopeOf = (user: SessionInfo): CallLogScope =>
    supervisor.isUnlocked(user) ? 'all' : { userNum: user.userNum }

  function emit(progress: ExportProgress): void {
    try {
      deps.emit('exportProgress', progress)
    } catch (e) {
      log.warn('exportProgress could not be sent', { error: (e as Error)?.message })
    }
  }

  async function runExport(
    jobId: string,
    file: string,
    signal: AbortSignal,
    req: Parameters<CallLogService['export']>[0],
    scope: CallLogScope,
  ): Promise<void> {
    let total = 0
    let done = 0
    const started = Date.now()
    try {
      // the reply with the job id goes out before the first event
      await yieldToLoop()
      total = store.count(req.filter, scope)
      emit({ jobId, state: 'running', done: 0, total, file: null, message: null })
      let last = Date.now()
      const write = req.format === 'csv' ? writeCallLogCsv : writeCallLogXlsx
      // the pause periods the statistics count for this filter go with the calls, so an
      // imported team shows its pause time: a second sheet, or a CSV beside the CSV
      const pauses = store.pauses.list(req.filter, scope)
      done = await write({
        appendSheets: (wb) => addPauseSheet(wb, pauses),
        file,
        columns: req.columns,
        maskPhones: req.maskPhones,
        batches: store.rawBatches(
          req.filter,
          scope,
          deps.batchSize ?? EXPORT_BATCH_ROWS[req.format],
        ),
        signal,
        onProgress: (n) => {
          done = n
          const t = Date.now()
          if (t - last < interval) return
          last = t
          emit({
            jobId,
            state: 'running',
            done: n,
            total: Math.max(total, n),
            file: null,
            message: null,
          })
        },
      })
      const companion = pauseCompanion(file)
      if (req.format === 'csv' && pauses.length > 0) await writePauseCsv(companion, pauses)
      const also =
        pauses.length === 0
          ? ''
          : req.format === 'csv'
            ? `；${pauses.length} 条暂停记录另存为 ${path.basename(companion)}`
            : `；${pauses.length} 条暂停记录在「暂停记录」工作表`
      emit({
        jobId,
        state: 'done',
        done,
        total: done,
        file,
        message: `已导出 ${done} 条记录${also}`,
      })
      log.info('call log exported', {
        format: req.format,
        rows: done,
        ms: Date.now() - started,
        masked: req.maskPhones,
        pauses: pauses.length,
      })
    } catch (e) {
      if (signal.aborted) {
        emit({
          jobId,
          state: 'cancelled',
          done,
          total,
          file: null,
          message: '已取消导出，未生成文件',
        })
        log.info('call log export cancelled', { rows: done })
        return
      }
      log.error('call log export failed', e)
      emit({
        jobId,
        state: 'failed',
        done,
        total,
        file: null,
        message: `导出失败：${fileErrorText(e)}。未生成文件`,
      })
    }
  }

  const team = createTeamMethods({
    db,
    store,
    supervisor,
    files,
    log,
    now,
    scopeOf,
    require: () => state.require(),
  })

  return {
    store,
    supervisor,
    ...team,

    agentStatus(info) {
      try {
        store.pauses.onStatus(info, info.agentStatus)
      } catch (e) {
        // a status change never fails for want of its record
        log.warn('pause period not recorded', { error: (e as Error)?.message })
      }
    },

    async query({ filter, page, pageSize }) {
      const user = state.require()
      return store.query(filter, page, pageSize, scopeOf(user))
    },

    async stats(filter) {
      const user = state.require()
      return store.stats(filter, scopeOf(user))
    },

    async agents() {
      const user = state.require()
      const self = { userNum: user.userNum, userName: user.userName }
      if (!supervisor.isUnlocked(user)) return [self]
      const all = store.agents()
      return all.some((a) => a.userNum === user.userNum) ? all : [self, ...all]
    },

    async supervisorStatus() {
      return supervisor.status(state.require())
    },

    async supervisorUnlock({ password }) {
      return supervisor.unlock(state.require(), password)
    },

    async supervisorLock() {
      return supervisor.lock(state.require())
    },

    async setSupervisorPassword({ current, next }) {
      const user = state.require()
      const status = await supervisor.setPassword(user, { current, next })
      log.info('supervisor password set', { by: user.userNum })
      return status
    },

    async export(req) {
      const user = state.require()
      if (!req.maskPhones) supervisor.require(user, '导出完整号码')
      const scope = scopeOf(user)
      const file = await files.chooseSavePath(
        `通话记录-${localDay(now())}.${req.format}`,
        req.format,
      )
      if (!file) return { jobId: null }
      if (!path.isAbsolute(file)) {
        throw new AppError('invalid-args', '保存位置无效', { field: 'file' })
      }
      const jobId = randomUUID()
      const controller = new AbortController()
      const done = runExport(jobId, file, controller.signal, req, scope).finally(() =>
        jobs.delete(jobId),
      )
      jobs.set(jobId, { controller, done })
      return { jobId }
    },

    async cancelExport({ jobId }) {
      state.require({ allowLocked: true })
      // an export that has just ended has nothing left to cancel
      jobs.get(jobId)?.controller.abort()
      return null
    },

    async importFile(): Promise<ImportResult> {
      const user = state.require()
      supervisor.require(user, '导入通话记录')
      if (!db.durable) {
        throw new AppError('storage', db.problem ?? '本地数据库不可用，无法导入')
      }
      const file = await files.chooseOpenPath(['csv', 'xlsx'])
      if (!file) return { file: null, read: 0, added: 0, duplicates: 0 }
      // in batches, each its own transaction, so the app stays responsive; a second import of
      // the same file after a failure adds only what is missing (INSERT OR IGNORE by id)
      const { read, added, duplicates, pauses } = await importOne(store, file)
      log.info('call log imported', {
        file: path.basename(file),
        read,
        added,
        duplicates,
        pausesAdded: pauses?.added ?? 0,
        by: user.userNum,
      })
      return { file, read, added, duplicates, pauses }
    },

    settled: async (jobId) => {
      await jobs.get(jobId)?.done
    },

    dispose: async () => {
      const running = [...jobs.values()]
      for (const j of running) j.controller.abort()
      await Promise.allSettled(running.map((j) => j.done))
    },
  }
}
