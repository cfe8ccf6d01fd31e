import { beforeEach, describe, expect, it } from 'vitest'
import WorkspaceView from '../../../renderer/src/views/WorkspaceView.vue'
import { returnToCall } from '../../../renderer/src/composables/input/useReturnFocus'
import { callKeys } from '../../../renderer/src/domain/keys'
import { localDay, addDays } from '../../../renderer/src/composables/format/dates'
import { useProgressiveStore } from '../../../renderer/src/softphone/progressive'
import { useSessionStore } from '../../../renderer/src/stores/session'
import { useSyncStore } from '../../../renderer/src/stores/sync'
import { session } from '../support/fake-api'
import { flushPromises, mountWith, setup, type Setup } from '../support/mount'

/** Every part of the call form has a key, shown on its control; focus comes back to the call. */

let s: Setup
beforeEach(async () => {
  s = setup()
  useSessionStore().info = { ...session }
  await s.router.push('/work/141/467')
})

const mountWorkspace = () =>
  mountWith(WorkspaceView, s, { props: { projectId: 141, packageId: 467 } })
const key = async (k: string, init: KeyboardEventInit = {}, target?: EventTarget) => {
  ;(target ?? document.activeElement ?? document.body).dispatchEvent(
    new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true, ...init }),
  )
  await flushPromises()
}
const saved = () => s.fake.fn('calling', 'saveCallback').mock.calls.map((c) => c[0])

describe('the call form from the keyboard', () => {
  it('sets the intent with A–E and the follow-up date with Alt+1/3/7, each key on its control', async () => {
    const w = await mountWorkspace()
    await key('b')
    expect(w.find('[data-test=intent-B] input').element).toHaveProperty('checked', true)
    await key('3', { altKey: true })
    expect(
      w.find<HTMLInputElement>('input[data-test=follow-date], [data-test=follow-date] input')
        .element.value,
    ).toBe(localDay(addDays(new Date(), 3)))
    expect(w.find('[data-test=follow-in-7]').text()).toContain('Alt+7')
    expect(w.find('[data-test=follow-in-7]').attributes('aria-keyshortcuts')).toBe('Alt+7')
    expect(w.find('[data-test=intent-E]').attributes('aria-keyshortcuts')).toBe('E')
    for (const k of ['Alt+C', 'Alt+K', 'Alt+W']) expect(w.text()).toContain(k)
    w.unmount()
  })

  it('reaches the notes with Alt+N, leaves them with Esc, and saves a full call in a few keys', async () => {
    const w = await mountWorkspace()
    const number = w.find('[data-test=phone-number]').element
    await key('2')
    await key('a')
    await key('7', { altKey: true })
    await key('n', { altKey: true })
    const notes = w.find('textarea[data-test=notes]').element as HTMLTextAreaElement
    expect(document.activeElement).toBe(notes)
    notes.value = '周末带家人看房'
    notes.dispatchEvent(new Event('input'))
    await key('Escape')
    expect(document.activeElement).toBe(number)
    await key('Enter')
    expect(saved()[0]).toMatchObject({
      callbackItem: '继续跟进',
      intent: 'A',
      notes: '周末带家人看房',
      nextFollowDate: localDay(addDays(new Date(), 7)),
    })
    w.unmount()
  })

  it('saves with Enter from the date field and from the follow-up content', async () => {
    const w = await mountWorkspace()
    await key('1')
    await key('f', { altKey: true })
    const date = document.activeElement as HTMLInputElement
    expect(date.type).toBe('date')
    await key('Enter')
    expect(saved()).toHaveLength(1)
    await key('1')
    await key('g', { altKey: true })
    await key('Enter')
    expect(saved()).toHaveLength(2)
    w.unmount()
  })

  it('lists every key in the ? overlay, in Chinese', async () => {
    const w = await mountWorkspace()
    await key('?')
    const rows = document.querySelectorAll('[data-test=key-help] [data-test=key-row]')
    expect(rows).toHaveLength(callKeys.length)
    const text = document.querySelector('[data-test=key-help]')?.textContent ?? ''
    expect(text).toContain('写备注')
    expect(text).toContain('Alt+N')
    // keys do not reach the call under the overlay
    await key('3', {}, document.body)
    expect(w.find('[data-test=callback-item][aria-checked=true]').exists()).toBe(false)
    w.unmount()
  })

  it('gives the focus back to the number after the sync panel or a status change', async () => {
    const w = await mountWorkspace()
    const number = w.find('[data-test=phone-number]').element
    const sync = useSyncStore()
    const elsewhere = document.body.appendChild(document.createElement('button'))
    sync.openPanel()
    await flushPromises()
    elsewhere.focus()
    sync.panelOpen = false
    await flushPromises()
    expect(document.activeElement).toBe(number)
    // the drawer hands its trigger the focus after its transition: taken back
    elsewhere.focus()
    expect(document.activeElement).toBe(number)
    elsewhere.blur()
    ;(document.activeElement as HTMLElement | null)?.blur()
    elsewhere.focus()
    returnToCall()
    await flushPromises()
    expect(document.activeElement).toBe(number)
    elsewhere.remove()
    w.unmount()
  })

  it('asks before 勿扰 with Cancel focused; a confirmed 勿扰 is undone with Alt+Z', async () => {
    const w = await mountWorkspace()
    await key('w', { altKey: true })
    await new Promise((r) => setTimeout(r, 50))
    await flushPromises()
    const cancel = document.querySelector('[data-test=cancel]')
    expect(cancel).not.toBeNull()
    expect(document.activeElement).toBe(cancel)
    ;(document.querySelector('[data-test=confirm]') as HTMLButtonElement).click()
    await flushPromises()
    expect(s.fake.fn('calling', 'markDnc')).toHaveBeenCalledTimes(1)
    expect(w.find('[data-test=dnc-marked]').text()).toContain('Alt+Z')
    expect(w.find('[data-test=callback-item][aria-checked=true]').text()).toContain('要求勿扰')
    expect(s.fake.fn('calling', 'saveCallback')).not.toHaveBeenCalled()
    await key('z', { altKey: true }, document.body)
    expect(s.fake.fn('calling', 'undoDnc')).toHaveBeenCalledTimes(1)
    expect(w.find('[data-test=dnc-marked]').exists()).toBe(false)
    w.unmount()
  })
})

describe('progressive mode behind a panel', () => {
  it('the sync panel over the call holds the countdown; closing it lets the countdown go on', async () => {
    s.fake.answer('softphone', 'preview', { allowed: true })
    const w = await mountWorkspace()
    const progressive = useProgressiveStore()
    await progressive.start('13800001111', 30, () => undefined)
    expect(progressive.phase).toBe('countdown')
    useSyncStore().panelOpen = true
    await flushPromises()
    expect(progressive.phase).toBe('paused')
    useSyncStore().panelOpen = false
    await flushPromises()
    expect(progressive.phase).toBe('countdown')
    progressive.cancel()
    w.unmount()
  })
})
