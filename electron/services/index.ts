import { join } from 'node:path'
import { useTempJournal } from './files/atomic-file'
import { TempJournal } from './files/temp-journal'
import type { ServiceImpls } from '../../shared/ipc/contract'
import { createCallLogService } from './calllog/calllog-service'
import { createCallingService } from './calling/calling-service'
import { createCatalogService } from './catalog/catalog-service'
import { ConnectionManager } from './connections/connections'
import { createCustomerService } from './customer/customer-service'
import { DispensedStore } from './calling/dispensed-store'
import { ExhaustedPackages } from './calling/exhausted-store'
import { DraftStore } from './calling/draft-store'
import type {
  Dialer,
  EmitEvent,
  FileDialogs,
  Logger,
  SettingsStore,
  StartTraining,
  Vault,
} from './ports'
import { createSessionService } from './session/session-service'
import { createSoftphone, withDialRules } from './softphone'
import { UserStatusWatch } from './session/status-watch'
import { MiaosuanLinks } from './customer/miaosuan-links'
import { SessionState } from './session/session-state'
import { PasswordGuard } from './session/password-guard'
import type { ScryptParams } from './session/password-hash'
import { createSettingsService } from './settings/settings-service'
import { ProjectScriptStore } from './settings/script-store'
import { openDatabase } from './db/database'
import { adoptLegacyRows, mergeTrainingDatabase } from './db/profile-data'
import { DncStore } from './calling/dnc-store'
import { RefCache } from './db/ref-cache'
import { createOutbox } from './outbox'
import { ProjectDirectory } from './catalog/project-directory'
import { createSyncService } from './outbox/sync-service'
import type { SyncStatus } from '../../shared/domain'
import { createDiagnosticsService, runtimeVersions } from './diagnostics/diagnostics-service'
import { readVaultSecrets } from './diagnostics/log-redact'
import { summarize } from './settings/settings-service'
import {
  CallActivity,
  createUpdateService,
  FeedChecker,
  withCallTracking,
  type UpdaterEngine,
  type UpdateService,
} from './updates'

export interface AppServiceDeps {
  vault: Vault
  settings: SettingsStore
  dialer: Dialer
  files: FileDialogs
  log: Logger
  emit: EmitEvent
  /** where the app keeps its local files (dispensed numbers, SID state) */
  dataDir: string
  /** starts the training sandbox (the host loads it lazily; services never import it) */
  startSandbox: StartTraining
  now?: () => Date
  appVersion?: string
  /** electron-updater engine and the generic feed; absent (web bridge, tests): 'unsupported' */
  updater?: { engine: UpdaterEngine; feedUrl: string } | null
  /** the newest log lines, redacted, for the diagnostics bundle */
  recentLogLines?: () => string[]
  /** scrypt cost of local password hashes; the production cost unless a test lowers it */
  passwordHashing?: ScryptParams
}

export interface AppServices {
  impls: ServiceImpls
  updates: UpdateService
  /** what main asks before quitting (pending items are kept, but the agent is told) */
  syncStatus(): SyncStatus
  dispose(): Promise<void>
}

/**
 * The one place every service is created and wired. Electron main, the web bridge and the tests
 * all call this, with their own vault, settings store and dialer.
 */
