import { beforeEach, describe, expect, it } from 'vitest'
import { useSyncStore } from '../../../renderer/src/stores/sync'
import { flushPromises, setup, type Setup } from '../support/mount'
import { item, status } from '../support/outbox'

let s: Setup
beforeEach(() => {
  s = setup()
})

describe('the sync store', () => {
  it('follows the syncProgress event after asking sync.status once', async () => {
    s.fake.answer('sync', 'status', status({ pending: 2 }))
    const sync = useSyncStore()
    sync.start()
    await flushPromises()
    expect(sync.waiting).toBe(2)
    s.fake.emit('syncProgress', status({ pending: 0, failed: 1, online: false }))
    expect(sync.waiting).toBe(0)
    expect(sync.needsAttention).toBe(true)
    expect(sync.status?.online).toBe(false)
  })

  it('reads an odd payload without breaking', () => {
    const sync = useSyncStore()
    sync.apply({ pending: 3, failed: 1 } as never)
    expect(sync.status).toMatchObject({
      online: true,
      pending: 3,
      failed: 1,
      sending: 0,
      flush: null,
    })
  })

  it('lists failed and uncertain items first', async () => {
    s.fake.answer('sync', 'list', [
      item('a', 'delivered'),
      item('b', 'pending'),
      item('c', 'failed'),
    ])
    const sync = useSyncStore()
    sync.openPanel()
    await flushPromises()
    expect(sync.items.map((i) => i.id)).toEqual(['c', 'b', 'a'])
  })

  it('retries, edits and discards through main, replacing the item', async () => {
    s.fake.answer('sync', 'list', [item('c', 'failed')])
    const sync = useSyncStore()
    sync.openPanel()
    await flushPromises()
    s.fake.answer('sync', 'retry', item('c', 'pending'))
    await sync.retry('c')
    expect(sync.items[0]?.state).toBe('pending')
    s.fake.answer('sync', 'edit', item('c', 'pending', { fields: { owner_name: '李建华' } }))
    await sync.edit('c', { owner_name: '李建华' })
    expect(s.fake.fn('sync', 'edit')).toHaveBeenCalledWith({
      id: 'c',
      fields: { owner_name: '李建华' },
    })
    s.fake.answer('sync', 'discard', item('c', 'discarded'))
    await sync.discard('c')
    expect(sync.items[0]?.state).toBe('discarded')
  })

  it('flushes and shows the answer, or main’s message', async () => {
    s.fake.answer('sync', 'flush', status({ flush: { total: 10, done: 3 } }))
    const sync = useSyncStore()
    await sync.flush()
    expect(sync.status?.flush).toEqual({ total: 10, done: 3 })
    s.fake.fail('sync', 'flush', { kind: 'storage', message: '磁盘已满' })
    await sync.flush()
    expect(sync.flushError).toMatchObject({ text: '磁盘已满' })
  })
})
