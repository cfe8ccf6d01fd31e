import { describe, expect, it } from 'vitest'
import { ok, openScreen } from './support/app-state'
import { screenshot, SCREENSHOT_DIR } from './support/browser'
import { recordingOfCall } from './support/recording-check'
import {
  audioFlowsBothWays,
  audioStats,
  customerState,
  registerCustomer,
} from './support/sip-customer'
import { REF, SIP_PASSWORD, useSoftphoneSession, WORKSPACE } from './support/softphone-session'

/**
 * The built-in softphone end to end: the agent's app in Chromium (fake microphone, no ICE
 * servers) through the web bridge, registered to a real Kamailio; a SIPp callee that answers 486;
 * and a "customer" page running JsSIP that answers. The agent works from the keyboard: Alt+D
 * dials, the SIP outcome preselects the result, Enter saves; in a call Alt+J holds, Alt+M mutes,
 * Alt+T and digits send DTMF, Alt+H hangs up. Screenshots: test-results/screenshots/softphone-*.
 */

/** the number on screen at start: Kamailio routes it to the SIPp callee that answers 486 */
let busyNumber: string
const { s, rig } = useSoftphoneSession({
  phone: { extension: '8001', record: true },
  callees: async ({ api }) => {
    busyNumber =
      (await ok(api.calling.currentPhone(REF)))?.phone ??
      (await ok(api.calling.nextPhone(REF))).phone
    return { [busyNumber]: { answer: 'reject', status: 486, reason: 'Busy Here' } }
  },
})
const page = () => s.page
const shot = (name: string) => screenshot(s.page, `softphone-${name}`)
const callState = () => page().locator('[data-test=softphone-call-state]').innerText()

