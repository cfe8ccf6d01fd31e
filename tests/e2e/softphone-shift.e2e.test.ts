import type { Page } from 'playwright-core'
import { beforeAll, afterAll, describe, expect, it, vi } from 'vitest'
import type { SoftphoneSettings } from '../../shared/softphone-settings'
import { ok, openScreen } from './support/app-state'
import { screenshot } from './support/browser'
import {
  audioStats,
  customerState,
  keepPeerConnections,
  registerCustomer,
} from './support/sip-customer'
import { REF, useSoftphoneSession, WORKSPACE } from './support/softphone-session'
import { PROJECT_ID } from './support/workspace-state'
import { startKamailio } from '../support/sip/kamailio'

/**
 * The softphone through a shift, end to end against Kamailio: the audio devices (Chromium's fake
 * ones), the self-test with a WebRTC echo extension (and what a plain-RTP SIPp echo gives), the
 * phone re-registering by itself after the PBX restarts (a call in progress included),
 * progressive dialing after a save, and a new PBX address applied by a reload the agent confirms.
 * Screenshots: test-results/screenshots/softphone-shift-*.
 */

/** every speaker the app chose (setSinkId), in order, for the test to read */
async function recordSinks(page: Page): Promise<void> {
  await keepPeerConnections(page)
  await page.addInitScript(() => {
    const g = globalThis as unknown as {
      __sinks: string[]
      HTMLMediaElement: { prototype: { setSinkId(id: string): Promise<void> } }
    }
    g.__sinks = []
    const original = g.HTMLMediaElement.prototype.setSinkId
    g.HTMLMediaElement.prototype.setSinkId = function (id: string) {
      g.__sinks.push(id)
      return original.call(this, id)
    }
  })
}
const ECHO = '9196'
const RTP_ECHO = '9197'
const { s, rig } = useSoftphoneSession({
  prepare: recordSinks,
  phone: { extension: '8002', record: false, echoExtension: ECHO },
  callees: async () => ({ [RTP_ECHO]: { answer: 'accept', holdMs: 20_000, echo: true } }),
})
const page = () => s.page
const shot = (name: string) => screenshot(s.page, `softphone-shift-${name}`)
const registration = () => page().locator('[data-test=softphone-registration]').innerText()
const callState = () => page().locator('[data-test=softphone-call-state]').innerText()
const sinks = () => page().evaluate(() => (globalThis as unknown as { __sinks: string[] }).__sinks)

let echo: Page
let phone: SoftphoneSettings

async function setSoftphone(patch: Partial<SoftphoneSettings>): Promise<void> {
  phone = { ...phone, ...patch }
  await ok(s.api.settings.update({ softphone: phone }))
  s.stale = true
}
/** the self-test's lines once it has finished: step → [state, text] */
type Step = 'microphone' | 'speaker' | 'registration' | 'echo'
async function selfTestLines(): Promise<Record<Step, [string, string]>> {
  const dialog = page().locator('[data-test=self-test]')
  await dialog.waitFor()
  await expect
    .poll(() => dialog.locator('[data-state=running], [data-state=waiting]').count(), {
      timeout: 40_000,
    })
    .toBe(0)
  const out = {} as Record<Step, [string, string]>
  for (const step of ['microphone', 'speaker', 'registration', 'echo'] as const) {
    const line = dialog.locator(`[data-test=self-test-${step}]`)
    out[step] = [(await line.getAttribute('data-state')) ?? '', await line.innerText()]
  }
  return out
}
/** WebSocket errors Chromium logs while the PBX is down are expected here, nothing else */
function forgetSocketErrors(): void {
  const errors = s.problems.consoleErrors
  const kept = errors.filter(
    (e) => !/WebSocket connection to 'ws:\/\/127\.0\.0\.1:\d+\/' failed/.test(e),
  )
  errors.splice(0, errors.length, ...kept)
}

beforeAll(async () => {
  phone = rig.settings
  echo = await s.browser.context.newPage()
  await echo.goto(rig.customerServer.url)
  await registerCustomer(echo, {
    wsUrl: rig.pbx.wsUrl,
    domain: rig.pbx.domain,
    number: ECHO,
    echo: true,
  })
  await s.page.bringToFront()
}, 30_000)

afterAll(async () => {
  await echo?.close()
})

