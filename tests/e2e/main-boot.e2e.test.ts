import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import {
  buildContentSecurityPolicy,
  withoutMetaCsp,
} from '../../electron/services/app-protocol/app-protocol'
import { contractMethods } from '../../shared/ipc/channels'
import { defaultSoftphoneSettings } from '../../shared/softphone-defaults'
import type { IpcResult } from '../../shared/ipc/errors'
import { bootMain, MAIN_BUNDLE, type BootedMain } from './support/main-process'
import { REPO_ROOT } from './support/web-app'

/**
 * The built main bundle boots: out/main/index.js in plain Node, against a recording double of
 * the `electron` module (Electron's binary is not installed here). What main sets up is read
 * back from the double, and main's own handlers are called the way Electron would call them.
 * Runs after `electron-vite build` in `npm test`.
 */

const APP_PAGE = 'app://callcenter/index.html'
const EVIL = 'https://evil.example/'
const CSP = buildContentSecurityPolicy(null)
const SOFTPHONE_OFF = defaultSoftphoneSettings

let main: BootedMain

const invoke = <T = unknown>(channel: string, args: unknown[], senderUrl: string | null) =>
  main.send<IpcResult<T>>({ cmd: 'invoke', channel, args, senderUrl })
const fetchApp = (url: string, method = 'GET') =>
  main.send<{ status: number; headers: Record<string, string>; body: string }>({
    cmd: 'protocol',
    url,
    method,
  })

beforeAll(async () => {
  if (!existsSync(MAIN_BUNDLE)) {
    throw new Error('out/main is missing: run `npx electron-vite build` before the E2E tests')
  }
  main = bootMain()
  // booted: the window exists and has been pointed at its page
  await vi.waitFor(
    async () => {
      const loaded = (await main.state()).windows[0]?.loadedUrls.length ?? 0
      if (loaded === 0) throw new Error(`main did not open its window:\n${main.output()}`)
    },
    { timeout: 30_000, interval: 50 },
  )
})

afterAll(async () => {
  await main?.kill()
})

