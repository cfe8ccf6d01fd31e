import { mount } from '@vue/test-utils'
import { describe, expect, it, vi } from 'vitest'
import { defineComponent } from 'vue'
import { isTypingTarget, useHotkeys } from '../../../renderer/src/composables/input/useHotkeys'
import { formatDuration } from '../../../renderer/src/composables/calling/useCallTimer'

function host(enabled = () => true) {
  const calls = { digit: vi.fn(), enter: vi.fn(), submit: vi.fn(), d: vi.fn() }
  const w = mount(
    defineComponent({
      setup() {
        useHotkeys(
          { digit: calls.digit, enter: calls.enter, submit: calls.submit, alt: { d: calls.d } },
          enabled,
        )
        return () => null
      },
    }),
  )
  return { calls, w }
}

const press = (key: string, target: EventTarget = document.body, init: KeyboardEventInit = {}) =>
  target.dispatchEvent(
    new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...init }),
  )

describe('useHotkeys', () => {
  it('sends 1-9, Enter, Ctrl+Enter and Alt+letter to their handlers', () => {
    const { calls, w } = host()
    press('7')
    press('0')
    press('Enter')
    press('Enter', document.body, { ctrlKey: true })
    press('d', document.body, { altKey: true })
    expect(calls.digit.mock.calls).toEqual([[7]])
    expect(calls.enter).toHaveBeenCalledTimes(1)
    expect(calls.submit).toHaveBeenCalledTimes(1)
    expect(calls.d).toHaveBeenCalledTimes(1)
    w.unmount()
  })

  it('leaves digits and Enter to text fields, and Enter to buttons', () => {
    const { calls, w } = host()
    const textarea = document.body.appendChild(document.createElement('textarea'))
    const button = document.body.appendChild(document.createElement('button'))
    press('3', textarea)
    press('Enter', textarea)
    press('Enter', button)
    expect(calls.digit).not.toHaveBeenCalled()
    expect(calls.enter).not.toHaveBeenCalled()
    press('Enter', textarea, { ctrlKey: true })
    expect(calls.submit).toHaveBeenCalledTimes(1)
    w.unmount()
    textarea.remove()
    button.remove()
  })

  it('does nothing when disabled or after unmount', () => {
    let on = false
    const { calls, w } = host(() => on)
    press('1')
    on = true
    press('1')
    w.unmount()
    press('1')
    expect(calls.digit).toHaveBeenCalledTimes(1)
  })

  it('knows what typing is', () => {
    const input = document.createElement('input')
    expect(isTypingTarget(input)).toBe(true)
    input.type = 'radio'
    expect(isTypingTarget(input)).toBe(false)
    expect(isTypingTarget(document.createElement('select'))).toBe(true)
    expect(isTypingTarget(document.createElement('div'))).toBe(false)
  })
})

describe('the call timer', () => {
  it('formats mm:ss', () => {
    expect(formatDuration(0)).toBe('00:00')
    expect(formatDuration(65_400)).toBe('01:05')
    expect(formatDuration(-5)).toBe('00:00')
  })
})
