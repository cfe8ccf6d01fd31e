import { describe, expect, it } from 'vitest'
import { ensureLoggedIn, ok, openScreen, text as textOf, useE2eSession } from './support/app-state'
import { screenshot } from './support/browser'
import { keyCounter } from './support/key-counter'
import { PACKAGE_ID, PROJECT_ID } from './support/workspace-state'

/**
 * The call form from the keyboard alone, in Chromium through the web bridge: the keys each
 * common call needs, counted and printed (`KEYS <call> <n>`), the `?` list, and 勿扰 by its
 * outcome key. Screenshots: test-results/screenshots/workspace-keys-*.png.
 */

const s = useE2eSession()
const page = () => s.page
const text = (selector: string) => textOf(s.page, selector)
const shot = (name: string) => screenshot(s.page, `workspace-keys-${name}`)
const WORKSPACE = `/work/${PROJECT_ID}/${PACKAGE_ID}`

async function atNumber(): Promise<string> {
  await ensureLoggedIn(s)
  await openScreen(s, WORKSPACE, '[data-test=phone-number]')
  // the number has the focus on arrival: the agent's keys work at once
  await expect
    .poll(() => page().evaluate('document.activeElement?.dataset?.test'))
    .toBe('phone-number')
  return (await text('[data-test=phone-number]')).trim()
}

async function nextAfter(previous: string): Promise<void> {
  await expect
    .poll(async () => (await text('[data-test=phone-number]').catch(() => '')).trim(), {
      timeout: 20_000,
    })
    .not.toBe(previous)
}

const savedRow = async (phone: string) =>
  (await ok(s.api.calllog.query({ filter: { search: phone } }))).rows[0]

describe('the common calls, counted', () => {
  it('no answer: 3 Enter', async () => {
    const phone = await atNumber()
    const keys = keyCounter(page)
    await keys.press('3')
    await keys.press('Enter')
    await nextAfter(phone)
    console.log(`KEYS no-answer ${keys.count}`)
    expect(keys.count).toBeLessThanOrEqual(3)
    expect(await savedRow(phone)).toMatchObject({ callbackItem: '无人接听' })
  })

  it('a note, a follow-up date and an intent: 2 B Alt+3 Alt+N <text> Ctrl+Enter', async () => {
    const phone = await atNumber()
    const keys = keyCounter(page)
    await keys.press('2')
    await keys.press('b')
    await keys.press('Alt+3')
    await keys.press('Alt+n')
    await keys.type('周六上午带家人看样板间')
    await shot('full-call')
    await keys.press('Control+Enter')
    await nextAfter(phone)
    console.log(`KEYS full-call ${keys.count} (plus the note's text)`)
    expect(keys.count).toBeLessThanOrEqual(8)
    const row = await savedRow(phone)
    expect(row).toMatchObject({ callbackItem: '继续跟进', notes: '周六上午带家人看样板间' })
    expect(row?.nextFollowDate).toMatch(/^\d{4}-\d{2}-\d{2}$/)
  })

  it('勿扰: 9 Enter puts the number on the 勿扰 list', async () => {
    const phone = await atNumber()
    const keys = keyCounter(page)
    await keys.press('9')
    await keys.press('Enter')
    await nextAfter(phone)
    console.log(`KEYS do-not-call ${keys.count}`)
    expect(keys.count).toBeLessThanOrEqual(3)
    expect(await savedRow(phone)).toMatchObject({ callbackItem: '要求勿扰', dnc: true })
  })
})

describe('keys on screen and focus', () => {
  it('lists every key with ? and closes with Esc, the focus back on the number', async () => {
    await atNumber()
    await page().keyboard.press('?')
    await page().waitForSelector('[data-test=key-help] [data-test=key-row]')
    expect(
      await page().locator('[data-test=key-help] [data-test=key-row]').count(),
    ).toBeGreaterThan(14)
    expect(await text('[data-test=key-help]')).toContain('写备注')
    await shot('help')
    await page().keyboard.press('Escape')
    await page().waitForSelector('[data-test=key-help]', { state: 'hidden' })
    await expect
      .poll(() => page().evaluate('document.activeElement?.dataset?.test'))
      .toBe('phone-number')
  })

  it('the sync panel (Alt+S) closed with Esc gives the focus back: Enter then saves', async () => {
    const phone = await atNumber()
    await page().keyboard.press('Alt+s')
    await page().waitForSelector('[data-test=sync-panel]')
    await page().keyboard.press('Escape')
    await page().waitForSelector('.el-drawer', { state: 'hidden' })
    await expect
      .poll(() => page().evaluate('document.activeElement?.dataset?.test'))
      .toBe('phone-number')
    await page().keyboard.press('3')
    await page().keyboard.press('Enter')
    await nextAfter(phone)
  })

  it('勿扰 by its button asks with Cancel focused, and is undone with Alt+Z', async () => {
    await atNumber()
    await page().keyboard.press('Alt+w')
    await page().waitForSelector('[data-test=confirm]')
    await expect.poll(() => page().evaluate('document.activeElement?.dataset?.test')).toBe('cancel')
    await shot('dnc-confirm')
    await page().locator('[data-test=confirm]').click()
    await page().waitForSelector('[data-test=dnc-marked]')
    await shot('dnc-marked')
    await page().keyboard.press('Alt+z')
    await page().waitForSelector('[data-test=dnc-marked]', { state: 'detached' })
  })

  it('keeps what was typed when the agent leaves the workspace and comes back', async () => {
    const phone = await atNumber()
    await page().keyboard.press('2')
    await page().keyboard.press('Alt+n')
    await page().keyboard.type('客户在开会，晚点回电')
    await openScreen(s, '/projects', '[data-test=project]')
    await openScreen(s, WORKSPACE, '[data-test=phone-number]')
    expect((await text('[data-test=phone-number]')).trim()).toBe(phone)
    await expect
      .poll(() => page().locator('textarea[data-test=notes]').inputValue())
      .toBe('客户在开会，晚点回电')
    expect(await text('[data-test=callback-item][aria-checked=true]')).toContain('继续跟进')
    await shot('draft-restored')
  })

  it('logged no console error, no uncaught error and no CSP violation', () => {
    expect(s.problems.all()).toEqual([])
  })
})
