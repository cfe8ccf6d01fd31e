import { existsSync } from 'node:fs'
import type { Page, WebSocketRoute } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import type { UpdateStatus } from '../../shared/updates'
import { ensureLoggedIn, openScreen, useE2eSession } from './support/app-state'
import { screenshot } from './support/browser'

/**
 * The update banner and the settings' update and diagnostics sections in Chromium. The web app
 * cannot update itself (main reports 'unsupported'), so the banner's states are pushed into the
 * bridge's socket as main's updateStatus events would arrive. Screenshots:
 * test-results/screenshots/updates-*.png.
 */

let socket: WebSocketRoute | undefined
/** whether this document already echoes updateStatus events to the console */
let echoing = false

const s = useE2eSession({
  async prepare(page: Page) {
    // the page's socket to the bridge, passed through, with a way to add main's events
    await page.routeWebSocket(/^ws:\/\/127\.0\.0\.1/, (ws) => {
      ws.connectToServer()
      socket = ws
    })
    page.on('domcontentloaded', () => (echoing = false))
  },
})
const page = () => s.page

const status = (over: Partial<UpdateStatus>): UpdateStatus => ({
  channel: 'stable',
  currentVersion: '0.1.0',
  state: 'idle',
  available: null,
  progress: null,
  error: null,
  lastCheckedAt: null,
  waitingForCallToEnd: false,
  ...over,
})
const available = { version: '0.2.0', releaseDate: '2025-03-01T00:00:00.000Z' }
const ECHO = 'e2e:updateStatus '

/** logged in, on the projects screen, with the page echoing updateStatus events */
async function onProjects(): Promise<void> {
  await ensureLoggedIn(s)
  await openScreen(s, '/projects', '[data-test=project]')
  if (echoing) return
  // a listener of the test's own, after the app's: when it has run, the app has the event
  await page().evaluate(`(() => {
    window.callcenter.on('updateStatus', (s) => console.info(${JSON.stringify(ECHO)} + JSON.stringify(s)))
    return null
  })()`)
  echoing = true
}

/** as main's updater would: an updateStatus event on the bridge's socket, once the page has it */
async function push(over: Partial<UpdateStatus>): Promise<void> {
  expect(socket).toBeDefined()
  const payload = status(over)
  const heard = page().waitForEvent('console', (m) => m.text() === ECHO + JSON.stringify(payload))
  socket!.send(JSON.stringify({ event: 'cc:event:updateStatus', payload }))
  await heard
}

const shot = (name: string) => screenshot(page(), `updates-${name}`)
const banner = () => page().locator('[data-test=update-banner]')

describe('the update banner', () => {
  it('shows nothing for the web app (unsupported) or while idle', async () => {
    await onProjects()
    expect(await banner().count()).toBe(0)
    await push({ state: 'idle' })
    await push({ state: 'not-available' })
    expect(await banner().count()).toBe(0)
  })

  it('offers a new version', async () => {
    await onProjects()
    await push({ state: 'available', available })
    await banner().waitFor()
    expect(await banner().innerText()).toContain('新版本 0.2.0 可用')
    await shot('banner-available')
  })

  it('shows the download’s progress', async () => {
    await onProjects()
    await push({
      state: 'downloading',
      available,
      progress: { percent: 42, transferred: 42, total: 100 },
    })
    await page().waitForSelector('[data-test=update-progress]')
    expect(await page().locator('[data-test=update-progress]').getAttribute('aria-valuenow')).toBe(
      '42',
    )
    await shot('banner-downloading')
  })

  it('offers the restart, or says it waits for the call to end', async () => {
    await onProjects()
    await push({ state: 'downloaded', available })
    await page().waitForSelector('[data-test=update-install]')
    expect(await banner().innerText()).toContain('重启以更新')
    await shot('banner-downloaded')
    await push({ state: 'downloaded', available, waitingForCallToEnd: true })
    await page().waitForSelector('[data-test=update-waiting]')
    expect(await banner().innerText()).toContain('当前通话保存后将自动重启并安装更新')
    await shot('banner-waiting')
  })

  it('shows an error in Chinese, and goes when dismissed', async () => {
    await onProjects()
    await push({ state: 'error', error: '更新文件校验失败，已放弃安装' })
    await page().waitForSelector('[data-test=update-error]')
    expect(await banner().innerText()).toContain('更新失败：更新文件校验失败，已放弃安装')
    await shot('banner-error')
    await page().locator('[data-test=update-dismiss]').click()
    await banner().waitFor({ state: 'detached' })
    await push({ state: 'unsupported' })
    expect(await banner().count()).toBe(0)
  })
})

describe('the settings', () => {
  it('checks for updates and says this build cannot update itself', async () => {
    await ensureLoggedIn(s)
    await openScreen(s, '/projects', '[data-test=project]')
    await page().locator('.app-header a', { hasText: '设置' }).click()
    await page().waitForSelector('[data-test=update-settings]')
    await page().locator('[data-test=check-updates]').click()
    await expect
      .poll(() => page().locator('[data-test=update-status]').innerText())
      .toBe('此版本不支持自动更新（开发版或网页版）')
  })

  it('exports the diagnostics and shows the file', async () => {
    await ensureLoggedIn(s)
    await openScreen(s, '/settings', '[data-test=update-settings]')
    await page().locator('[data-test=export-diagnostics]').click()
    await page().waitForSelector('[data-test=diagnostics-result], [data-test=diagnostics-error]')
    expect(await page().locator('[data-test=diagnostics-error]').count()).toBe(0)
    const line = await page().locator('[data-test=diagnostics-result]').innerText()
    const file = /已保存到：(.+)（/.exec(line)?.[1]
    expect(file).toBeTruthy()
    expect(existsSync(file!)).toBe(true)
    await shot('settings')
  })

  it('logged no console error, no uncaught error and no CSP violation', () => {
    expect(s.problems.all()).toEqual([])
    expect(s.browser.offHost).toEqual([])
  })
})
