import { mount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent } from 'vue'
import { useIdleLock } from '../../../renderer/src/composables/session/useIdleLock'
import { useSessionStore } from '../../../renderer/src/stores/session'
import { useSettingsStore } from '../../../renderer/src/stores/settings'
import { useWorkspaceStore } from '../../../renderer/src/stores/workspace'
import { defaultSettings } from '../../../shared/settings'
import { session } from '../support/fake-api'
import { setup, type Setup } from '../support/mount'

const Host = defineComponent({
  setup() {
    useIdleLock()
    return () => null
  },
})

let s: Setup
beforeEach(() => {
  vi.useFakeTimers()
  s = setup()
  useSessionStore().info = { ...session }
  useSettingsStore().settings = { ...defaultSettings, idleLockMinutes: 2 }
})
afterEach(() => vi.useRealTimers())

const mountHost = () => mount(Host, { global: { plugins: [s.pinia] } })

describe('the idle lock', () => {
  it('locks after the configured minutes without input', async () => {
    const w = mountHost()
    await vi.advanceTimersByTimeAsync(119_000)
    expect(useSessionStore().locked).toBe(false)
    await vi.advanceTimersByTimeAsync(6_000)
    expect(useSessionStore().locked).toBe(true)
    expect(s.fake.fn('session', 'lock')).toHaveBeenCalledTimes(1)
    w.unmount()
  })

  it('starts counting again on each key or mouse input', async () => {
    const w = mountHost()
    await vi.advanceTimersByTimeAsync(100_000)
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'a' }))
    await vi.advanceTimersByTimeAsync(100_000)
    window.dispatchEvent(new MouseEvent('mousemove'))
    await vi.advanceTimersByTimeAsync(100_000)
    expect(useSessionStore().locked).toBe(false)
    await vi.advanceTimersByTimeAsync(30_000)
    expect(useSessionStore().locked).toBe(true)
    w.unmount()
  })

  it('never locks with 0 minutes, nor during a call', async () => {
    useSettingsStore().settings = { ...defaultSettings, idleLockMinutes: 0 }
    const w = mountHost()
    await vi.advanceTimersByTimeAsync(60 * 60_000)
    expect(useSessionStore().locked).toBe(false)
    useSettingsStore().settings = { ...defaultSettings, idleLockMinutes: 1 }
    useWorkspaceStore().markDialled()
    await vi.advanceTimersByTimeAsync(10 * 60_000)
    expect(useSessionStore().locked).toBe(false)
    useWorkspaceStore().markEnded()
    await vi.advanceTimersByTimeAsync(70_000)
    expect(useSessionStore().locked).toBe(true)
    w.unmount()
  })

  it('stops watching when unmounted', async () => {
    mountHost().unmount()
    await vi.advanceTimersByTimeAsync(10 * 60_000)
    expect(s.fake.fn('session', 'lock')).not.toHaveBeenCalled()
  })
})
