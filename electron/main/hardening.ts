import { readFile } from 'node:fs/promises'
import {
  app,
  BrowserWindow,
  protocol,
  session,
  shell,
  type Session,
  type WebContents,
} from 'electron'
import { AppError } from '../core/app-error'
import {
  APP_SCHEME,
  buildContentSecurityPolicy,
  createSenderCheck,
  devServerOrigin,
  isAllowedRendererRequest,
  isAppOrigin,
  resolveAppFile,
  withoutMetaCsp,
} from '../services/app-protocol/app-protocol'
import { isPermissionAllowed } from '../services/app-protocol/media-permission'
import { isValidDialUri } from '../services/calling/dial'
import type { Dialer, Logger } from '../services/ports'

/**
 * Everything Electron-specific about security. Each measure names the point of Electron's
 * security checklist (https://www.electronjs.org/docs/latest/tutorial/security) it covers; the
 * Electron-free halves (origins, paths, CSP text, dial URIs) live in electron/services and are
 * unit-tested there.
 */

/**
 * The run's mode, fixed at start. A packaged app ignores ELECTRON_RENDERER_URL: otherwise an
 * environment variable could point the window, and the preload's API, at another page.
 */
export interface RunMode {
  /** origin of the Vite dev server, or null when serving out/renderer over app:// */
  devOrigin: string | null
  /** the URL the window loads */
  entryUrl: string | null
}

export function resolveRunMode(): RunMode {
  const raw = process.env.ELECTRON_RENDERER_URL
  const devOrigin = app.isPackaged ? null : devServerOrigin(raw)
  return { devOrigin, entryUrl: devOrigin === null ? null : (raw ?? null) }
}

/**
 * #18 Avoid file://, prefer a custom protocol: app:// is standard (a real origin, relative
 * URLs) and secure (a secure context, so 'self' in the CSP means exactly app://callcenter).
 * Must run before `ready`. No bypassCSP, no corsEnabled, no service workers.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
    },
  ])
}

/**
 * Headers every app:// answer carries. No Cross-Origin-Opener-Policy: it guards a window
 * against cross-origin documents that hold a reference to it (an opener, a popup), and this
 * window has none (window.open refused, navigation locked to app://); but a page with it cannot
 * stay in the renderer process its window started with, and the swap to a new one delayed the
 * first screen by about 150 ms in Chromium (bench/workspace.ts, login cold start).
 */
function securityHeaders(csp: string, contentType: string): Record<string, string> {
  return {
    'content-type': contentType,
    // #7 Define a Content Security Policy: as a header, so frame-ancestors applies too
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    'cross-origin-resource-policy': 'same-origin',
    'referrer-policy': 'no-referrer',
  }
}

/**
 * #18 Serves app://callcenter/ from out/renderer and nothing else: GET/HEAD only, every path
 * resolved by resolveAppFile (no traversal, no symlink escape, no other host).
 */
export function installAppProtocol(rendererDir: string, csp: () => string, log: Logger): void {
  protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response(null, { status: 405 })
    }
    const file = await resolveAppFile(request.url, rendererDir)
    if (!file.ok) {
      log.warn('app:// request refused', { status: file.status, reason: file.reason })
      return new Response(null, { status: file.status })
    }
    const body =
      request.method === 'HEAD'
        ? null
        : file.mimeType.startsWith('text/html')
          ? withoutMetaCsp(await readFile(file.path, 'utf8'))
          : await readFile(file.path)
    return new Response(body, { status: 200, headers: securityHeaders(csp(), file.mimeType) })
  })
}

/**
 * The app's window. #2, #3, #4, #6, #8, #9, #10, #11: the renderer is a sandboxed web page with
 * no Node and only the preload's typed global. Every flag is spelled out, in a literal a scanner
 * can read, even where it is Electron's default: a changed default cannot weaken it silently.
 */
