import { randomUUID } from 'node:crypto'
import type { CallingService } from '../../shared/ipc/contract'
import type { ConnectionManager } from './connections'
import { buildDialUri } from './dial'
import type { DispensedStore } from './dispensed-store'
import type { Dialer, Logger, SettingsStore } from './ports'
import type { SessionState } from './session-state'

export interface CallingServiceDeps {
  connections: ConnectionManager
  state: SessionState
  dispensed: DispensedStore
  settings: SettingsStore
  dialer: Dialer
  log: Logger
  now?: () => Date
}

/** Next number, save the result, dial. A dispensed number stays until its result is saved. */
export function createCallingService(deps: CallingServiceDeps): CallingService {
  const { connections, state, dispensed, settings, dialer, log } = deps
  const now = deps.now ?? (() => new Date())

  return {
    async currentPhone({ packageId }) {
      const user = state.require()
      return dispensed.head(user.userId, packageId)
    },

    async nextPhone({ projectId, packageId }) {
      const user = state.require()
      const pending = dispensed.head(user.userId, packageId)
      if (pending) return pending
      const conns = await connections.get()
      const raw = await conns.weixin.getPhone({ user_id: user.userId, package_id: packageId })
      const phone = {
        phoneId: raw.phone_id,
        phone: raw.phone_no,
        ownerName: raw.owner_name,
        projectId,
        packageId,
        dispensedAt: now().toISOString(),
      }
      dispensed.add(user.userId, phone)
      return phone
    },

    async saveCallback(input) {
      const user = state.require()
      const conns = await connections.get()
      await conns.weixin.saveCallback({
        user_id: user.userId,
        phone_no: input.phone,
        owner_name: input.ownerName,
        package_id: input.packageId,
        pro_id: input.projectId,
        call_back_item_name: input.callbackItem,
      })
      dispensed.remove(user.userId, input.packageId, input.phoneId)
      log.info('callback saved', { packageId: input.packageId, item: input.callbackItem })
      return { id: randomUUID(), state: 'delivered' as const }
    },

    async dial({ phone }) {
      state.require()
      const uri = buildDialUri(settings.get().dialTemplate, phone)
      await dialer.open(uri)
      return { uri }
    },
  }
}
