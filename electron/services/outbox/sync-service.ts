import type { SyncService } from '../../../shared/ipc/contract'
import type { AppOutbox } from '.'
import { toOutboxItem } from './outbox-store'

export interface SyncServiceDeps {
  outbox: Pick<AppOutbox, 'engine' | 'store' | 'status'>
}

/**
 * The sync panel's service: what waits to be delivered, and the agent's actions on it. Retry,
 * discard and edit are local commits; the engine is woken right after.
 */
export function createSyncService(deps: SyncServiceDeps): SyncService {
  const { engine, store } = deps.outbox
  return {
    async status() {
      return deps.outbox.status()
    },
    async list({ states, limit }) {
      return store.list({ ...(states ? { states } : {}), limit }).map(toOutboxItem)
    },
    async retry({ id }) {
      const row = store.retry(id)
      engine.changed()
      return toOutboxItem(row)
    },
    async discard({ id }) {
      const row = store.discard(id)
      engine.changed()
      return toOutboxItem(row)
    },
    async edit({ id, fields }) {
      const row = store.edit(id, fields)
      engine.changed()
      return toOutboxItem(row)
    },
    async flush() {
      return engine.flush()
    },
  }
}
