import type { DataCenterClient } from '../../core/datacenter/client'
import type { WeixinClient } from '../../core/weixin/client'
import type { OutboxError, OutboxRow } from './rows'

/**
 * The contract between the sync engine and delivery: how an item is sent (deliverer.ts) and what
 * a failure means for it.
 *
 * weixin (savecallback, save_to_customer) has no idempotency key. A failure that proves the
 * request never arrived (connection refused: maybeDelivered false) is retried with back-off. A
 * failure after the request went out (answer lost, HTTP error, a body that is not the documented
 * JSON) makes the item `maybe-delivered`: the store marks it uncertain, retries it once, and
 * parks it for the agent if that retry is ambiguous too. The server's own refusal (errmsg such as
 * 传入数据错误) or a request the client rejects before sending parks it as failed.
 *
 * The Data Center (report_call) is delivered in steps, each write with its own SID stored in the
 * row before it is first sent and re-sent on every retry, so transport failures simply retry and
 * a 1013 (SID seen) means the earlier try arrived. See report-call.ts for each step.
 */

/** The clients delivery needs (ConnectionManager.get() provides them). */
export interface OutboxConnections {
  weixin: Pick<WeixinClient, 'saveCallback' | 'saveToCustomer'>
  datacenter: Pick<DataCenterClient, 'call' | 'nextSid'> | null
  /** the Data Center appid the project map is kept under (outbox.projectGuid) */
  datacenterAppid?: string | null
  /**
   * The connection profile these clients belong to (connections/profile-key.ts): only items
   * tagged with it are sent through them. Absent (engine tests): every item.
   */
  profile?: string
}

/**
 * What an attempt came to. `reach` tells the engine about the remote system: 'offline' when the
 * request could not reach it (refused, timeout, DNS), 'online' when something answered.
 */
export type DeliveryResult = (
  | { type: 'delivered'; result?: unknown; steps?: unknown }
  | { type: 'retry'; error: OutboxError; steps?: unknown; immediate?: boolean }
  | { type: 'maybe-delivered'; error: OutboxError; steps?: unknown }
  | { type: 'failed'; error: OutboxError; steps?: unknown }
) & { reach?: 'online' | 'offline' }

export interface DeliveryContext {
  conns: OutboxConnections
  signal?: AbortSignal
  /** commits the row's steps now (a step done, a new SID), before the next request */
  saveSteps(steps: unknown): void
}

export interface Deliverer {
  /**
   * Called while the row is claimed, inside the claim's transaction: returns the steps to store
   * with the 'sending' mark (the Data Center SIDs), or undefined to leave them.
   */
  prepare?(row: OutboxRow, conns: OutboxConnections): unknown
  deliver(row: OutboxRow, ctx: DeliveryContext): Promise<DeliveryResult>
}
