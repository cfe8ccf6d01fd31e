import { beforeEach, describe, expect, it } from 'vitest'
import SyncIndicator from '../../../renderer/src/components/sync/SyncIndicator.vue'
import SyncPanel from '../../../renderer/src/components/sync/SyncPanel.vue'
import { useSyncStore } from '../../../renderer/src/stores/sync'
import { flushPromises, mountWith, setup, type Setup } from '../support/mount'
import { item, status } from '../support/outbox'

let s: Setup
beforeEach(() => {
  s = setup()
})

const rows = () => [...document.querySelectorAll<HTMLElement>('[data-test=outbox-item]')]
const click = async (el: Element | null | undefined) => {
  ;(el as HTMLElement).click()
  await flushPromises()
}

describe('the sync indicator', () => {
  it('shows pending, uncertain and failed counts and the online dot; click opens the panel', async () => {
    const w = await mountWith(SyncIndicator, s)
    useSyncStore().apply(status({ pending: 2, sending: 1, uncertain: 1, failed: 1, online: false }))
    await flushPromises()
    expect(w.find('[data-test=sync-pending]').text()).toBe('待同步 3')
    expect(w.find('[data-test=sync-uncertain]').text()).toBe('可能重复 1')
    expect(w.find('[data-test=sync-failed]').text()).toBe('失败 1')
    expect(w.find('.dot').classes()).toContain('offline')
    expect(w.attributes('aria-label')).toContain('离线')
    await w.trigger('click')
    expect(useSyncStore().panelOpen).toBe(true)
    useSyncStore().apply(status())
    await flushPromises()
    expect(w.text()).toContain('已全部同步')
    w.unmount()
  })
})

