import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import SoftphoneCallBar from '../../../renderer/src/softphone/SoftphoneCallBar.vue'
import { useProgressiveStore } from '../../../renderer/src/softphone/progressive'
import { useSoftphoneStore } from '../../../renderer/src/softphone/store'
import { callKeys } from '../../../renderer/src/domain/keys'
import { useWorkspaceStore } from '../../../renderer/src/stores/workspace'
import { flushPromises, mountWith, setup, type Setup } from '../support/mount'

let s: Setup
beforeEach(() => {
  s = setup()
})
afterEach(() => {
  vi.useRealTimers()
})

/** a key as the agent presses it on the focused page; true when something took it */
function press(key: string, init: KeyboardEventInit = {}): boolean {
  const e = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...init })
  document.body.dispatchEvent(e)
  return e.defaultPrevented
}

describe('the DTMF keypad', () => {
  it('sends 0–9, * and # while open in an answered call, and leaves the digits alone otherwise', async () => {
    const w = await mountWith(SoftphoneCallBar, s)
    const phone = useSoftphoneStore()
    const sent: string[] = []
    // the store's own dtmf needs a SIP session: record what reaches it instead
    phone.$onAction(({ name, args }) => {
      if (name === 'dtmf') sent.push(String(args[0]))
    })
    phone.state = 'answered'
    // keypad closed: 1 is the workspace's (pick a result), nothing here takes it
    expect(press('1')).toBe(false)
    phone.toggleKeypad()
    await flushPromises()
    expect(w.find('[data-test=softphone-keypad]').exists()).toBe(true)
    for (const k of ['0', '1', '9', '*', '#']) expect(press(k), k).toBe(true)
    expect(sent).toEqual(['0', '1', '9', '*', '#'])
    // every key is on its control
    const pad = w.findAll('.pad-key').map((b) => b.text())
    expect(pad).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'])
    // letters and a typing field are not the keypad's
    expect(press('a')).toBe(false)
    // Esc closes it; the digits are the workspace's again
    expect(press('Escape')).toBe(true)
    expect(phone.keypad).toBe(false)
    expect(press('2')).toBe(false)
    w.unmount()
  })

  it('is listed in the ? overlay with the other softphone keys', () => {
    const keys = callKeys.map((k) => k.keys)
    for (const k of ['Alt+M', 'Alt+J', 'Alt+T', '0–9 / * / #', 'Alt+V', 'Alt+Y', 'Alt+P', 'Alt+X'])
      expect(keys).toContain(k)
  })
})

describe('the call bar after a call', () => {
  it('names the result the SIP answer preselected, or asks for one', async () => {
    const w = await mountWith(SoftphoneCallBar, s)
    const phone = useSoftphoneStore()
    const line = () => w.find('[data-test=softphone-call-state]').text()
    phone.state = 'ended'
    phone.lastOutcome = 'invalid-number'
    phone.lastStatus = 404
    useWorkspaceStore().form.callbackItem = '空号/错号'
    await flushPromises()
    expect(line()).toBe('空号或错号（SIP 404），已选“空号/错号”，按 Enter 保存')
    // an answered call: the agent's choice, once made, is named too
    phone.lastOutcome = 'answered'
    phone.lastStatus = 200
    useWorkspaceStore().form.callbackItem = ''
    await flushPromises()
    expect(line()).toBe('已接通，通话已结束，请选择结果')
    useWorkspaceStore().form.callbackItem = '继续跟进'
    await flushPromises()
    expect(line()).toBe('已接通，通话已结束，已选“继续跟进”，按 Enter 保存')
    w.unmount()
  })
})

describe('progressive mode', () => {
  it('counts down and dials; pausing holds the countdown, resuming finishes it', async () => {
    vi.useFakeTimers()
    s.fake.answer('softphone', 'preview', { allowed: true })
    const p = useProgressiveStore()
    const dial = vi.fn()
    await p.start('13800001111', 5, dial)
    expect(p.phase).toBe('countdown')
    expect(p.seconds).toBe(5)
    vi.advanceTimersByTime(2000)
    expect(p.seconds).toBe(3)
    p.togglePause()
    expect(p.phase).toBe('paused')
    vi.advanceTimersByTime(10_000)
    expect(dial).not.toHaveBeenCalled()
    p.togglePause()
    vi.advanceTimersByTime(3200)
    expect(dial).toHaveBeenCalledTimes(1)
    expect(p.phase).toBe('dialed')
    // the rules were asked without spending a dial
    expect(s.fake.fn('softphone', 'preview')).toHaveBeenCalledWith({ phone: '13800001111' })
    expect(s.fake.fn('softphone', 'authorize')).not.toHaveBeenCalled()
  })

  it('waits while a dialog is over the call and goes on when it closes; an agent’s pause stays', async () => {
    vi.useFakeTimers()
    s.fake.answer('softphone', 'preview', { allowed: true })
    const p = useProgressiveStore()
    const dial = vi.fn()
    await p.start('13800001111', 5, dial)
    vi.advanceTimersByTime(2000)
    p.hold(true)
    expect(p.phase).toBe('paused')
    vi.advanceTimersByTime(10_000)
    expect(dial).not.toHaveBeenCalled()
    p.hold(false)
    expect(p.phase).toBe('countdown')
    expect(p.seconds).toBe(3)
    // paused by the agent: a dialog opening and closing does not resume it
    p.togglePause()
    p.hold(true)
    p.hold(false)
    expect(p.phase).toBe('paused')
    p.togglePause()
    vi.advanceTimersByTime(3200)
    expect(dial).toHaveBeenCalledTimes(1)
  })

  it('skip never dials; a refused number is never counted down and says why', async () => {
    vi.useFakeTimers()
    s.fake.answer('softphone', 'preview', { allowed: true })
    const p = useProgressiveStore()
    const dial = vi.fn()
    await p.start('13800001111', 3, dial)
    p.skip()
    vi.advanceTimersByTime(10_000)
    expect(p.phase).toBe('skipped')
    s.fake.answer('softphone', 'preview', {
      allowed: false,
      reason: 'dnc',
      message: '138****2222 在勿扰名单中，不能拨打',
      opensAt: null,
    })
    await p.start('13800002222', 3, dial)
    vi.advanceTimersByTime(10_000)
    expect(p.phase).toBe('refused')
    expect(p.reason).toContain('勿扰')
    expect(dial).not.toHaveBeenCalled()
  })
})
