import type { OutboxItem, OutboxState, SyncStatus } from '../../../shared/domain'
import { AppError } from '../../core/app-error'
import type { AppDatabase } from '../db/database'
import { RefCache } from '../db/ref-cache'
import type { Logger } from '../ports'
import { ConsultantResolver } from './consultant-resolver'
import { createDeliverer } from './deliverer'
import type { Deliverer, OutboxConnections } from './delivery'
import { OutboxStore } from './outbox-store'
import { referenceKey } from '../connections/profile-key'
import { ProjectResolver } from './project-resolver'
import { toOutboxItem, type OutboxRow } from './rows'
import { SyncEngine, type SyncEngineOptions } from './sync-engine'
import type { EnqueueInput, Outbox } from './types'

export interface OutboxDeps {
  db: AppDatabase
  /**
   * ConnectionManager (or anything with its get()); profile(): the connection profile in use,
   * which new items are tagged with (absent: untagged, every item goes through any connections)
   */
  connections: { get(): Promise<OutboxConnections>; profile?(): string | null }
  log: Logger
  /** the IPC event emitter: syncProgress carries a SyncStatus */
  emit?: (event: 'syncProgress', status: SyncStatus) => void
  /** epoch ms */
  now?: () => number
  /** reference-data cache for the Data Center project map; default one over db */
  cache?: RefCache
  /** replaces the real delivery (engine tests) */
  deliverer?: Deliverer
  /** false: the caller starts the engine (outbox.start()) */
  autoStart?: boolean
  engine?: Omit<
    SyncEngineOptions,
    'store' | 'deliverer' | 'connections' | 'log' | 'emit' | 'openProblem' | 'now'
  >
}

/**
 * The outbox as the app uses it: enqueue commits to SQLite (WAL, synchronous=FULL) and returns;
 * the sync engine delivers in the background and reports through syncProgress; the agent's
 * actions on an item are local commits that wake the engine.
 */
export interface AppOutbox extends Outbox {
  /** starts delivering (only needed when created with autoStart false) */
  start(): void
  /** newest first, optionally only some states (the sync panel) */
  list(opts?: { states?: readonly OutboxState[]; limit?: number }): OutboxItem[]
  /** another try now: failed, uncertain and pending items */
  retry(id: string): OutboxItem
  /** gives up on an undelivered item; the later items of its phone go */
  discard(id: string): OutboxItem
  /** corrects a failed (or parked uncertain) item's editable fields; it is then retried */
  edit(id: string, fields: Record<string, string>): OutboxItem
  /** sync now: every waiting item is due, offline systems are probed at once */
  flush(): SyncStatus
  /**
   * The Data Center's projGUID for a weixin project's name, from the project map delivery
   * keeps; null when the Data Center is not configured, does not know the name, or cannot be
   * asked.
   */
  projectGuid(name: string): Promise<string | null>
  /**
   * Whether a result for this number in this package has been saved (in the current profile)
   * since `since` (epoch ms): a number still held after a kill may already be done.
   */
  savedSince(phone: string, packageId: number, since: number): boolean
  /** stops the engine (waits for in-flight sends); pending items stay for the next start */
  stop(): Promise<void>
}

/** The outbox and the parts it is made of: for the engine tests and the benchmark only. */
export interface OutboxParts {
  outbox: AppOutbox
  store: OutboxStore
  engine: SyncEngine
}

export function createOutbox(deps: OutboxDeps): AppOutbox {
  return assembleOutbox(deps).outbox
}

/** createOutbox, with its parts in view (tests and the benchmark look inside). */
export function assembleOutbox(deps: OutboxDeps): OutboxParts {
  const now = deps.now ?? Date.now
  const connections = deps.connections
  const profile = (): string | null => connections.profile?.() ?? null
  const store = new OutboxStore(deps.db, { now, profile })
  const cache = deps.cache ?? new RefCache(deps.db, () => new Date(now()))
  const projects = new ProjectResolver({ cache, now })
  const engine = new SyncEngine({
    ...deps.engine,
    store,
    deliverer:
      deps.deliverer ??
      createDeliverer({ projects, consultants: new ConsultantResolver({ cache, now }) }),
    connections: deps.connections,
    log: deps.log,
    now,
    openProblem: deps.db.problem,
    ...(deps.emit ? { emit: deps.emit } : {}),
  })
  if (deps.autoStart !== false) engine.start()

  /** an agent's action on an item: committed, shown, and the engine woken */
  const act = (f: () => OutboxRow): OutboxItem => {
    const row = f()
    engine.changed()
    return toOutboxItem(row, profile())
  }
  const item = (row: OutboxRow): OutboxItem => toOutboxItem(row, profile())

  const outbox: AppOutbox = {
    enqueue(items: EnqueueInput[]): OutboxItem[] {
      let rows
      try {
        rows = store.enqueue(items)
      } catch (e) {
        if (e instanceof AppError && e.kind === 'storage') engine.noteStorageFailure(e)
        throw e
      }
      engine.noteEnqueued(rows.length)
      return rows.map(item)
    },
    kick: () => engine.kick(),
    status: () => engine.status(),
    start: () => engine.start(),
    list: (opts = {}) => store.list(opts).map(item),
    retry: (id) => act(() => store.retry(id)),
    discard: (id) => act(() => store.discard(id)),
    edit: (id, fields) => act(() => store.edit(id, fields)),
    flush: () => engine.flush(),
    async projectGuid(name) {
      const { datacenter: dc, datacenterAppid: appid, profile: key } = await deps.connections.get()
      if (!dc || !appid) return null
      return projects.resolve(dc, referenceKey(appid, key), name).catch(() => null)
    },
    savedSince: (phone, packageId, since) => store.savedSince(phone, packageId, since),
    stop: () => engine.stop(),
  }
  return { outbox, store, engine }
}

export type { Outbox, EnqueueInput, OutboxPayloads } from './types'
export { OutboxStore } from './outbox-store'
