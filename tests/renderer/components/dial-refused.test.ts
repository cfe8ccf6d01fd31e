import { beforeEach, describe, expect, it } from 'vitest'
import WorkspaceView from '../../../renderer/src/views/WorkspaceView.vue'
import { createAppI18n } from '../../../renderer/src/i18n'
import { useSessionStore } from '../../../renderer/src/stores/session'
import { session } from '../support/fake-api'
import { flushPromises, mountWith, setup, type Setup } from '../support/mount'

/** A dial refused by main's rules, from the dial key: its reason shows on the number card. */

let s: Setup
beforeEach(async () => {
  s = setup()
  useSessionStore().info = { ...session }
  await s.router.push('/work/141/467')
  s.fake.fail('calling', 'dial', {
    kind: 'dial-refused',
    message: '现在不在允许的外呼时段（09:00-12:00），12/02 09:00 起可拨打',
    code: 'hours',
    params: { windows: '09:00-12:00', opens: '12/02 09:00' },
  })
})

const altD = async () => {
  ;(document.activeElement ?? document.body).dispatchEvent(
    new KeyboardEvent('keydown', { key: 'd', altKey: true, bubbles: true, cancelable: true }),
  )
  await flushPromises()
}

describe('a refused dial by key', () => {
  it('shows main’s reason on the number card (Chinese as main says it)', async () => {
    const w = await mountWith(WorkspaceView, s, {
      props: { projectId: 141, packageId: 467 },
      attachTo: document.body,
    })
    await flushPromises()
    await altD()
    expect(w.find('.phone-card [role=alert]').text()).toContain('12/02 09:00 起可拨打')
    w.unmount()
  })

  it('in English, worded by its code with main’s values', async () => {
    const w = await mountWith(WorkspaceView, s, {
      props: { projectId: 141, packageId: 467 },
      attachTo: document.body,
      global: { plugins: [s.pinia, createAppI18n('en-US'), s.router] },
    })
    await flushPromises()
    await altD()
    expect(w.find('.phone-card [role=alert]').text()).toBe(
      'Outside the calling hours (09:00-12:00); calling opens at 12/02 09:00',
    )
    w.unmount()
  })
})