describe('the built-in softphone against Kamailio', () => {
  it('registers, shown in the header', async () => {
    await openScreen(s, WORKSPACE, '[data-test=phone-number]')
    const tag = page().locator('[data-test=softphone-registration]')
    await expect.poll(() => tag.innerText(), { timeout: 20_000 }).toBe('话机已注册')
    await shot('header-registered')
    // the SIP password reached the SIP stack only: never a log line
    expect(JSON.stringify(s.env.logs)).not.toContain(SIP_PASSWORD)
  })

  it(
    'a busy callee (486) preselects 占线, and one key confirms it',
    { timeout: 60_000 },
    async () => {
      await openScreen(s, WORKSPACE, '[data-test=phone-number]')
      await expect
        .poll(() => page().locator('[data-test=softphone-registration]').innerText())
        .toBe('话机已注册')
      await page().locator('[data-test=phone-number]').first().focus()
      await page().keyboard.press('Alt+d')
      await expect.poll(callState, { timeout: 15_000 }).toContain('占线')
      const selected = page().locator('[data-test=callback-item][aria-checked=true]')
      await expect.poll(() => selected.innerText()).toContain('占线')
      await shot('busy-suggested')
      await page().keyboard.press('Enter')
      await expect
        .poll(() => page().locator('[data-test=phone-number]').first().innerText(), {
          timeout: 15_000,
        })
        .not.toContain(busyNumber.slice(-4))
      const rows = await ok(
        s.api.calllog.query({ filter: { search: busyNumber }, page: 1, pageSize: 10 }),
      )
      const row = rows.rows[0]!
      expect(row.callbackItem).toContain('占线')
      expect(row.dialledAt).not.toBeNull()
      expect(row.endedAt).not.toBeNull()
    },
  )

  it(
    'a call the customer answers: audio both ways, hold, mute, DTMF, hang-up, times and recording',
    { timeout: 90_000 },
    async () => {
      await openScreen(s, WORKSPACE, '[data-test=phone-number]')
      const current = (await ok(s.api.calling.currentPhone(REF)))!
      await registerCustomer(rig.customer, {
        wsUrl: rig.pbx.wsUrl,
        domain: rig.pbx.domain,
        number: current.phone,
      })
      await expect
        .poll(() => page().locator('[data-test=softphone-registration]').innerText())
        .toBe('话机已注册')
      await page().locator('[data-test=phone-number]').first().focus()
      const dialledBefore = Date.now()
      await page().keyboard.press('Alt+d')
      await expect.poll(callState, { timeout: 15_000 }).toBe('通话中')
      const answeredAt = Date.now()

      // audio flows both ways: each side receives what the other sends
      await audioFlowsBothWays(page(), rig.customer)
      const agentAudio = await audioStats(page(), 'agent')
      const customerAudio = await audioStats(rig.customer, 'customer')
      console.log(
        `SOFTPHONE audio agent=${JSON.stringify(agentAudio)} customer=${JSON.stringify(customerAudio)}`,
      )
      await shot('in-call')

      await page().keyboard.press('Alt+j')
      await expect
        .poll(async () => (await customerState(rig.customer)).events)
        .toContain('hold:remote')
      await expect(page().locator('[data-test=softphone-held]').isVisible()).resolves.toBe(true)
      await page().keyboard.press('Alt+j')
      await expect
        .poll(async () => (await customerState(rig.customer)).events)
        .toContain('unhold:remote')

      await page().keyboard.press('Alt+m')
      await expect.poll(() => page().locator('[data-test=softphone-muted]').isVisible()).toBe(true)
      const muted = await page().evaluate(() =>
        (
          globalThis as unknown as {
            __pcs: { getSenders(): { track: { enabled: boolean } | null }[] }[]
          }
        ).__pcs
          .at(-1)!
          .getSenders()
          .map((x) => x.track?.enabled),
      )
      expect(muted).toEqual([false])
      await page().keyboard.press('Alt+m')

      await page().keyboard.press('Alt+t')
      await expect.poll(() => page().locator('[data-test=softphone-keypad]').isVisible()).toBe(true)
      await shot('keypad')
      // every key of the keypad reaches the other side: 0–9, * and #
      const tones = ['1', '9', '5', '0', '*', '#']
      for (const d of tones) await page().keyboard.press(d)
      await expect
        .poll(async () => (await customerState(rig.customer)).dtmf, { timeout: 15_000 })
        .toEqual(tones)
      expect(await page().locator('[data-test=softphone-tones]').innerText()).toContain('1950*#')
      // the keypad's digits never picked a result
      expect(await page().locator('[data-test=callback-item][aria-checked=true]').count()).toBe(0)

      // a few seconds of talk, then the agent hangs up
      await new Promise((r) => setTimeout(r, 3000))
      await page().keyboard.press('Alt+h')
      const endedAt = Date.now()
      await expect
        .poll(async () => (await customerState(rig.customer)).events)
        .toContain('ended:remote')
      await expect.poll(callState).toContain('已接通')
      await shot('ended')

      await page().locator('[data-test=callback-item]').first().click()
      await page().keyboard.press('Enter')
      await expect
        .poll(
          async () =>
            (
              await ok(
                s.api.calllog.query({ filter: { search: current.phone }, page: 1, pageSize: 10 }),
              )
            ).rows.length,
          { timeout: 15_000 },
        )
        .toBe(1)
      const row = (
        await ok(s.api.calllog.query({ filter: { search: current.phone }, page: 1, pageSize: 10 }))
      ).rows[0]!
      const dialled = Date.parse(row.dialledAt!)
      const ended = Date.parse(row.endedAt!)
      // real times: the INVITE left after the key, the call ended when Alt+H was pressed
      expect(dialled).toBeGreaterThanOrEqual(dialledBefore - 1000)
      expect(dialled).toBeLessThanOrEqual(answeredAt)
      expect(Math.abs(ended - endedAt)).toBeLessThan(2000)
      console.log(`SOFTPHONE call dialled→ended ${ended - dialled} ms, duration ${row.durationS} s`)

      // the recording: one file under the data dir, linked from its row, as long as the talk
      const recording = (await recordingOfCall(s, rig.customer, row))!
      expect(recording).not.toBeNull()
      const { bytes, seconds } = recording
      expect(bytes).toBeGreaterThan(5000)
      const talk = (endedAt - answeredAt) / 1000
      console.log(
        `SOFTPHONE recording ${bytes} bytes, ${seconds.toFixed(2)} s for ${talk.toFixed(2)} s of talk`,
      )
      expect(seconds).toBeGreaterThan(talk - 2.5)
      expect(seconds).toBeLessThan(talk + 2.5)
    },
  )
  it('plays the recording from its call-log row in supervisor mode', async () => {
    await ok(s.api.calllog.setSupervisorPassword({ next: 'Zg-主管-7731' }))
    s.stale = true
    await openScreen(s, '/history', '[data-test=calllog-table]')
    const play = page().locator('[data-test=recording-play]').first()
    await play.click()
    const audio = page().locator('[data-test=recording-audio]')
    await audio.waitFor()
    // the player has the file's bytes: a duration once the metadata is read
    await expect
      .poll(() => audio.evaluate((a) => (a as unknown as { readyState: number }).readyState))
      .toBeGreaterThanOrEqual(1)
    expect(await audio.getAttribute('title')).toMatch(/\.webm$/)
    await shot('calllog-recording')
  })

  it('shows the 软电话 settings as the center set them, the password kept out of sight', async () => {
    await openScreen(s, '/settings', '[data-test=softphone-settings]')
    const form = page().locator('[data-test=softphone-settings]')
    await form.scrollIntoViewIfNeeded()
    expect(await page().inputValue('[id="setting-softphone.wsUrl"]')).toBe(rig.pbx.wsUrl)
    expect(await page().inputValue('[id="setting-softphone.password"]')).toBe('')
    expect(await page().getAttribute('[id="setting-softphone.password"]', 'placeholder')).toBe(
      '已保存（留空则不修改）',
    )
    await form.screenshot({ path: `${SCREENSHOT_DIR}/softphone-settings.png` })
  })
})
