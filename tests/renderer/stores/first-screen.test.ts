import { beforeEach, describe, expect, it } from 'vitest'
import { askFirstScreen } from '../../../renderer/src/stores/first-screen'
import { useSessionStore } from '../../../renderer/src/stores/session'
import { useSettingsStore } from '../../../renderer/src/stores/settings'
import { defaultSettings } from '../../../shared/settings'
import { session } from '../support/fake-api'
import { setup, type Setup } from '../support/mount'

/** The first screen's state is asked for once, early, and each early answer is used once. */

let s: Setup
beforeEach(() => {
  s = setup()
})

describe('the first screen', () => {
  it('is asked for before the stores exist, and the stores take those answers', async () => {
    s.fake.answer('session', 'current', session)
    s.fake.answer('settings', 'get', { ...defaultSettings, language: 'en-US' })
    askFirstScreen()
    expect(s.fake.fn('session', 'current')).toHaveBeenCalledTimes(1)
    expect(s.fake.fn('session', 'remembered')).toHaveBeenCalledTimes(1)
    expect(s.fake.fn('settings', 'get')).toHaveBeenCalledTimes(1)

    await useSessionStore().restore()
    await useSettingsStore().load()
    expect(useSessionStore().info).toEqual(session)
    expect(useSettingsStore().settings?.language).toBe('en-US')
    // nothing was asked twice
    expect(s.fake.fn('session', 'current')).toHaveBeenCalledTimes(1)
    expect(s.fake.fn('settings', 'get')).toHaveBeenCalledTimes(1)
  })

  it('answers only once: a later load asks main again and sees the change', async () => {
    askFirstScreen()
    await useSettingsStore().load()
    s.fake.answer('settings', 'get', { ...defaultSettings, language: 'en-US' })
    await useSettingsStore().load()
    expect(s.fake.fn('settings', 'get')).toHaveBeenCalledTimes(2)
    expect(useSettingsStore().settings?.language).toBe('en-US')
  })

  it('an early failure reaches the store that takes it, as its own would', async () => {
    s.fake.fail('settings', 'get', { kind: 'internal', message: '设置文件损坏' })
    askFirstScreen()
    await useSettingsStore().load()
    expect(useSettingsStore().loadError).toMatchObject({ text: '设置文件损坏' })
  })
})
