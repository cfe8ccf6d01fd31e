import { beforeEach, describe, expect, it } from 'vitest'
import { defaultSettings } from '../../../shared/settings'
import LoginView from '../../../renderer/src/views/LoginView.vue'
import TrainingBanner from '../../../renderer/src/components/layout/TrainingBanner.vue'
import { useSettingsStore } from '../../../renderer/src/stores/settings'
import { flushPromises, mountWith, setup, type Setup } from '../support/mount'

/** Training mode is on every screen, so a practice call is never taken for a real one. */

let s: Setup
beforeEach(() => {
  s = setup()
})

const withTraining = (trainingMode: boolean) =>
  s.fake.answer('settings', 'get', {
    ...defaultSettings,
    servers: { ...defaultSettings.servers, weixin: 'https://crm.example.com/estate' },
    trainingMode,
  })

describe('the training banner', () => {
  it('says in Chinese that calls here never reach the real system, on the login screen', async () => {
    withTraining(true)
    await useSettingsStore().load()
    const w = await mountWith(LoginView, s)
    const banner = w.find('[data-test=training-banner]')
    expect(banner.exists()).toBe(true)
    expect(banner.text()).toContain('培训模式：本机呼叫不会提交到正式系统')
    expect(banner.attributes('role')).toBe('status')
    w.unmount()
  })

  it('is absent when working against the real servers', async () => {
    withTraining(false)
    await useSettingsStore().load()
    const w = await mountWith(LoginView, s)
    expect(w.find('[data-test=training-banner]').exists()).toBe(false)
    w.unmount()
  })

  it('appears and goes as soon as the mode is switched, without a restart', async () => {
    withTraining(false)
    const store = useSettingsStore()
    await store.load()
    const w = await mountWith(TrainingBanner, s)
    expect(w.find('[data-test=training-banner]').exists()).toBe(false)
    withTraining(true)
    s.fake.answer('settings', 'update', {
      ...defaultSettings,
      servers: { ...defaultSettings.servers },
      trainingMode: true,
    })
    await store.update({ trainingMode: true })
    await flushPromises()
    expect(w.find('[data-test=training-banner]').text()).toContain('培训模式')
    w.unmount()
  })
})
