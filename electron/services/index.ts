import { join } from 'node:path'
import type { ServiceImpls } from '../../shared/ipc/contract'
import type { EmitEvent } from '../ipc/register'
import type { RunningSandbox, SandboxOptions } from '../sandbox'
import { createCallingService } from './calling-service'
import { createCatalogService } from './catalog-service'
import { ConnectionManager } from './connections'
import { createCustomerService } from './customer-service'
import { DispensedStore } from './dispensed-store'
import type { Dialer, Logger, SettingsStore, Vault } from './ports'
import { createSessionService } from './session-service'
import { SessionState } from './session-state'
import { createSettingsService } from './settings-service'

export interface AppServiceDeps {
  vault: Vault
  settings: SettingsStore
  dialer: Dialer
  log: Logger
  emit: EmitEvent
  /** where the app keeps its local files (dispensed numbers, SID state) */
  dataDir: string
  /** the training sandbox; by default the embedded one, loaded on first use */
  startSandbox?: (opts?: SandboxOptions) => Promise<RunningSandbox>
  now?: () => Date
}

export interface AppServices {
  impls: ServiceImpls
  dispose(): Promise<void>
}

/**
 * The one place every service is created and wired. Electron main, the web bridge and the tests
 * all call this, with their own vault, settings store and dialer.
 */
export async function createAppServices(deps: AppServiceDeps): Promise<AppServices> {
  const { vault, settings, dialer, log } = deps
  const now = deps.now ?? (() => new Date())
  const startSandbox =
    deps.startSandbox ??
    (async (opts?: SandboxOptions) => (await import('../sandbox')).startSandbox(opts))
  const connections = new ConnectionManager({
    settings,
    vault,
    log,
    dataDir: deps.dataDir,
    startSandbox,
  })
  const state = new SessionState()
  const dispensed = new DispensedStore(join(deps.dataDir, 'dispensed-phones.json'), log)

  const connectionKey = (): string => {
    const s = settings.get()
    return JSON.stringify([s.trainingMode, s.servers, s.machineNo, s.cdpHostHeader])
  }
  let lastConnectionKey = connectionKey()

  const impls: ServiceImpls = {
    session: createSessionService({ connections, vault, state, log, now }),
    catalog: createCatalogService({ connections, state, now }),
    calling: createCallingService({ connections, state, dispensed, settings, dialer, log, now }),
    customer: createCustomerService({ connections, state, log }),
    settings: createSettingsService({
      store: settings,
      vault,
      log,
      // Secrets may have changed too: always build new clients. Another server means another
      // session: the agent logs in again there.
      onChange: () => {
        connections.invalidate()
        const key = connectionKey()
        if (key === lastConnectionKey) return
        lastConnectionKey = key
        if (state.current) {
          state.end()
          deps.emit('sessionExpired', { reason: '服务器设置已更改，请重新登录' })
        }
      },
    }),
  }
  return {
    impls,
    dispose: () => connections.dispose(),
  }
}