describe('the softphone through a shift', () => {
  it('lists the microphones and speakers, and keeps and applies the choice', async () => {
    await openScreen(s, '/settings', '[data-test=audio-devices]')
    const form = page().locator('[data-test=softphone-settings]')
    await form.scrollIntoViewIfNeeded()
    const chosen: Record<string, string> = {}
    for (const kind of ['microphone', 'speaker']) {
      await page().locator(`[data-test=device-${kind}]`).click()
      const options = page().locator('.el-select-dropdown__item:visible')
      // 系统默认 and at least one of Chromium's fake devices
      await expect.poll(() => options.count()).toBeGreaterThanOrEqual(2)
      const names = await options.allInnerTexts()
      console.log(`SOFTPHONE ${kind}s: ${JSON.stringify(names)}`)
      expect(names[0]).toBe('系统默认')
      await options.last().click()
      chosen[kind] = names.at(-1)!
      // closed before the next one opens: a list still fading out would be "visible" too
      await expect.poll(() => options.count()).toBe(0)
    }
    await page().locator('[data-test=save-softphone]').click()
    await expect
      .poll(async () => (await ok(s.api.settings.get())).softphone?.microphoneId ?? '')
      .not.toBe('')
    const saved = (await ok(s.api.settings.get())).softphone!
    expect(saved.speakerId).not.toBe('')
    phone = saved
    // the speaker is applied to the phone's audio at once
    await expect.poll(sinks).toContain(saved.speakerId)
    await form.screenshot({ path: 'test-results/screenshots/softphone-shift-settings.png' })

    // from the workspace: Alt+V, the same choice, kept and applied
    await openScreen(s, WORKSPACE, '[data-test=phone-number]')
    await page().locator('[data-test=phone-number]').first().focus()
    await page().keyboard.press('Alt+v')
    const dialog = page().locator('[data-test=audio-device-dialog]')
    await dialog.waitFor()
    await dialog.locator('[data-test=device-speaker]').click()
    const options = page().locator('.el-select-dropdown__item:visible')
    await options.first().click()
    await expect
      .poll(() => dialog.locator('[data-test=audio-device-note]').innerText())
      .toBe('已切换，立即生效')
    await shot('devices-dialog')
    await expect.poll(sinks).toEqual(expect.arrayContaining(['']))
    expect((await ok(s.api.settings.get())).softphone?.speakerId).toBe('')
    await page().keyboard.press('Escape')
    await dialog.waitFor({ state: 'hidden' })
    phone = (await ok(s.api.settings.get())).softphone!
  })

  it(
    'self-test (Alt+Y): microphone level, speaker tone, registration, and the echo comes back',
    {
      timeout: 60_000,
    },
    async () => {
      await openScreen(s, WORKSPACE, '[data-test=phone-number]')
      await expect.poll(registration, { timeout: 20_000 }).toBe('话机已注册')
      // before the shift: the header asks for a self-test until one has run
      const open = page().locator('[data-test=self-test-open]')
      expect(await open.getAttribute('class')).toContain('el-button--warning')
      await page().keyboard.press('Alt+y')
      // the microphone's level moves while it is listened to
      const level = page().locator('[data-test=self-test-level]')
      await expect
        .poll(async () => Number((await level.getAttribute('aria-valuenow')) ?? 0), {
          timeout: 10_000,
          interval: 50,
        })
        .toBeGreaterThan(0)
      await shot('self-test-level')
      const lines = await selfTestLines()
      console.log(`SOFTPHONE self-test ${JSON.stringify(lines)}`)
      if (lines.echo[0] !== 'pass')
        console.log(
          `SOFTPHONE echo page ${JSON.stringify(await customerState(echo))} ${JSON.stringify(await audioStats(echo, 'customer'))}`,
        )
      expect(lines.microphone[0]).toBe('pass')
      expect(lines.microphone[1]).toContain('有声音输入')
      expect(lines.speaker[0]).toBe('pass')
      expect(lines.registration[0]).toBe('pass')
      expect(lines.echo).toEqual(['pass', expect.stringContaining('回声已返回')])
      // the echo call used the chosen microphone
      const used = await page().evaluate(
        () =>
          (
            globalThis as unknown as {
              __pcs: {
                getSenders(): { track: { getSettings(): { deviceId?: string } } | null }[]
              }[]
            }
          ).__pcs
            .at(-1)!
            .getSenders()[0]
            ?.track?.getSettings().deviceId,
      )
      expect(used).toBe(phone.microphoneId || 'default')
      expect((await customerState(echo)).events).toContain('echoing')
      await shot('self-test-passed')
      await page().keyboard.press('Escape')
      expect(await open.getAttribute('class')).not.toContain('el-button--warning')
    },
  )

  it(
    'self-test without an echo extension skips it; a plain-RTP echo (SIPp -rtp_echo) fails, named',
    {
      timeout: 60_000,
    },
    async () => {
      await setSoftphone({ echoExtension: '' })
      await openScreen(s, '/settings', '[data-test=softphone-settings]')
      await expect.poll(registration, { timeout: 20_000 }).toBe('话机已注册')
      await page().locator('[data-test=settings-self-test]').click()
      let lines = await selfTestLines()
      expect(lines.echo).toEqual(['skip', expect.stringContaining('未配置回声测试分机，已跳过')])
      await shot('self-test-skipped')
      await page().keyboard.press('Escape')

      await setSoftphone({ echoExtension: RTP_ECHO })
      await openScreen(s, WORKSPACE, '[data-test=phone-number]')
      await expect.poll(registration, { timeout: 20_000 }).toBe('话机已注册')
      await page().keyboard.press('Alt+y')
      lines = await selfTestLines()
      console.log(`SOFTPHONE self-test against SIPp -rtp_echo ${JSON.stringify(lines.echo)}`)
      // SIPp answers with plain RTP/AVP: a browser needs DTLS-SRTP and ICE, so no audio flows
      expect(lines.echo).toEqual(['fail', expect.stringContaining('媒体不是 WebRTC')])
      await shot('self-test-rtp-echo')
      await page().keyboard.press('Escape')
      await setSoftphone({ echoExtension: ECHO })
    },
  )

  it(
    're-registers by itself after the PBX restarts; a call in progress keeps its audio',
    {
      timeout: 120_000,
    },
    async () => {
      await openScreen(s, WORKSPACE, '[data-test=phone-number]')
      await expect.poll(registration, { timeout: 20_000 }).toBe('话机已注册')
      const current = (await ok(s.api.calling.currentPhone(REF)))!
      await registerCustomer(rig.customer, {
        wsUrl: rig.pbx.wsUrl,
        domain: rig.pbx.domain,
        number: current.phone,
      })
      await page().locator('[data-test=phone-number]').first().focus()
      await page().keyboard.press('Alt+d')
      await expect.poll(callState, { timeout: 15_000 }).toBe('通话中')
      await vi.waitFor(
        async () => expect((await audioStats(page(), 'agent')).received).toBeGreaterThan(2000),
        {
          timeout: 15_000,
        },
      )

      const restartedAt = Date.now()
      await rig.pbx.restart()
      await expect.poll(registration, { timeout: 10_000 }).not.toBe('话机已注册')
      await expect.poll(registration, { timeout: 45_000, interval: 200 }).toBe('话机已注册')
      console.log(`SOFTPHONE re-registered ${Date.now() - restartedAt} ms after the PBX restart`)
      await expect
        .poll(() => page().locator('[data-test=softphone-recovery]').innerText())
        .toContain('通话声音未中断')
      // the media never went through Kamailio: it kept flowing
      const before = (await audioStats(page(), 'agent')).received
      await vi.waitFor(
        async () =>
          expect((await audioStats(page(), 'agent')).received).toBeGreaterThan(before + 2000),
        { timeout: 10_000 },
      )
      expect(await callState()).toBe('通话中')
      await shot('recovered-call')

      // what Kamailio does not recover: the dialog's route to each side was the WebSocket that
      // dropped, so an in-dialog request (hold's re-INVITE, as an ICE restart would be) reaches
      // no one and JsSIP ends the call. That is why the phone re-INVITEs only when media stopped.
      await page().keyboard.press('Alt+j')
      await expect.poll(callState, { timeout: 40_000 }).not.toBe('通话中')
      expect((await customerState(rig.customer)).events).not.toContain('hold:remote')
      console.log(`SOFTPHONE hold after the PBX restart: ${await callState()}`)
      forgetSocketErrors()
    },
  )
})