export function createSecureWindow(preload: string): BrowserWindow {
  return new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 1024,
    minHeight: 640,
    show: false,
    title: '置业外呼工作台',
    webPreferences: {
      preload,
      // #3 Enable context isolation: the preload's world and the page's never share objects
      contextIsolation: true,
      // #4 Enable process sandboxing: the renderer has no Node, even in the preload
      sandbox: true,
      // #2 Do not enable Node.js integration for remote content (nor for our own)
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      // #6 Do not disable webSecurity (same-origin policy stays on)
      webSecurity: true,
      // #8 Do not enable allowRunningInsecureContent
      allowRunningInsecureContent: false,
      // #9 Do not enable experimental features
      experimentalFeatures: false,
      // #10 Do not use enableBlinkFeatures; and turn off Auxclick, so a middle-click on a link
      // cannot start a new-window flow
      disableBlinkFeatures: 'Auxclick',
      // #11/#12 no <webview> at all (will-attach-webview is refused as well)
      webviewTag: false,
      // no OS spellchecker: it would see what agents type (names, phone numbers)
      spellcheck: false,
      // #13 a file dropped on the window must not become a navigation
      navigateOnDragDrop: false,
      // an attacker script must not freeze the UI with alert() loops
      safeDialogs: true,
      // DevTools only while developing: a packaged build gives no console into the renderer
      devTools: !app.isPackaged,
    },
  })
}

/** The dialer: the only door to shell.openExternal. */
export class ShellDialer implements Dialer {
  constructor(private readonly log: Logger) {}

  async open(uri: string): Promise<void> {
    // #15 Do not use shell.openExternal with untrusted content: only a validated dial URI
    // (tel:/callto:<number>, sip:<number>@<host>) ever reaches the OS
    if (!isValidDialUri(uri)) {
      this.log.warn('dial refused: not a valid dial URI')
      throw new AppError('invalid-args', '拨号地址无效，已拒绝', { field: 'uri' })
    }
    await shell.openExternal(uri, { activate: true })
  }
}

/** Minimum gap between two dials started by the page itself (links, window.open). */
const DIAL_INTERVAL_MS = 2_000

export interface GuardOptions {
  devOrigin: string | null
  dialer: Dialer
  log: Logger
}

/** Scheme of a URL, for logs (never the whole URL: it may carry a phone number). */
function schemeOf(url: string): string {
  const colon = url.indexOf(':')
  return colon > 0 && colon < 20 ? url.slice(0, colon) : 'invalid'
}

/**
 * #11, #12, #13, #14 for every webContents the app ever creates (windows, devtools, anything).
 */
export function hardenWebContents(contents: WebContents, opts: GuardOptions): void {
  const allowed = (url: string): boolean => isAppOrigin(url, opts.devOrigin)
  const blockNavigation = (kind: string) => (event: Electron.Event<{ url: string }>) => {
    if (allowed(event.url)) return
    event.preventDefault()
    opts.log.warn(`${kind} blocked`, { scheme: schemeOf(event.url) })
  }
  // #13 Disable or limit navigation: the app never leaves its own origin, in any frame
  contents.on('will-navigate', blockNavigation('navigation'))
  contents.on('will-frame-navigate', blockNavigation('frame navigation'))
  contents.on('will-redirect', blockNavigation('redirect'))

  // #14 Disable or limit the creation of new windows: never. A dial link opened with
  // window.open / target=_blank goes to the dialer, and only if it is a valid dial URI.
  let lastDial = 0
  contents.setWindowOpenHandler(({ url }) => {
    if (isValidDialUri(url)) {
      // a hostile script must not flood the softphone with calls: one per DIAL_INTERVAL_MS
      const now = Date.now()
      if (now - lastDial < DIAL_INTERVAL_MS) {
        opts.log.warn('dial from window.open throttled')
        return { action: 'deny' }
      }
      lastDial = now
      opts.dialer.open(url).catch((e: unknown) => opts.log.error('dial failed', e))
    } else {
      opts.log.warn('window.open blocked', { scheme: schemeOf(url) })
    }
    return { action: 'deny' }
  })

  // #11/#12 <webview>: refuse every attachment (webviewTag is off; this holds even if not)
  contents.on('will-attach-webview', (event) => {
    event.preventDefault()
    opts.log.warn('webview attachment blocked')
  })
}

