import { describe, expect, it } from 'vitest'
import { ensureLoggedIn, ok, openScreen, text as textOf, useE2eSession } from './support/app-state'
import { screenshot } from './support/browser'
import {
  ensureExhausted,
  PACKAGE_ID,
  PROJECT_ID,
  setFollowUpToday,
  type SavedCall,
} from './support/workspace-state'

/**
 * This number's story before the call, the 360 panel's strong signals first, 今日待回访 one key
 * away, a called-through package, and the English UI, from the keyboard alone in Chromium.
 * Screenshots: test-results/screenshots/workspace-story-*.png.
 */

const s = useE2eSession()
const page = () => s.page
const text = (selector: string) => textOf(s.page, selector)
const shot = (name: string) => screenshot(s.page, `workspace-story-${name}`)
const REF = { projectId: PROJECT_ID, packageId: 468 }
const WORKSPACE = `/work/${REF.projectId}/${REF.packageId}`
const active = () => page().evaluate('document.activeElement?.dataset?.test ?? ""')

async function atNumber(): Promise<string> {
  await ensureLoggedIn(s)
  await ok(s.api.catalog.projects())
  await ok(s.api.catalog.callbackItems())
  await openScreen(s, WORKSPACE, '[data-test=phone-number]')
  await expect.poll(active).toBe('phone-number')
  return (await text('[data-test=phone-number]')).trim()
}

describe('this number’s story', () => {
  it('shows what the Data Center knows, newest first, with the strong signals on top', async () => {
    const phone = await atNumber()
    const dc = await ok(s.api.customer.profileDatacenter({ phone, projectId: REF.projectId }))
    // the number is painted first; the story and the panel fill in after
    await page().waitForSelector(
      '[data-test=profile-section][data-system=datacenter]:not([data-status=loading]):not([data-status=idle])',
    )
    const entries = page().locator('[data-test=story-entry][data-source=datacenter]')
    await expect.poll(() => entries.count()).toBe(Math.min(dc.history.length, 6))
    const name = dc.fields.find((f) => f.label === '姓名')?.value
    if (name) expect(await text('[data-test=story-name]')).toContain(name)
    else expect(await text('[data-test=story-empty]')).toContain('没有这个号码的记录')
    // the strong signals come before every system's section
    const order = await page().evaluate(
      `[...document.querySelectorAll('[data-test=strong-signals], [data-test=profile-section]')].map((e) => e.dataset.test)`,
    )
    expect((order as string[])[0]).toBe('strong-signals')
    await shot('number-card')
  })
})

describe('今日待回访', () => {
  it('Alt+R lists today’s follow-ups; Enter opens one with its calls; Esc is back on the call', async () => {
    await ensureLoggedIn(s)
    await ok(s.api.catalog.projects())
    await setFollowUpToday(s, REF)
    await atNumber()
    await page().keyboard.press('Alt+r')
    await page().waitForSelector('[data-test=due-item]')
    expect(await text('[data-test=due-item]')).toContain('回电报价')
    expect(await active()).toBe('due-item')
    await shot('due-today')
    await page().keyboard.press('Enter')
    await page().waitForSelector('[data-test=due-opened]')
    // its earlier calls follow the number as soon as main has read them
    await expect.poll(() => text('[data-test=due-opened]')).toContain('说下午三点后方便')
    await shot('due-opened')
    await page().keyboard.press('Escape')
    await expect.poll(active).toBe('phone-number')
  })
})

describe('a called-through package', () => {
  const saved: SavedCall[] = []

  it('offers the next package, focused; the list greys it and starts on another', async () => {
    await ensureExhausted(s, saved)
    await openScreen(s, `/work/${PROJECT_ID}/${PACKAGE_ID}`, '[data-test=end-state]')
    await expect.poll(active).toBe('to-next-package')
    await shot('exhausted-next')
    await openScreen(s, `/projects/${PROJECT_ID}`, '[data-test=package]')
    const first = page().locator('[data-test=package]').first()
    await expect.poll(() => first.getAttribute('class')).toContain('exhausted')
    await expect.poll(active).toBe('package')
    expect(await page().evaluate('document.activeElement?.classList.contains("exhausted")')).toBe(
      false,
    )
    // the title stays on one line: the back button is not a full-width list row
    const h1 = await page().locator('h1').boundingBox()
    expect(h1?.height ?? 99).toBeLessThan(40)
    await shot('packages')
  })
})

describe('the English UI', () => {
  it('names the 360 sections in English', async () => {
    await ensureLoggedIn(s)
    await ok(s.api.settings.update({ language: 'en-US' }))
    s.stale = true
    try {
      await atNumber()
      const titles = await page().locator('[data-test=profile-section] h3').allInnerTexts()
      expect(titles.join(' ')).not.toMatch(/[\u4e00-\u9fff]/)
      expect(await text('[data-test=strong-signals] h3')).toBe('Strong signals')
      await shot('english')
    } finally {
      await ok(s.api.settings.update({ language: 'zh-CN' }))
      s.stale = true
    }
  })
})
