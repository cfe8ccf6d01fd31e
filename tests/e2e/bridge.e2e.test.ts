import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { eventChannelOf } from '../../shared/ipc/channels'
import { ipcContract } from '../../shared/ipc/contract'
import { appMounted, useE2eSession } from './support/app-state'
import { screenshot, watchPage } from './support/browser'
import { REPO_ROOT } from './support/web-app'

/**
 * The built renderer in Chromium through the web bridge, started exactly as `npm run start:web`
 * starts it. Page code is passed as text so no test-runner transform reaches the browser.
 */

const s = useE2eSession()
const page = () => s.page

const TOKEN_KEY = 'callcenter.bridge.token'
const tokenOf = (url: string): string => new URL(url).searchParams.get('bridge') ?? ''

async function openApp(p: Page, url: string): Promise<void> {
  await p.goto(url, { waitUntil: 'load' })
  await appMounted(p)
}

describe('the app served by the web bridge', () => {
  it('loads with no console errors, no uncaught errors and no CSP violations', async () => {
    await page().waitForLoadState('networkidle')
    expect(s.problems.all()).toEqual([])
    expect(s.browser.offHost).toEqual([])
    expect(s.env.logs.filter((l) => l.level === 'error')).toEqual([])
  })

  it('runs under the renderer’s CSP, sent as a header too', async () => {
    const response = await page().request.get(`${s.env.app.origin}/`)
    const header = response.headers()['content-security-policy'] ?? ''
    expect(header).toContain("script-src 'self'")
    const meta = await page().evaluate(
      `document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.content`,
    )
    // the page's own policy, plus frame-ancestors, which only a header can carry
    expect(header).toBe(`${String(meta).replace(/\s+/g, ' ').trim()}; frame-ancestors 'none'`)
    // the bridge's script is an ordinary same-origin file, no inline script
    const scripts = (await page().evaluate(
      `[...document.scripts].map((s) => s.src ? new URL(s.src).pathname : 'inline')`,
    )) as string[]
    expect(scripts[0]).toBe('/__bridge/client.js')
    expect(scripts).not.toContain('inline')
  })

  it('removes the token from the address bar and keeps it for reloads', async () => {
    const token = tokenOf(s.env.app.url)
    expect(token).toMatch(/^[0-9a-f]{64}$/)
    // hash routing may add #/login; the token must be gone either way
    expect(page().url()).toMatch(
      new RegExp(`^${s.env.app.origin.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/(#/.*)?$`),
    )
    expect(page().url()).not.toContain(token)
    expect(await page().evaluate(`location.href`)).not.toContain(token)
    expect(await page().evaluate(`sessionStorage.getItem(${JSON.stringify(TOKEN_KEY)})`)).toBe(
      token,
    )
  })

  it('exposes window.callcenter with exactly the contract’s services and on()', async () => {
    const shape = (await page().evaluate(`(() => {
      const api = window.callcenter
      const out = { keys: Object.keys(api).sort(), on: typeof api.on, services: {} }
      for (const k of Object.keys(api)) {
        if (typeof api[k] === 'object') out.services[k] = Object.keys(api[k]).sort()
      }
      return out
    })()`)) as { keys: string[]; on: string; services: Record<string, string[]> }
    const services = Object.keys(ipcContract)
    expect(shape.keys).toEqual([...services, 'on'].sort())
    expect(shape.on).toBe('function')
    for (const s of services) {
      expect(shape.services[s]).toEqual(
        Object.keys(ipcContract[s as keyof typeof ipcContract]).sort(),
      )
    }
    // read-only, like contextBridge's
    const swapped = await page().evaluate(`(() => {
      try { window.callcenter = {} } catch {}
      return typeof window.callcenter.settings
    })()`)
    expect(swapped).toBe('object')
  })

  it('adds no other global: no ipcRenderer, require, process or bridge internals', async () => {
    // a page of the same origin without the app: the same secure-context globals
    const blank = await s.browser.context.newPage()
    await blank.goto(`${s.env.app.origin}/__bridge/none`)
    const baseline = new Set(
      (await blank.evaluate('Object.getOwnPropertyNames(window)')) as string[],
    )
    await blank.close()
    const names = (await page().evaluate('Object.getOwnPropertyNames(window)')) as string[]
    // Vue marks the page with __VUE__ (devtools detection); everything else is the bridge's
    const added = names.filter((n) => !baseline.has(n) && !/^__VUE/.test(n))
    expect(added).toEqual(['callcenter'])
    for (const name of ['ipcRenderer', 'require', 'process', 'electron', 'module', 'Buffer']) {
      expect(await page().evaluate(`typeof window[${JSON.stringify(name)}]`)).toBe('undefined')
    }
  })

  it('round-trips a real call to the services', async () => {
    const settings = (await page().evaluate('window.callcenter.settings.get()')) as {
      ok: boolean
      value?: Record<string, unknown>
      error?: unknown
    }
    expect(settings.error).toBeUndefined()
    expect(settings.ok).toBe(true)
    expect(settings.value).toMatchObject({
      language: expect.any(String),
      maskPhones: expect.any(Boolean),
    })
  })

  it('returns the contract’s typed errors across the bridge', async () => {
    const r = await page().evaluate('window.callcenter.catalog.packages({ projectId: -1 })')
    expect(r).toMatchObject({ ok: false, error: { kind: 'invalid-args', field: 'projectId' } })
  })

  it('delivers main’s events to the page’s listeners', async () => {
    const payload = { pending: 3, failed: 1, flushing: false, lastSuccessAt: null }
    const echo = 'e2e:syncProgress '
    // a listener that reports through the console (the page gains no global of the test's)
    await page().evaluate(`(() => {
      const off = window.callcenter.on('syncProgress', (p) => {
        off()
        console.info(${JSON.stringify(echo)} + JSON.stringify(p))
      })
      return null
    })()`)
    // an answered call: the page's socket is open, so main's next event reaches it
    expect(await page().evaluate('window.callcenter.settings.get()')).toMatchObject({ ok: true })
    const heard = page().waitForEvent('console', (m) => m.text().startsWith(echo))
    s.env.app.host.emit(eventChannelOf('syncProgress'), payload)
    expect(JSON.parse((await heard).text().slice(echo.length))).toEqual(payload)
  })

  it('works again after a reload, without the token in the URL', async () => {
    await page().reload({ waitUntil: 'load' })
    await appMounted(page())
    // hash routing may add #/login; the token must be gone either way
    expect(page().url()).toMatch(
      new RegExp(`^${s.env.app.origin.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/(#/.*)?$`),
    )
    const r = (await page().evaluate('window.callcenter.settings.get()')) as { ok: boolean }
    expect(r.ok).toBe(true)
    expect(s.problems.all()).toEqual([])
  })

  it('saves a screenshot of the first screen', async () => {
    const file = await screenshot(page(), 'bridge-first-screen')
    expect(existsSync(file)).toBe(true)
    const png = readFileSync(file)
    expect(png.subarray(0, 8)).toEqual(
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    )
    expect(png.length).toBeGreaterThan(2_000)
  })

  it('without the token, the page gets network errors instead of answers', async () => {
    const other = await s.browser.context.newPage()
    await other.goto(`${s.env.app.origin}/`)
    const r = await other.evaluate('window.callcenter.settings.get()')
    expect(r).toMatchObject({ ok: false, error: { kind: 'network' } })
    await other.close()
  })

  it('the problem watcher does see a CSP violation (control)', async () => {
    const other = await s.browser.context.newPage()
    const seen = await watchPage(other)
    await openApp(other, s.env.app.url)
    await other.evaluate(`(() => {
      const s = document.createElement('script')
      s.textContent = 'window.injected = 1'
      document.head.append(s)
    })()`)
    await expect.poll(() => seen.cspViolations.length).toBeGreaterThan(0)
    expect(await other.evaluate('typeof window.injected')).toBe('undefined')
    await other.close()
  })
})

