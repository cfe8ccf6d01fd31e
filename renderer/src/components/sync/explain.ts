import type { OutboxItem } from '../../../../shared/domain'

/**
 * What the sync panel tells the agent about an item, in plain words, instead of the transport's
 * error text: for an uncertain item, what happened and what to do; for a pending item the server
 * refused without processing (HTTP error page), that it retries by itself. i18n keys under
 * sync.explain; null when the item's own error text says enough.
 */
const adviceOf: Record<OutboxItem['kind'], string> = {
  'weixin.savecallback': 'savecallback',
  'weixin.save_to_customer': 'saveToCustomer',
  'datacenter.report_call': 'reportCall',
}

export function explanationKeys(item: OutboxItem): { what: string; advice?: string } | null {
  if (item.state === 'uncertain') {
    const kind = item.lastError?.kind
    const what =
      kind === 'network' ? 'lost' : kind === 'not-json' || kind === 'shape' ? 'damaged' : 'unknown'
    return { what: `sync.explain.${what}`, advice: `sync.explain.${adviceOf[item.kind]}` }
  }
  if (
    item.state === 'pending' &&
    (item.lastError?.kind === 'http' || item.lastError?.kind === 'not-json')
  ) {
    return { what: 'sync.explain.retrying' }
  }
  return null
}