describe('progressive dialing and a new PBX address', () => {
  const countdown = () => page().locator('[data-test=progressive-countdown]')
  /** picks the first result and saves: the next number comes */
  async function saveAndNext(): Promise<void> {
    const before = await page().locator('[data-test=phone-number]').first().innerText()
    await page().locator('[data-test=phone-number]').first().focus()
    await page().keyboard.press('1')
    await page().keyboard.press('Enter')
    await expect
      .poll(() => page().locator('[data-test=phone-number]').first().innerText(), {
        timeout: 15_000,
      })
      .not.toBe(before)
  }

  it(
    'after a save the next number is dialed when its countdown runs out; Alt+P pauses, Alt+X skips',
    {
      timeout: 90_000,
    },
    async () => {
      await setSoftphone({ previewSeconds: 2 })
      await openScreen(s, WORKSPACE, '[data-test=phone-number]')
      await expect.poll(registration, { timeout: 20_000 }).toBe('话机已注册')
      await page().locator('[data-test=progressive-switch]').click()
      await expect
        .poll(async () => (await ok(s.api.settings.get())).softphone?.progressiveProjects)
        .toEqual([PROJECT_ID])

      await saveAndNext()
      await expect.poll(() => countdown().innerText()).toMatch(/^\d 秒后自动拨打 1\d{10}$/)
      await page().keyboard.press('Alt+p')
      const paused = page().locator('[data-test=progressive-paused]')
      await paused.waitFor()
      await shot('progressive-paused')
      // paused: nothing is dialed however long the agent takes
      await new Promise((r) => setTimeout(r, 3000))
      expect(await page().locator('[data-test=softphone-call]').count()).toBe(0)
      await page().keyboard.press('Alt+p')
      await countdown().waitFor()
      await shot('progressive-countdown')
      // dialed by itself: no one registered under the number, so Kamailio answers 404 → 空号
      await expect.poll(callState, { timeout: 15_000 }).toContain('空号')

      await saveAndNext()
      await countdown().waitFor()
      await page().keyboard.press('Alt+x')
      await page().locator('[data-test=progressive-skipped]').waitFor()
      await new Promise((r) => setTimeout(r, 3000))
      expect(await page().locator('[data-test=softphone-call]').count()).toBe(0)

      // outside the calling hours the next number is not counted down, and the agent sees why
      const closed = new Date(Date.now() + 3 * 3600_000).toTimeString().slice(0, 2)
      phone = { ...phone, callingWindows: [`${closed}:00-${closed}:30`] }
      await ok(s.api.settings.update({ softphone: phone }))
      await saveAndNext()
      const refused = page().locator('[data-test=progressive-refused]')
      await expect.poll(() => refused.innerText()).toContain('不自动拨打')
      await shot('progressive-refused')
      expect(await countdown().count()).toBe(0)
      await setSoftphone({ callingWindows: ['00:00-24:00'] })
    },
  )

  it(
    'a new PBX address connects after the reload the agent confirms, and nothing typed is lost',
    {
      timeout: 90_000,
    },
    async () => {
      const next = await startKamailio()
      try {
        await openScreen(s, WORKSPACE, '[data-test=phone-number]')
        const note = '客户说下午三点后再打'
        await page().locator('[data-test=notes]').fill(note)
        // the draft is in main before the screen is left
        await page().locator('[data-test=phone-number]').first().focus()
        await openScreen(s, '/settings', '[data-test=softphone-settings]')
        await page().evaluate(() => ((globalThis as unknown as { __loaded: number }).__loaded = 1))
        await page().locator('[id="setting-softphone.wsUrl"]').fill(next.wsUrl)
        // the old PBX goes: registered again can only mean the new one
        await rig.pbx.stop()
        await page().locator('[data-test=save-softphone]').click()
        const confirm = page().locator('.el-dialog:has-text("连接新的 PBX 地址")')
        await confirm.waitFor()
        await shot('reload-confirm')
        await confirm.locator('[data-test=confirm]').click()
        await page().waitForSelector('[data-test=softphone-settings]')
        await expect
          .poll(() =>
            page().evaluate(() => (globalThis as unknown as { __loaded?: number }).__loaded),
          )
          .toBeUndefined()
        await expect.poll(registration, { timeout: 30_000 }).toBe('话机已注册')
        expect(await page().inputValue('[id="setting-softphone.wsUrl"]')).toBe(next.wsUrl)
        await openScreen(s, WORKSPACE, '[data-test=phone-number]')
        await expect.poll(() => page().locator('[data-test=notes]').inputValue()).toBe(note)
        forgetSocketErrors()
      } finally {
        await next.stop()
      }
    },
  )
})
