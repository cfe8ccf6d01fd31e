import type { OutboxItem, SyncStatus } from '../../../shared/domain'
import { AppError } from '../../core/app-error'
import type { AppDatabase } from '../db/database'
import { RefCache } from '../db/ref-cache'
import type { Logger } from '../ports'
import {
  createDeliverer,
  ProjectResolver,
  type Deliverer,
  type OutboxConnections,
} from './delivery'
import { OutboxStore, toOutboxItem } from './outbox-store'
import { SyncEngine, type SyncEngineOptions } from './sync-engine'
import type { EnqueueInput, Outbox } from './types'

export interface OutboxDeps {
  db: AppDatabase
  /** ConnectionManager (or anything with its get()) */
  connections: { get(): Promise<OutboxConnections> }
  log: Logger
  /** the IPC event emitter: syncProgress carries a SyncStatus */
  emit?: (event: 'syncProgress', status: SyncStatus) => void
  /** epoch ms */
  now?: () => number
  /** reference-data cache for the Data Center project map; default one over db */
  cache?: RefCache
  /** replaces the real delivery (engine tests) */
  deliverer?: Deliverer
  /** false: the caller starts the engine (engine.start()) */
  autoStart?: boolean
  engine?: Omit<
    SyncEngineOptions,
    'store' | 'deliverer' | 'connections' | 'log' | 'emit' | 'openProblem' | 'now'
  >
}

export type AppOutbox = Outbox & {
  engine: SyncEngine
  store: OutboxStore
  projects: ProjectResolver
  /** stops the engine (waits for in-flight sends); pending items stay for the next start */
  stop(): Promise<void>
}

/**
 * The durable outbox: enqueue commits to SQLite (WAL, synchronous=FULL) and returns; the sync
 * engine delivers in the background and reports through syncProgress.
 */
export function createOutbox(deps: OutboxDeps): AppOutbox {
  const now = deps.now ?? Date.now
  const store = new OutboxStore(deps.db, { now })
  const cache = deps.cache ?? new RefCache(deps.db, () => new Date(now()))
  const projects = new ProjectResolver({ cache, now })
  const engine = new SyncEngine({
    ...deps.engine,
    store,
    deliverer: deps.deliverer ?? createDeliverer({ projects }),
    connections: deps.connections,
    log: deps.log,
    now,
    openProblem: deps.db.problem,
    ...(deps.emit ? { emit: deps.emit } : {}),
  })
  if (deps.autoStart !== false) engine.start()

  return {
    engine,
    store,
    projects,
    enqueue(items: EnqueueInput[]): OutboxItem[] {
      let rows
      try {
        rows = store.enqueue(items)
      } catch (e) {
        if (e instanceof AppError && e.kind === 'storage') engine.noteStorageFailure(e)
        throw e
      }
      engine.noteEnqueued(rows.length)
      return rows.map(toOutboxItem)
    },
    kick: () => engine.kick(),
    status: () => engine.status(),
    stop: () => engine.stop(),
  }
}

export type { Outbox, EnqueueInput, OutboxPayloads } from './types'
export { OutboxStore, toOutboxItem } from './outbox-store'
export { SyncEngine } from './sync-engine'
export { ProjectResolver, createDeliverer } from './delivery'
