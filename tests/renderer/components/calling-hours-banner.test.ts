import { beforeEach, describe, expect, it } from 'vitest'
import CallingHoursBanner from '../../../renderer/src/softphone/CallingHoursBanner.vue'
import { mountWith, setup, type Setup } from '../support/mount'

let s: Setup
beforeEach(async () => {
  s = setup()
  await s.router.push('/settings')
})

describe('the calling-hours banner', () => {
  it('is absent while calling is open', async () => {
    const w = await mountWith(CallingHoursBanner, s)
    expect(w.find('[data-test=calling-hours]').exists()).toBe(false)
    w.unmount()
  })

  it('says, before the dial key, that calling is closed and when it opens again', async () => {
    const message = '现在不在允许的外呼时段（09:00-12:00、14:00-20:00），12/02 09:00 起可拨打'
    s.fake.answer('softphone', 'callingHours', {
      open: false,
      message,
      opensAt: '2026-12-02T01:00:00.000Z',
    })
    const w = await mountWith(CallingHoursBanner, s)
    expect(w.find('[data-test=calling-hours]').text()).toContain(message)
    w.unmount()
  })
})
