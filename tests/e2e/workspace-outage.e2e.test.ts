import { describe, expect, it } from 'vitest'
import {
  ensureLoggedIn,
  ensureLoggedOut,
  ok,
  openScreen,
  text as textOf,
  useE2eSession,
} from './support/app-state'
import { screenshot } from './support/browser'
import { PROJECT_ID } from './support/workspace-state'

/**
 * Working through an outage from the keyboard: the numbers held ahead keep the calls going, the
 * header says 离线 in words, a failed getphone comes back by itself, and the login line never
 * says 可连接 while the server is down. Screenshots: test-results/screenshots/workspace-outage-*.png.
 */

const s = useE2eSession()
const page = () => s.page
const text = (selector: string) => textOf(s.page, selector)
const shot = (name: string) => screenshot(s.page, `workspace-outage-${name}`)
const weixin = () => s.env.sandbox.servers.weixin
const REF = { projectId: PROJECT_ID, packageId: 469 }
const WORKSPACE = `/work/${REF.projectId}/${REF.packageId}`
const shown = async () => (await text('[data-test=phone-number]').catch(() => '')).trim()

describe('an outage during calls', () => {
  it('calls on from the held numbers, says 离线, and takes a number by itself when back', async () => {
    await ensureLoggedIn(s)
    await ok(s.api.catalog.projects())
    await ok(s.api.catalog.callbackItems())
    await openScreen(s, WORKSPACE, '[data-test=phone-number]')
    // the number on screen and 3 more are held on disk before the outage
    await expect
      .poll(async () => (await ok(s.api.calling.held(REF))).phones.length, { timeout: 20_000 })
      .toBe(4)
    await weixin().setOffline(true)
    try {
      const seen = [await shown()]
      for (let i = 0; i < 3; i++) {
        await page().keyboard.press('3')
        await page().keyboard.press('Enter')
        await expect.poll(shown).not.toBe(seen[seen.length - 1])
        seen.push(await shown())
      }
      expect(new Set(seen).size).toBe(4)
      // the saves wait in the outbox, which finds the server gone: the header says so
      await expect
        .poll(() => text('[data-test=header-offline]').catch(() => ''), { timeout: 20_000 })
        .toBe('离线')
      await shot('offline-held')
      // the last held number saved: none left to show, and none to be had
      await page().keyboard.press('3')
      await page().keyboard.press('Enter')
      await page().waitForSelector('[data-test=end-state][data-kind=error]')
      await shot('offline-no-number')
    } finally {
      await weixin().setOffline(false)
    }
    // nobody presses 重试: the number comes by itself, and the header is online again
    await page().waitForSelector('[data-test=phone-number]', { timeout: 40_000 })
    await ok(s.api.sync.flush())
    await expect
      .poll(() => page().locator('[data-test=header-offline]').count(), { timeout: 40_000 })
      .toBe(0)
    await shot('back-online')
  })
})

describe('the login screen while the server is down', () => {
  it('says 无法连接, never 可连接, and 可连接 again once it answers', async () => {
    await ensureLoggedOut(s)
    await weixin().setOffline(true)
    try {
      await openScreen(s, '/login', '[data-test=server-status]')
      await expect
        .poll(() => text('[data-test=server-status]'), { timeout: 20_000 })
        .toContain('无法连接')
      expect(await text('[data-test=server-status]')).not.toContain('可连接')
      await shot('login-offline')
    } finally {
      await weixin().setOffline(false)
    }
    await expect
      .poll(() => text('[data-test=server-status]'), { timeout: 20_000 })
      .toContain('可连接')
  })
})
