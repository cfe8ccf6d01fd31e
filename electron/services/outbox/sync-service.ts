import type { SyncService } from '../../../shared/ipc/contract'
import type { AppOutbox } from '.'

export interface SyncServiceDeps {
  outbox: Pick<AppOutbox, 'status' | 'list' | 'retry' | 'discard' | 'edit' | 'flush'>
}

/**
 * The sync panel's service: what waits to be delivered, and the agent's actions on it (local
 * commits; the outbox wakes its engine right after).
 */
export function createSyncService(deps: SyncServiceDeps): SyncService {
  const { outbox } = deps
  return {
    async status() {
      return outbox.status()
    },
    async list({ states, limit }) {
      return outbox.list({ ...(states ? { states } : {}), limit })
    },
    async retry({ id }) {
      return outbox.retry(id)
    },
    async discard({ id }) {
      return outbox.discard(id)
    },
    async edit({ id, fields }) {
      return outbox.edit(id, fields)
    },
    async flush() {
      return outbox.flush()
    },
  }
}