describe('the sync panel', () => {
  beforeEach(() => {
    s.fake.answer('sync', 'list', [
      item('a', 'delivered'),
      item('bb', 'failed'),
      item('ccc', 'uncertain'),
    ])
  })

  async function open() {
    const w = await mountWith(SyncPanel, s)
    useSyncStore().openPanel()
    await flushPromises()
    return w
  }

  it('says which system an item of another profile waits for (培训 / 正式)', async () => {
    s.fake.answer('sync', 'list', [
      { ...item('t', 'pending'), profile: 'training', otherProfile: true },
      { ...item('p', 'pending'), profile: 'production', otherProfile: false },
    ])
    await open()
    const notes = [...document.querySelectorAll('[data-test=outbox-other-profile]')]
    expect(notes.map((n) => n.textContent?.trim())).toEqual([
      '培训记录：切回培训模式后发送，不会提交到正式系统',
    ])
  })

  it('lists the items with their state in Chinese and the error reason', async () => {
    const w = await open()
    expect(rows().map((r) => r.dataset.state)).toEqual(['failed', 'uncertain', 'delivered'])
    expect(rows()[0]!.textContent).toContain('失败')
    expect(rows()[0]!.querySelector('[data-test=outbox-error]')?.textContent).toBe('传入数据错误')
    expect(rows()[1]!.textContent).toContain('可能重复')
    expect(rows()[2]!.textContent).toContain('已送达')
    // delivered items have nothing to act on
    expect(rows()[2]!.querySelector('[data-test=retry]')).toBeNull()
    w.unmount()
  })

  it('explains an uncertain item in plain Chinese with what to do, not the transport’s text', async () => {
    s.fake.answer('sync', 'list', [
      item('lost', 'uncertain', {
        lastError: { kind: 'network', message: '置业外呼服务：连接被中断', code: 'reset' },
      }),
      item('cust', 'uncertain', {
        kind: 'weixin.save_to_customer',
        lastError: { kind: 'not-json', message: '置业外呼服务返回的数据不完整或不是 JSON' },
      }),
      item('page', 'pending', {
        lastError: { kind: 'http', message: '置业外呼服务返回了 HTTP 500' },
      }),
    ])
    const w = await open()
    const byId = (t: string) => rows().find((r) => r.textContent?.includes(t))!
    const lost = byId('保存反馈 · lost')
    expect(lost.querySelector('[data-test=outbox-explain]')?.textContent).toContain(
      '在收到服务器答复前连接断开了',
    )
    expect(lost.querySelector('[data-test=outbox-advice]')?.textContent).toContain(
      'Call 客记录里查找这个号码',
    )
    expect(lost.querySelector('[data-test=outbox-error]')).toBeNull()
    const cust = byId('保存反馈 · cust')
    expect(cust.querySelector('[data-test=outbox-explain]')?.textContent).toContain('答复不完整')
    expect(cust.querySelector('[data-test=outbox-advice]')?.textContent).toContain('电子客')
    const page = byId('保存反馈 · page')
    expect(page.textContent).not.toContain('HTTP 500')
    expect(page.querySelector('[data-test=outbox-explain]')?.textContent).toContain('会自动重试')
    w.unmount()
  })

  it('retries an item', async () => {
    const w = await open()
    s.fake.answer('sync', 'retry', item('bb', 'pending'))
    // the panel lists again after an action: main's list is the truth
    s.fake.answer('sync', 'list', [item('a', 'delivered'), item('bb', 'pending')])
    await click(rows()[0]!.querySelector('[data-test=retry]'))
    expect(s.fake.fn('sync', 'retry')).toHaveBeenCalledWith({ id: 'bb' })
    expect(rows().map((r) => r.dataset.state)).toContain('pending')
    w.unmount()
  })

  it('discards only after the confirmation', async () => {
    const w = await open()
    await click(rows()[0]!.querySelector('[data-test=discard]'))
    expect(s.fake.fn('sync', 'discard')).not.toHaveBeenCalled()
    expect(rows()[0]!.textContent).toContain('确定放弃「保存反馈 · bb」？')
    s.fake.answer('sync', 'discard', item('bb', 'discarded'))
    s.fake.answer('sync', 'list', [item('a', 'delivered'), item('bb', 'discarded')])
    await click(rows()[0]!.querySelector('[data-test=confirm-discard]'))
    expect(s.fake.fn('sync', 'discard')).toHaveBeenCalledWith({ id: 'bb' })
    expect(rows().map((r) => r.dataset.state)).toContain('discarded')
    w.unmount()
  })

  it('edits a failed item’s fields and shows main’s refusal under the field', async () => {
    const w = await open()
    await click(rows()[0]!.querySelector('[data-test=edit]'))
    const input = document.getElementById('edit-bb-owner_name') as HTMLInputElement
    expect(input.value).toBe('李先生')
    input.value = ''
    input.dispatchEvent(new Event('input'))
    s.fake.fail('sync', 'edit', {
      kind: 'invalid-args',
      message: '缺少客户姓名',
      field: 'fields.owner_name',
    })
    document
      .querySelector('[data-test=edit-form]')!
      .dispatchEvent(new Event('submit', { cancelable: true }))
    await flushPromises()
    expect(s.fake.fn('sync', 'edit')).toHaveBeenCalledWith({ id: 'bb', fields: { owner_name: '' } })
    const errors = w
      .findAllComponents({ name: 'ElFormItem' })
      .map((c) => c.props('error') as string)
      .filter(Boolean)
    expect(errors).toEqual(['缺少客户姓名'])
    w.unmount()
  })

  it('syncs now, shows the flush progress and a storage problem prominently', async () => {
    const w = await open()
    s.fake.answer(
      'sync',
      'flush',
      status({
        pending: 5,
        flush: { total: 8, done: 3 },
        storageProblem: '磁盘已满，记录无法保存',
      }),
    )
    await click(document.querySelector('[data-test=flush]'))
    expect(s.fake.fn('sync', 'flush')).toHaveBeenCalled()
    expect(document.querySelector('[data-test=flush-progress]')?.textContent).toContain(
      '正在同步 3/8',
    )
    expect(document.querySelector('[data-test=storage-problem]')?.textContent).toContain('磁盘已满')
    w.unmount()
  })
})
