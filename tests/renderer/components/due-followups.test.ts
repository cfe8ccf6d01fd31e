import { beforeEach, describe, expect, it } from 'vitest'
import WorkspaceView from '../../../renderer/src/views/WorkspaceView.vue'
import { useSessionStore } from '../../../renderer/src/stores/session'
import { logRow, session } from '../support/fake-api'
import { flushPromises, mountWith, setup, type Setup } from '../support/mount'

/** 今日待回访's whole loop from the keyboard: open a follow-up, fill its result, save it once. */

let s: Setup
beforeEach(async () => {
  s = setup()
  useSessionStore().info = { ...session }
  await s.router.push('/work/141/467')
})

const key = async (k: string, init: KeyboardEventInit = {}) => {
  ;(document.activeElement ?? document.body).dispatchEvent(
    new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true, ...init }),
  )
  await flushPromises()
}
const testOf = () => (document.activeElement as HTMLElement | null)?.dataset.test

describe('calling a follow-up due today', () => {
  it('saves outcome, intent and next date for the row that set it, then moves to the next one', async () => {
    const first = logRow(3, { nextFollowDate: '2025-03-03', nextFollowContent: '回电报价' })
    const second = logRow(4, { nextFollowDate: '2025-03-03' })
    s.fake.answer('calling', 'dueToday', [first, second])
    const w = await mountWith(WorkspaceView, s, {
      props: { projectId: 141, packageId: 467 },
      attachTo: document.body,
    })
    await new Promise((r) => setTimeout(r, 60))
    await flushPromises()

    await key('r', { altKey: true })
    expect(testOf()).toBe('due-item')
    document.activeElement!.dispatchEvent(new MouseEvent('click', { bubbles: true }))
    await flushPromises()
    expect(testOf()).toBe('due-number')
    await key('1')
    await key('a')
    await key('3', { altKey: true })
    await key('Enter')
    const save = s.fake.fn('calling', 'saveFollowUp')
    expect(save).toHaveBeenCalledTimes(1)
    expect(save.mock.calls[0]![0]).toMatchObject({
      followUpOf: first.id,
      callbackItem: '接受邀请',
      intent: 'A',
      nextFollowDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    })
    // off the list; the next one has the focus; the workspace's own save was not touched
    expect(document.querySelectorAll('[data-test=due-item]')).toHaveLength(1)
    expect(testOf()).toBe('due-item')
    expect(document.querySelector('[data-test=due-saved]')?.textContent).toContain('接受邀请')
    expect(s.fake.fn('calling', 'saveCallback')).not.toHaveBeenCalled()
    // Enter again (on the next item) opens it rather than saving anything twice
    await key('Enter')
    expect(save).toHaveBeenCalledTimes(1)
    w.unmount()
  })

  it('asks for an outcome before saving', async () => {
    s.fake.answer('calling', 'dueToday', [logRow(5, { nextFollowDate: '2025-03-03' })])
    const w = await mountWith(WorkspaceView, s, {
      props: { projectId: 141, packageId: 467 },
      attachTo: document.body,
    })
    await flushPromises()
    await key('r', { altKey: true })
    document.activeElement!.dispatchEvent(new MouseEvent('click', { bubbles: true }))
    await flushPromises()
    await key('Enter')
    expect(s.fake.fn('calling', 'saveFollowUp')).not.toHaveBeenCalled()
    expect(document.querySelector('[data-test=due-save-error]')?.textContent?.trim()).not.toBe('')
    w.unmount()
  })
})
