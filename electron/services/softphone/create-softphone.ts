import { softphoneOf } from '../../../shared/softphone-defaults'
import type { SoftphoneService } from '../../../shared/ipc/contract'
import type { AppDatabase } from '../db/database'
import type { Logger, SettingsStore, Vault } from '../ports'
import { RecordingStore } from '../recording/recording-store'
import { Recordings } from '../recording/recordings'
import type { SessionState } from '../session/session-state'
import { AttemptStore } from './attempt-store'
import { createDialGate, type DialGate } from './dial-gate'
import { createSoftphoneService } from './softphone-service'

const HOUR_MS = 60 * 60 * 1000

/**
 * Wires the softphone's parts over the app's database: the dial gate (also used by the URI
 * handoff), the recordings and their retention sweep (at start, then hourly).
 */
export function createSoftphone(deps: {
  db: AppDatabase
  dataDir: string
  isDnc: (phone: string) => boolean
  settings: SettingsStore
  vault: Vault
  state: SessionState
  log: Logger
  now?: () => Date
  /** supervisor mode is open (set once the call log exists: it owns supervisor mode) */
  isSupervisor?: () => boolean
}): { service: SoftphoneService; gate: DialGate; recordings: Recordings; dispose(): void } {
  const attempts = new AttemptStore(deps.db)
  const gate = createDialGate({
    attempts,
    isDnc: deps.isDnc,
    settings: deps.settings,
    log: deps.log,
    now: deps.now,
  })
  const recordings = new Recordings({
    dataDir: deps.dataDir,
    store: new RecordingStore(deps.db),
    log: deps.log,
    now: deps.now,
  })
  const sweep = () => {
    try {
      recordings.sweep(softphoneOf(deps.settings.get()).retentionDays)
      attempts.prune(deps.now ? deps.now() : new Date())
    } catch (e) {
      deps.log.warn('recording retention sweep failed', {
        error: e instanceof Error ? e.message : String(e),
      })
    }
  }
  sweep()
  const timer = setInterval(sweep, HOUR_MS)
  timer.unref?.()
  return {
    service: createSoftphoneService({ ...deps, gate, recordings }),
    gate,
    recordings,
    dispose: () => clearInterval(timer),
  }
}