/** #11-#14 on every webContents, including ones created later. */
export function installWebContentsGuards(opts: GuardOptions): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, opts))
}

export interface SessionOptions {
  /** the policy now: it follows the softphone's settings (read per response) */
  csp: () => string
  devOrigin: string | null
  /** the softphone as the settings have it now: on/off and its WebSocket origin */
  softphone: () => { enabled: boolean; origin: string | null }
  log: Logger
}

/** #5/#7 on the default session and on any session created later (partitions). */
export function installSessionGuards(opts: SessionOptions): void {
  hardenSession(session.defaultSession, opts)
  app.on('session-created', (ses) => hardenSession(ses, opts))
}

/**
 * #5 Handle session permission requests: the one web permission the app uses is the microphone,
 * for the built-in softphone, for its own origin and only while the softphone is on (no camera,
 * notifications, geolocation, HID/USB/serial, clipboard-read, openExternal from the page...).
 * #7 the CSP header on every response the renderer receives. Renderer requests may only reach
 * the app's own origin and the softphone's WebSocket; main's own HTTP (Node) is not affected.
 */
export function hardenSession(ses: Session, opts: SessionOptions): void {
  ses.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const mediaTypes = 'mediaTypes' in details ? details.mediaTypes : undefined
    const ok = isPermissionAllowed({
      permission,
      url: details.requestingUrl,
      mediaTypes,
      softphoneEnabled: opts.softphone().enabled,
    })
    if (!ok) opts.log.warn('permission request denied', { permission, mediaTypes })
    callback(ok)
  })
  ses.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) =>
    isPermissionAllowed({
      permission,
      url: requestingOrigin,
      mediaTypes: details.mediaType ? [details.mediaType] : undefined,
      softphoneEnabled: opts.softphone().enabled,
    }),
  )
  ses.setDevicePermissionHandler(() => false)

  // Exports are written by main. The one download a page may start is a chart it drew itself
  // (a data: PNG), and the agent chooses where it goes.
  ses.on('will-download', (event, item) => {
    if (item.getURL().startsWith('data:image/png;base64,')) {
      item.setSaveDialogOptions({
        title: '保存图表',
        filters: [{ name: 'PNG 图片', extensions: ['png'] }],
      })
      return
    }
    event.preventDefault()
    opts.log.warn('download blocked')
  })

  ses.webRequest.onBeforeRequest((details, callback) => {
    // only requests from pages; main-process requests carry no webContents
    const fromPage = details.webContentsId !== undefined
    const ok =
      !fromPage || isAllowedRendererRequest(details.url, opts.devOrigin, opts.softphone().origin)
    if (!ok) opts.log.warn('renderer request blocked', { scheme: schemeOf(details.url) })
    callback({ cancel: !ok })
  })

  ses.webRequest.onHeadersReceived((details, callback) => {
    const headers: Record<string, string | string[]> = {}
    for (const [name, value] of Object.entries(details.responseHeaders ?? {})) {
      // ours replaces any policy a response brings (e.g. the dev server's)
      if (name.toLowerCase() !== 'content-security-policy') headers[name] = value
    }
    headers['Content-Security-Policy'] = opts.csp()
    callback({ responseHeaders: headers })
  })
}

/**
 * The whole security setup for a run: mode, CSP, sender check. The CSP follows the softphone's
 * settings: a page loaded after they change gets the new WebSocket origin.
 */
export function securityForRun(softphoneOrigin: () => string | null): {
  mode: RunMode
  csp: () => string
  isAllowedSender: (url: string | undefined) => boolean
} {
  const mode = resolveRunMode()
  return {
    mode,
    csp: () => buildContentSecurityPolicy(mode.devOrigin, softphoneOrigin()),
    // #17 Validate the sender of all IPC messages: only the app's own page may call services
    isAllowedSender: createSenderCheck(mode.devOrigin),
  }
}