export async function createAppServices(deps: AppServiceDeps): Promise<AppServices> {
  const { vault, settings, dialer, log } = deps
  const now = deps.now ?? (() => new Date())
  const connections = new ConnectionManager({
    settings,
    vault,
    log,
    dataDir: deps.dataDir,
    startSandbox: deps.startSandbox,
  })
  const state = new SessionState()
  // Training and production never mix: every outbox item, call-log row and dispensed number
  // carries the connection profile it was made under (connections/profile-key.ts), and is only
  // sent through connections of that profile. Switching (settings, login screen, an import)
  // takes effect at once; another profile's items wait for it.
  const profile = (): string | null => connections.profile()
  // Temp files a killed write left (an export's holds customer data): removed before anything
  // else writes, and said in the log that the diagnostics bundle carries.
  const tempJournal = new TempJournal(join(deps.dataDir, 'temp-files.journal'))
  const leftovers = tempJournal.sweep()
  if (leftovers.length > 0) {
    log.warn('已删除上次中断的写入留下的临时文件（可能含客户数据）', { files: leftovers })
  }
  useTempJournal(tempJournal)
  const dispensed = new DispensedStore(
    join(deps.dataDir, 'dispensed-phones.json'),
    log,
    profile,
    (phone) => outbox.savedSince(phone.phone, phone.packageId, Date.parse(phone.dispensedAt)),
  )
  // One database for the outbox, cached reference data, the 勿扰 list and the call log. A
  // damaged file or a read-only folder does not stop the app: the outbox reports it and
  // refuses writes it cannot make durable.
  const db = openDatabase(join(deps.dataDir, 'callcenter.db'), { log, now })
  // the separate training file of earlier versions, merged in as training rows
  mergeTrainingDatabase(db, join(deps.dataDir, 'callcenter-training.db'), log)
  connections.onBuilt((key) => {
    try {
      const n = adoptLegacyRows(db, key)
      if (n > 0) log.info('outbox: items from before profiles were kept adopted', { n })
    } catch (e) {
      log.warn('could not tag rows from before profiles were kept', { error: String(e) })
    }
  })
  const cache = new RefCache(db, now)
  const exhaustedPackages = new ExhaustedPackages(cache, profile, now)
  const dnc = new DncStore(db, now)
  // the rules for marketing calls, for the softphone and the URI handoff alike; recordings
  const softphone = createSoftphone({
    db,
    dataDir: deps.dataDir,
    isDnc: (phone) => dnc.isDnc(phone),
    settings,
    vault,
    state,
    log,
    now,
    // the call log (created below) owns supervisor mode
    isSupervisor: () => callLog.supervisor.isUnlocked(state.current),
  })
  // one attempt counter for every local password check (idle lock, offline login, supervisor)
  const passwords = new PasswordGuard(cache, {
    now: () => now().getTime(),
    ...(deps.passwordHashing ? { params: deps.passwordHashing } : {}),
  })
  const projects = new ProjectDirectory()
  const callLog = createCallLogService({
    db,
    state,
    files: deps.files,
    emit: (event, progress) => deps.emit(event, progress),
    log,
    now,
    passwords,
    profile,
  })
  const outbox = createOutbox({
    db,
    connections,
    log,
    cache,
    now: () => now().getTime(),
    emit: (event, status) => deps.emit(event, status),
  })

  const appVersion = deps.appVersion ?? '0.0.0-dev'
  // an update never restarts the app in the middle of a call
  const calls = new CallActivity({ now: () => now().getTime() })
  const updates = createUpdateService({
    currentVersion: appVersion,
    settings,
    log,
    feed: deps.updater
      ? new FeedChecker({
          url: deps.updater.feedUrl,
          platform: process.platform,
          arch: process.arch,
          log,
        })
      : null,
    engine: deps.updater?.engine ?? null,
    isOnCall: () => calls.isOnCall(),
    onCallEnded: (listener) => calls.onEnded(listener),
  })
  updates.onStatus((status) => deps.emit('updateStatus', status))

  const connectionKey = (): string => {
    const s = settings.get()
    return JSON.stringify([s.trainingMode, s.servers, s.machineNo, s.cdpHostHeader])
  }
  let lastConnectionKey = connectionKey()
  let lastTraining = settings.get().trainingMode

  const statusWatch = new UserStatusWatch({ connections, state, log, emit: deps.emit })
  const impls: ServiceImpls = {
    session: createSessionService({
      connections,
      vault,
      state,
      cache,
      log,
      now,
      passwords,
      statusWatch,
      onAgentStatus: (info) => callLog.agentStatus(info),
    }),
    catalog: createCatalogService({
      connections,
      state,
      projects,
      cache,
      exhausted: exhaustedPackages,
      now,
    }),
    calling: withCallTracking(
      withDialRules(
        createCallingService({
          connections,
          state,
          dispensed,
          outbox,
          dnc,
          projects,
          callbackNames: async () => {
            const items = await impls.catalog.callbackItems()
            return items.map((i) => i.name)
          },
          settings,
          dialer,
          log,
          now,
          callLog: callLog.store,
          history: callLog.store,
          catalogCache: cache,
          drafts: new DraftStore(join(deps.dataDir, 'call-drafts.json'), log),
          exhausted: exhaustedPackages,
        }),
        softphone.gate,
      ),
      calls,
    ),
    softphone: softphone.service,
    customer: createCustomerService({
      connections,
      state,
      outbox,
      callLog: callLog.store,
      miaosuanLinks: new MiaosuanLinks(cache, now),
      log,
      projectGuid: async (projectId) => {
        const name = projects.nameOf(projectId)
        return name ? outbox.projectGuid(name) : null
      },
    }),
    sync: createSyncService({ outbox }),
    calllog: callLog,
    updates,
    diagnostics: createDiagnosticsService({
      files: deps.files,
      versions: () => runtimeVersions(appVersion),
      settings,
      syncStatus: () => outbox.status(),
      recentLogLines: deps.recentLogLines ?? (() => []),
      secretValues: () => readVaultSecrets(vault),
      secretSummary: () => summarize(vault, log),
      updateStatus: () => updates.status(),
      log,
      now,
    }),
    settings: createSettingsService({
      store: settings,
      vault,
      log,
      scripts: new ProjectScriptStore(cache),
      isSupervisor: () => callLog.supervisor.isUnlocked(state.current),
      files: deps.files,
      // Secrets may have changed too: always build new clients. Another server means another
      // session: the agent logs in again there.
      onChange: () => {
        updates.settingsChanged()
        connections.invalidate()
        const key = connectionKey()
        if (key === lastConnectionKey) return
        const training = settings.get().trainingMode
        const modeChanged = training !== lastTraining
        lastConnectionKey = key
        lastTraining = training
        // the other profile's waiting items may go now (each only through its own servers)
        outbox.kick()
        if (state.current) {
          state.end()
          deps.emit('sessionExpired', {
            reason: !modeChanged
              ? '服务器设置已更改，请重新登录'
              : training
                ? '已切换到培训模式，请重新登录。培训中的呼叫不会提交到正式系统'
                : '已切换到正式系统，请重新登录。培训中保存的记录不会提交到正式系统',
          })
        }
      },
    }),
  }
  return {
    impls,
    updates,
    syncStatus: () => outbox.status(),
    dispose: async () => {
      useTempJournal(null)
      softphone.dispose()
      statusWatch.stop()
      updates.dispose()
      await callLog.dispose()
      await outbox.stop()
      await connections.dispose()
      db.close()
    },
  }
}
