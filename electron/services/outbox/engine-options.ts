import type { SyncStatus } from '../../../shared/domain'
import type { Logger } from '../ports'
import type { Deliverer, OutboxConnections } from './delivery'
import type { OutboxStore } from './outbox-store'
import type { Timers } from './timers'

/** What the sync engine (sync-engine.ts) is built from, and its tuning. */
export interface SyncEngineOptions {
  store: OutboxStore
  deliverer: Deliverer
  connections: { get(): Promise<OutboxConnections> }
  log: Logger
  emit?: (event: 'syncProgress', status: SyncStatus) => void
  /** a storage problem found at open (damaged file moved aside, read-only folder) */
  openProblem?: string | null
  concurrency?: number
  /**
   * How many batches of `concurrency` items are claimed ahead of those in flight (default 2):
   * one fsynced claim covers that many sends. After a crash, claimed-but-unsent weixin items
   * count as maybe delivered, so this is also how many may be shown uncertain needlessly.
   */
  prefetch?: number
  baseDelayMs?: number
  maxDelayMs?: number
  /** the longest wait between two probes of an offline system */
  maxProbeDelayMs?: number
  /** syncProgress at most this often, except for changes the agent must see at once */
  emitIntervalMs?: number
  /** delivered and discarded rows are kept this long */
  retainMs?: number
  /** at stop, in-flight sends are aborted after this long */
  stopTimeoutMs?: number
  now?: () => number
  random?: () => number
  timers?: Timers
}