describe('the built main process', () => {
  it('opens exactly one hardened window on app://callcenter', async () => {
    const { windows } = await main.state()
    expect(windows).toHaveLength(1)
    const [win] = windows
    expect(win!.loadedUrls).toEqual([APP_PAGE])
    expect(win!.options.webPreferences).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    })
    // the preload it names is the one the build wrote
    const preload = (win!.options.webPreferences as { preload: string }).preload
    expect(preload).toBe(join(REPO_ROOT, 'out', 'preload', 'index.cjs'))
    expect(existsSync(preload)).toBe(true)
  })

  it('sandboxes every renderer, holds the single-instance lock, registers app:// as secure', async () => {
    const s = await main.state()
    expect(s.sandboxEnabled).toBe(true)
    expect(s.singleInstanceLockRequested).toBe(true)
    expect(s.privilegedSchemes).toEqual([
      { scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) },
    ])
    const privileges = (s.privilegedSchemes[0] as { privileges: Record<string, unknown> })
      .privileges
    expect(privileges.bypassCSP).toBeUndefined()
    expect(privileges.corsEnabled).toBeUndefined()
    expect(s.protocolSchemes).toEqual(['app'])
  })

  it('registers one ipcMain handler per contract method, and no other', async () => {
    const s = await main.state()
    const contract = contractMethods()
      .map((m) => m.channel)
      .sort()
    const live = [...s.handled].filter((c) => !s.removedHandlers.includes(c)).sort()
    expect(live).toEqual(contract)
    for (const channel of contract) {
      expect(
        s.handled.filter((c) => c === channel),
        channel,
      ).toHaveLength(1)
    }
    // electron-log's own channel (outside the contract and the sender check) is removed again
    expect(s.handled).toContain('__ELECTRON_LOG__')
    // the one listener outside the contract: electron-store's, which answers the userData path
    // and the version to a renderer's sendSync (no sandboxed page can reach ipcRenderer)
    expect(s.onChannels).toEqual(['electron-store-get-data'])
  })

  it('sets its CSP on every response, replacing one a response brings', async () => {
    const s = await main.state()
    expect(s.headersHooks).toBe(1)
    const r = await main.send<{ responseHeaders: Record<string, string | string[]> }>({
      cmd: 'headers',
      url: 'http://127.0.0.1:1/',
      responseHeaders: {
        'content-type': ['text/html'],
        'content-security-policy': ["script-src 'unsafe-eval' *"],
      },
    })
    const csp = Object.entries(r.responseHeaders).filter(
      ([name]) => name.toLowerCase() === 'content-security-policy',
    )
    expect(csp).toEqual([['Content-Security-Policy', CSP]])
    expect(r.responseHeaders['content-type']).toEqual(['text/html'])
  })

  it('serves the page over app:// with the CSP header', async () => {
    const r = await fetchApp(APP_PAGE)
    expect(r.status).toBe(200)
    expect(r.headers['content-security-policy']).toBe(CSP)
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(r.headers['x-content-type-options']).toBe('nosniff')
    expect(r.headers['cross-origin-resource-policy']).toBe('same-origin')
    // no opener policy: the window has no opener or popups, and the policy made the first
    // screen wait for a second renderer process (electron/main/hardening.ts)
    expect(r.headers['cross-origin-opener-policy']).toBeUndefined()
    // the header is the page's one policy: the meta CSP (for the dev server) is left out
    const built = readFileSync(join(REPO_ROOT, 'out', 'renderer', 'index.html'), 'utf8')
    expect(built).toMatch(/http-equiv="Content-Security-Policy"/)
    expect(r.body).toBe(withoutMetaCsp(built))
    expect(r.body).not.toMatch(/Content-Security-Policy/i)
    expect((await fetchApp(APP_PAGE, 'POST')).status).toBe(405)
  })

  it.each([
    'app://callcenter/../../etc/passwd',
    'app://callcenter/..%2f..%2f..%2fetc%2fpasswd',
    'app://callcenter/%2e%2e/%2e%2e/etc/passwd',
    'app://callcenter/..\\..\\..\\etc\\passwd',
    'app://callcenter//etc/passwd',
    'app://callcenter/assets/../../../main/index.js',
    'app://evil/index.html',
  ])('refuses %s', async (url) => {
    const r = await fetchApp(url)
    expect([403, 404]).toContain(r.status)
    expect(r.body).toBe('')
  })

  it('refuses page requests that leave the app origin', async () => {
    const request = (url: string) =>
      main.send<{ cancel: boolean }>({ cmd: 'request', url, webContentsId: 1 })
    expect(await request('https://evil.example/x.js')).toEqual({ cancel: true })
    expect(await request(`${APP_PAGE}`)).toEqual({ cancel: false })
  })

  it('refuses a call from a foreign frame without reaching the service', async () => {
    const patch = [{ language: 'en-US' }]
    for (const sender of [EVIL, 'file:///etc/passwd', null]) {
      const r = await invoke('cc:settings:update', patch, sender)
      expect(r).toMatchObject({ ok: false, error: { kind: 'forbidden' } })
    }
    const settings = await invoke<{ language: string }>('cc:settings:get', [], APP_PAGE)
    expect(settings).toMatchObject({ ok: true, value: { language: 'zh-CN' } })
  })

  it('dials for its own page only, through a real login on the training sandbox', async () => {
    const login = await invoke(
      'cc:session:login',
      [{ userNum: '00006', password: '888', remember: false }],
      APP_PAGE,
    )
    expect(login).toMatchObject({ ok: true, value: { userNum: '00006' } })
    // calling hours hold for the URI handoff too: open all day, so the test runs at any hour
    const allDay = { ...SOFTPHONE_OFF, callingWindows: ['00:00-24:00'] }
    expect(await invoke('cc:settings:update', [{ softphone: allDay }], APP_PAGE)).toMatchObject({
      ok: true,
    })
    const phone = { phone: '13800138000' }
    expect(await invoke('cc:calling:dial', [phone], EVIL)).toMatchObject({
      ok: false,
      error: { kind: 'forbidden' },
    })
    expect((await main.state()).openedExternally).toEqual([])
    // control: the same call from the app's page reaches the dialer
    expect(await invoke('cc:calling:dial', [phone], APP_PAGE)).toEqual({
      ok: true,
      value: { uri: 'tel:13800138000' },
    })
    expect((await main.state()).openedExternally).toEqual(['tel:13800138000'])
  })

  it('gives the microphone to its own page only while the softphone is on, and connect-src its PBX', async () => {
    const ask = (url: string, mediaTypes?: string[], permission = 'media') =>
      main.send<{ granted: boolean; checked: boolean }>({
        cmd: 'permission',
        permission,
        url,
        ...(mediaTypes ? { mediaTypes } : {}),
      })
    const headerCsp = async () =>
      (await fetchApp(APP_PAGE)).headers['content-security-policy'] ?? ''
    // off (the default): nothing, and connect-src is the app's own
    expect(await ask(APP_PAGE, ['audio'])).toEqual({ granted: false, checked: false })
    expect(await headerCsp()).toBe(CSP)

    const softphone = {
      ...SOFTPHONE_OFF,
      enabled: true,
      wsUrl: 'wss://pbx.example.com:8089/ws',
      sipDomain: 'pbx.example.com',
      extension: '1001',
    }
    const set = await invoke('cc:settings:update', [{ softphone }], APP_PAGE)
    expect(set).toMatchObject({ ok: true })
    expect(await ask(APP_PAGE, ['audio'])).toEqual({ granted: true, checked: true })
    expect(await ask(EVIL, ['audio'])).toEqual({ granted: false, checked: false })
    expect(await ask(APP_PAGE, ['audio', 'video'])).toMatchObject({ granted: false })
    expect(await ask(APP_PAGE, ['video'])).toEqual({ granted: false, checked: false })
    expect(await ask(APP_PAGE, undefined, 'notifications')).toEqual({
      granted: false,
      checked: false,
    })
    const csp = await headerCsp()
    expect(csp).toBe(buildContentSecurityPolicy(null, 'wss://pbx.example.com:8089'))
    expect(csp).toMatch(/connect-src 'self' wss:\/\/pbx\.example\.com:8089;/)
    const request = (url: string) =>
      main.send<{ cancel: boolean }>({ cmd: 'request', url, webContentsId: 1 })
    expect(await request('wss://pbx.example.com:8089/ws')).toEqual({ cancel: false })
    expect(await request('wss://evil.example:8089/ws')).toEqual({ cancel: true })

    // off again: back to nothing
    await invoke('cc:settings:update', [{ softphone: { ...softphone, enabled: false } }], APP_PAGE)
    expect(await ask(APP_PAGE, ['audio'])).toEqual({ granted: false, checked: false })
    expect(await headerCsp()).toBe(CSP)
  })

  it('started without an error box, an exit or a logged error', async () => {
    const s = await main.state()
    expect(s.errorBoxes).toEqual([])
    expect(s.exits).toEqual([])
    const logFile = join(main.dir, 'userData', 'logs', 'main.log')
    const errors = readFileSync(logFile, 'utf8')
      .split('\n')
      .filter((l) => l.includes('[error]'))
    expect(errors).toEqual([])
  })

  it('quits cleanly when asked, after flushing its services', async () => {
    await main.send({ cmd: 'quit' })
    expect(await main.exited).toBe(0)
  })
})