describe('the bridge socket, from Node', () => {
  function status(url: string, origin: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { origin })
      ws.once('open', () => {
        ws.close()
        resolve(101)
      })
      ws.once('unexpected-response', (_req, res) => {
        resolve(res.statusCode ?? 0)
        ws.terminate()
      })
      ws.once('error', reject)
    })
  }
  const wsUrl = (token: string): string =>
    `${s.env.app.origin.replace('http:', 'ws:')}/__bridge/ws?token=${token}`

  it('accepts the launch token from the app’s own origin (control)', async () => {
    expect(await status(wsUrl(tokenOf(s.env.app.url)), s.env.app.origin)).toBe(101)
  })

  it('refuses a wrong token', async () => {
    expect(await status(wsUrl('f'.repeat(64)), s.env.app.origin)).toBe(401)
  })

  it('refuses a foreign Origin even with the right token', async () => {
    expect(await status(wsUrl(tokenOf(s.env.app.url)), 'http://evil.example')).toBe(403)
  })
})

describe('the start scripts', () => {
  const electronPresent = (): boolean => {
    const pathTxt = join(REPO_ROOT, 'node_modules', 'electron', 'path.txt')
    if (!existsSync(pathTxt)) return false
    const bin = readFileSync(pathTxt, 'utf8').trim()
    return bin !== '' && existsSync(join(REPO_ROOT, 'node_modules', 'electron', 'dist', bin))
  }

  /** Starts a script and resolves with its stdout lines once `count` lines have arrived. */
  function startScript(script: string, args: string[], count: number) {
    // node --import tsx, not the tsx CLI: one process, so a signal reaches the script itself;
    // its own process group, so cleanup can kill anything it started
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    })
    let out = ''
    let err = ''
    child.stderr.on('data', (c: Buffer) => (err += c.toString()))
    const lines = new Promise<string[]>((resolve, reject) => {
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString()
        const got = out.split('\n').filter((l) => l !== '')
        if (got.length >= count && out.endsWith('\n')) resolve(got)
      })
      child.once('exit', (code) => reject(new Error(`exited ${code}\n${out}\n${err}`)))
    })
    return { child, lines, stdout: () => out }
  }

  function kill(child: ChildProcess): void {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return
    try {
      process.kill(-child.pid, 'SIGKILL')
    } catch {
      // already gone
    }
  }

  function stop(child: ChildProcess): Promise<number | null> {
    return new Promise((resolve) => {
      if (child.exitCode !== null) return resolve(child.exitCode)
      child.once('exit', (code) => resolve(code))
      child.kill('SIGINT')
    })
  }

  async function checkServes(url: string): Promise<void> {
    const p = await s.browser.context.newPage()
    const seen = await watchPage(p)
    await openApp(p, url)
    const r = (await p.evaluate('window.callcenter.settings.get()')) as { ok: boolean }
    expect(r.ok).toBe(true)
    expect(seen.all()).toEqual([])
    await p.close()
  }

  const URL_LINE = /^\S.*(http:\/\/127\.0\.0\.1:\d+\/\?bridge=[0-9a-f]{64})$/

  it('npm run start:web prints one line with the URL, serves it, and stops on Ctrl+C', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'callcenter-start-web-'))
    const run = startScript('scripts/start-web.ts', ['--data-dir', dataDir, '--port', '0'], 1)
    try {
      const [line] = await run.lines
      const url = URL_LINE.exec(line ?? '')?.[1]
      expect(url, line).toBeDefined()
      await checkServes(url!)
      // the data directory given is the one used
      expect(existsSync(join(dataDir, 'settings.json')) || existsSync(join(dataDir, 'vault'))).toBe(
        true,
      )
      expect(await stop(run.child)).toBe(0)
      expect(run.stdout().trim().split('\n')).toEqual([line])
    } finally {
      kill(run.child)
      rmSync(dataDir, { recursive: true, force: true })
    }
  })

  it.skipIf(electronPresent())(
    'npm start without the Electron binary says so in one line, then serves the bridge',
    async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'callcenter-start-'))
      const run = startScript('scripts/start.ts', ['--data-dir', dataDir], 2)
      try {
        const [missing, urlLine] = await run.lines
        expect(missing).toMatch(/Electron/)
        expect(missing).toMatch(/网页桥/)
        const url = URL_LINE.exec(urlLine ?? '')?.[1]
        expect(url, urlLine).toBeDefined()
        await checkServes(url!)
        expect(await stop(run.child)).toBe(0)
        expect(run.stdout().trim().split('\n')).toHaveLength(2)
      } finally {
        kill(run.child)
        rmSync(dataDir, { recursive: true, force: true })
      }
    },
  )
})
