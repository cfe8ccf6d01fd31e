import type { DeliveryContext, DeliveryResult } from './delivery'
import { classifyWeixinFailure } from './failures'
import type { OutboxRow } from './rows'
import type { OutboxPayloads } from './types'

/** One weixin write (savecallback or save_to_customer): a single request, no steps. */
export async function deliverWeixin(
  row: OutboxRow<'weixin.savecallback' | 'weixin.save_to_customer'>,
  ctx: DeliveryContext,
): Promise<DeliveryResult> {
  const callOpts = ctx.signal ? { signal: ctx.signal } : {}
  try {
    if (row.kind === 'weixin.savecallback') {
      await ctx.conns.weixin.saveCallback(
        row.payload as OutboxPayloads['weixin.savecallback'],
        callOpts,
      )
    } else {
      await ctx.conns.weixin.saveToCustomer(
        row.payload as OutboxPayloads['weixin.save_to_customer'],
        callOpts,
      )
    }
    return { type: 'delivered', reach: 'online' }
  } catch (e) {
    return classifyWeixinFailure(e)
  }
}
