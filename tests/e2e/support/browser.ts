import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium, type BrowserContext, type Page } from 'playwright-core'

/**
 * Debian's Chromium driven by playwright-core (no browser download): headless, a fresh profile
 * per launch, and every request that does not go to 127.0.0.1 refused and recorded.
 */

export const CHROMIUM_PATH = '/usr/bin/chromium'
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
]
export const SCREENSHOT_DIR = resolve(import.meta.dirname, '../../../test-results/screenshots')

export interface TestBrowser {
  context: BrowserContext
  /** requests the page tried to send anywhere but 127.0.0.1 (aborted) */
  offHost: string[]
  close(): Promise<void>
}

/**
 * How requests off 127.0.0.1 are stopped:
 * - 'route' (the tests): each request is paused and looked at by Playwright, so an attempt is
 *   aborted before it is sent. Every request pays a round trip to the test process for it.
 * - 'proxy' (the benchmarks): Chromium sends everything but loopback to a proxy on
 *   127.0.0.1:9 that does not answer, so nothing leaves the machine either; the requests are
 *   recorded as they fail. Page loads are timed without the test harness's own round trips.
 */
export type OffHostGuard = 'route' | 'proxy'

const isLocal = (href: string): boolean => {
  const url = new URL(href)
  return url.hostname === '127.0.0.1' || url.protocol === 'data:'
}

/** `extraArgs`: a file's own Chromium flags (the softphone's fake media devices, for one) */
export async function launchBrowser(
  extraArgs: readonly string[] = [],
  guard: OffHostGuard = 'route',
): Promise<TestBrowser> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'callcenter-chromium-'))
  // Chromium never proxies loopback: 127.0.0.1 goes direct, the rest to the dead proxy
  const proxy = guard === 'proxy' ? ['--proxy-server=http://127.0.0.1:9'] : []
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_ARGS, ...proxy, ...extraArgs],
    viewport: { width: 1280, height: 800 },
    locale: 'zh-CN',
  })
  const offHost: string[] = []
  if (guard === 'proxy') {
    context.on('request', (r) => {
      if (!isLocal(r.url())) offHost.push(r.url())
    })
    return closing(context, offHost, userDataDir)
  }
  await context.route('**/*', (route) => {
    const href = route.request().url()
    if (isLocal(href)) return route.continue()
    offHost.push(href)
    return route.abort('blockedbyclient')
  })
  return closing(context, offHost, userDataDir)
}

function closing(context: BrowserContext, offHost: string[], userDataDir: string): TestBrowser {
  return {
    context,
    offHost,
    async close() {
      await context.close()
      rmSync(userDataDir, { recursive: true, force: true })
    },
  }
}

export interface PageProblems {
  /** console.error messages (Chromium also logs CSP refusals here) */
  consoleErrors: string[]
  /** uncaught exceptions and unhandled rejections */
  pageErrors: string[]
  /** securitypolicyviolation events and DevTools CSP issues */
  cspViolations: string[]
  all(): string[]
  /** where the lists end now, for since() */
  mark(): ProblemsMark
  /** what was added after a mark */
  since(mark: ProblemsMark): string[]
}

export type ProblemsMark = readonly [number, number, number]

/**
 * Watches a page from before its first script: console errors, uncaught errors and CSP
 * violations, the last both from the page's own event and from DevTools' issue list.
 */
export async function watchPage(page: Page): Promise<PageProblems> {
  const problems: PageProblems = {
    consoleErrors: [],
    pageErrors: [],
    cspViolations: [],
    all: () => [...problems.consoleErrors, ...problems.pageErrors, ...problems.cspViolations],
    mark: () => [
      problems.consoleErrors.length,
      problems.pageErrors.length,
      problems.cspViolations.length,
    ],
    since: ([c, p, v]) => [
      ...problems.consoleErrors.slice(c),
      ...problems.pageErrors.slice(p),
      ...problems.cspViolations.slice(v),
    ],
  }
  page.on('console', (m) => {
    if (m.type() === 'error') problems.consoleErrors.push(m.text())
  })
  page.on('pageerror', (e) => problems.pageErrors.push(e.message))
  // Routed through the console so the page gains no global of the test's own. Page code is
  // passed as text: the test runner's transforms must not reach into the browser.
  await page.addInitScript(`document.addEventListener('securitypolicyviolation', (e) => {
    console.error('CSP violation: ' + e.violatedDirective + ' blocked ' + e.blockedURI +
      ' at ' + e.sourceFile + ':' + e.lineNumber + ':' + e.columnNumber)
  })`)
  page.on('console', (m) => {
    if (m.type() === 'error' && m.text().startsWith('CSP violation:')) {
      problems.cspViolations.push(m.text())
    }
  })
  const cdp = await page.context().newCDPSession(page)
  cdp.on('Audits.issueAdded', ({ issue }) => {
    if (issue.code === 'ContentSecurityPolicyIssue') {
      const d = issue.details.contentSecurityPolicyIssueDetails
      problems.cspViolations.push(
        `CSP issue: ${d?.violatedDirective ?? '?'} ${d?.blockedURL ?? ''}`,
      )
    }
  })
  await cdp.send('Audits.enable')
  return problems
}

/**
 * Saves a full-page PNG under test-results/screenshots/ and returns its path. Animations are
 * finished (or, endless ones, stopped) for the shot, so nothing waits for a drawer to settle.
 */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  const file = join(SCREENSHOT_DIR, `${name.replace(/[^\w.-]+/g, '-')}.png`)
  await page.screenshot({ path: file, fullPage: true, animations: 'disabled' })
  return file
}
