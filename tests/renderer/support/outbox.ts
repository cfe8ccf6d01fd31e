import type { OutboxItem, SyncStatus } from '../../../shared/domain'

/** Outbox items and sync statuses as main would send them. */
export function item(
  id: string,
  state: OutboxItem['state'],
  over: Partial<OutboxItem> = {},
): OutboxItem {
  return {
    id,
    kind: 'weixin.savecallback',
    title: `保存反馈 · ${id}`,
    phone: '15920447900',
    state,
    uncertain: state === 'uncertain',
    attempts: 1,
    createdAt: `2025-01-01T00:00:0${id.length}.000Z`,
    lastAttemptAt: null,
    nextAttemptAt: null,
    deliveredAt: null,
    lastError: state === 'failed' ? { kind: 'remote', message: '传入数据错误' } : null,
    fields: state === 'failed' ? { owner_name: '李先生' } : {},
    ...over,
  }
}

export const status = (over: Partial<SyncStatus> = {}): SyncStatus => ({
  online: true,
  pending: 0,
  sending: 0,
  uncertain: 0,
  failed: 0,
  lastSuccessAt: null,
  flush: null,
  storageProblem: null,
  ...over,
})
