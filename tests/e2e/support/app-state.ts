import type { Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest'
import { buildCallcenterApi } from '../../../shared/ipc/api'
import type { CallcenterApi } from '../../../shared/ipc/contract'
import type { IpcResult } from '../../../shared/ipc/errors'
import type { SeedWorld } from '../../../electron/sandbox/seed'
import {
  launchBrowser,
  watchPage,
  type PageProblems,
  type ProblemsMark,
  type TestBrowser,
} from './browser'
import { startE2eApp, type E2eApp } from './web-app'

/**
 * What every E2E file shares, so that any single test can run alone: the app and a page
 * (beforeAll), the app's services for putting it into the state a test starts from, and
 * openScreen, which loads the page afresh whenever what it shows may not be what the test
 * expects (after a failed test, or after a fixture changed the app behind the page's back).
 */

export const AGENT = { userNum: '00006', password: '888', name: '冯依敏' } as const

export interface E2eSession {
  env: E2eApp
  browser: TestBrowser
  page: Page
  problems: PageProblems
  /** the app's services as the page reaches them: the bridge's dispatcher, the page's origin */
  api: CallcenterApi
  /**
   * The page may not show the app's state: a fixture changed it through the services, or a test
   * failed midway. The next openScreen loads the page afresh.
   */
  stale: boolean
}

/**
 * Starts the app and a browser page on it for this file (beforeAll; closed in afterAll), and
 * fails any test during which the page logged an error or a CSP violation. `prepare` runs
 * before the page first loads (e.g. a WebSocket route); `world` replaces the sandbox's seeded
 * world. Read the fields inside tests and hooks.
 */
export function useE2eSession(
  opts: {
    prepare?: (page: Page) => Promise<void>
    browserArgs?: readonly string[]
    world?: () => SeedWorld
  } = {},
): E2eSession {
  const s = { stale: true } as E2eSession
  beforeAll(async () => {
    s.env = await startE2eApp({ world: opts.world?.() })
    s.browser = await launchBrowser(opts.browserArgs)
    s.page = await s.browser.context.newPage()
    // actions wait this long for their element; a busy machine needs the margin
    s.page.setDefaultTimeout(20_000)
    s.problems = await watchPage(s.page)
    s.api = servicesOf(s.env)
    await opts.prepare?.(s.page)
    // the launch URL carries the bridge token; the page keeps it for later loads
    await s.page.goto(s.env.app.url, { waitUntil: 'load' })
    await appMounted(s.page)
  })
  afterAll(async () => {
    await s.browser?.close()
    await s.env?.close()
  })
  let mark: ProblemsMark = [0, 0, 0]
  beforeEach(({ onTestFailed }) => {
    if (s.problems) mark = s.problems.mark()
    // a test that failed midway leaves its screen in an unknown state
    onTestFailed(() => void (s.stale = true))
  })
  afterEach(() => {
    if (!s.problems) return
    const added = s.problems.since(mark)
    if (added.length > 0) s.stale = true
    expect(added, 'page problems during this test').toEqual([])
  })
  return s
}

export function servicesOf(env: E2eApp): CallcenterApi {
  const ctx = { senderUrl: `${env.app.origin}/` }
  return buildCallcenterApi(
    (channel, args) => env.app.dispatcher.dispatch(channel, args, ctx),
    () => () => {},
  )
}

/** the value of a service call, or a failure naming its error */
export async function ok<T>(call: Promise<IpcResult<T>>): Promise<T> {
  const r = await call
  if (!r.ok) throw new Error(`service call failed: ${JSON.stringify(r.error)}`)
  return r.value
}

/** 00006 logged in and the idle lock open, whatever an earlier test did */
export async function ensureLoggedIn(s: E2eSession): Promise<void> {
  const current = await ok(s.api.session.current())
  if (!current) {
    const login = { userNum: AGENT.userNum, password: AGENT.password, remember: false }
    await ok(s.api.session.login(login))
    s.stale = true
  } else if (current.locked) {
    expect(await ok(s.api.session.unlock({ password: AGENT.password }))).toBe(true)
    s.stale = true
  }
}

export async function ensureLoggedOut(s: E2eSession): Promise<void> {
  if (!(await ok(s.api.session.current()))) return
  await ok(s.api.session.logout())
  s.stale = true
}

/**
 * A screen by its route, resolved once `ready` is on the page. A stale page is loaded afresh
 * (nothing of an earlier screen, store or dialog remains); otherwise the app's router goes
 * there, as a click would: a full load per test would cost seconds each on a busy machine.
 */
export async function openScreen(s: E2eSession, route: string, ready: string): Promise<void> {
  const target = `${s.env.app.origin}/#${route}`
  if (s.stale || !s.page.url().startsWith(`${s.env.app.origin}/`)) {
    // through about:blank: a change of hash alone would not load the page again
    await s.page.goto('about:blank')
    await s.page.goto(target, { waitUntil: 'load' })
  } else if (s.page.url() !== target) {
    await s.page.goto(target)
  }
  await s.page.waitForSelector(ready)
  s.stale = false
}

/**
 * The app has mounted: #app has content. A locator wait, not waitForFunction: a string
 * predicate that has to be polled is evaluated in the page, which the CSP refuses.
 */
export function appMounted(page: Page): Promise<void> {
  return page.locator('#app > *').first().waitFor({ state: 'attached' })
}

/** the visible text of the first element matching `selector` */
export const text = (page: Page, selector: string): Promise<string> =>
  page.locator(selector).first().innerText()
