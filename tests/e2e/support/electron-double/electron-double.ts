/**
 * A recording stand-in for the `electron` module, for booting the built main bundle
 * (out/main/index.js) in plain Node: Electron's binary is not installed where the tests run.
 * hooks.ts makes every `import 'electron'` and `require('electron')` (main's own, and those of
 * electron-log, electron-store and electron-updater) resolve here.
 *
 * It records what main asks of Electron (windows and their options, IPC handlers, protocol
 * handlers, session hooks, dialogs, external opens) and answers the test over the child's IPC
 * channel: `state` returns the record; `invoke`, `protocol`, `headers` and `request` call main's
 * own handlers the way Electron would; `quit` quits as Electron does (will-quit may be deferred).
 *
 * Run by Node with its type stripping, not by a bundler: erasable TypeScript only, and no
 * import but Node's own modules.
 */
import { EventEmitter } from 'node:events'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'

type Listener = (...args: unknown[]) => unknown

/** Where the app's directories (userData, logs…) go: a temporary directory of the test's. */
const ROOT = process.env.CC_ELECTRON_DOUBLE_DIR ?? join(process.cwd(), '.electron-double')

// What Electron's main process has and Node's has not (electron-updater reads it on import).
Object.assign(process, { resourcesPath: join(ROOT, 'resources') })

export interface WindowRecord {
  options: Record<string, unknown>
  loadedUrls: string[]
}

export interface DoubleState {
  sandboxEnabled: boolean
  singleInstanceLockRequested: boolean
  privilegedSchemes: unknown[]
  windows: WindowRecord[]
  /** every ipcMain.handle, in order (a channel twice would be a bug) */
  handled: string[]
  /** every ipcMain.removeHandler */
  removedHandlers: string[]
  /** channels with an ipcMain.on listener still attached */
  onChannels: string[]
  protocolSchemes: string[]
  headersHooks: number
  beforeRequestHooks: number
  permissionHandlers: number
  openedExternally: string[]
  errorBoxes: { title: string; content: string }[]
  exits: number[]
}

const state: DoubleState = {
  sandboxEnabled: false,
  singleInstanceLockRequested: false,
  privilegedSchemes: [],
  windows: [],
  handled: [],
  removedHandlers: [],
  onChannels: [],
  protocolSchemes: [],
  headersHooks: 0,
  beforeRequestHooks: 0,
  permissionHandlers: 0,
  openedExternally: [],
  errorBoxes: [],
  exits: [],
}

class AppDouble extends EventEmitter {
  readonly isPackaged = false
  readonly name = 'callcenter-desk'
  #quitting = false

  getName(): string {
    return this.name
  }
  getVersion(): string {
    return '0.1.0'
  }
  getLocale(): string {
    return 'zh-CN'
  }
  getAppPath(): string {
    return process.cwd()
  }
  getPath(name: string): string {
    const dir = join(ROOT, name)
    mkdirSync(dir, { recursive: true })
    return dir
  }
  isReady(): boolean {
    return true
  }
  whenReady(): Promise<void> {
    return Promise.resolve()
  }
  enableSandbox(): void {
    state.sandboxEnabled = true
  }
  requestSingleInstanceLock(): boolean {
    state.singleInstanceLockRequested = true
    return true
  }
  /** As Electron: will-quit may be deferred with preventDefault; otherwise the process ends. */
  quit(): void {
    if (this.#quitting) return
    this.#quitting = true
    let prevented = false
    const event = { preventDefault: () => (prevented = true) }
    this.emit('before-quit', event)
    this.emit('will-quit', event)
    this.#quitting = false
    if (prevented) return
    this.emit('quit', event, 0)
    process.exit(0)
  }
  exit(code = 0): void {
    state.exits.push(code)
  }
}

export const app = new AppDouble()

class WebContentsDouble extends EventEmitter {
  readonly sent: { channel: string; payload: unknown }[] = []
  windowOpenHandler: Listener | null = null
  send(channel: string, payload: unknown): void {
    this.sent.push({ channel, payload })
  }
  setWindowOpenHandler(handler: Listener): void {
    this.windowOpenHandler = handler
  }
  isDestroyed(): boolean {
    return false
  }
  isCrashed(): boolean {
    return false
  }
}

const windows: BrowserWindow[] = []

export class BrowserWindow extends EventEmitter {
  readonly webContents = new WebContentsDouble()
  readonly record: WindowRecord

  constructor(options: Record<string, unknown> = {}) {
    super()
    this.record = { options: structuredClone(options), loadedUrls: [] }
    state.windows.push(this.record)
    windows.push(this)
    app.emit('web-contents-created', {}, this.webContents)
  }
  static getAllWindows(): BrowserWindow[] {
    return [...windows]
  }
  loadURL(url: string): Promise<void> {
    this.record.loadedUrls.push(url)
    return Promise.resolve()
  }
  show(): void {}
  focus(): void {}
  restore(): void {}
  isMinimized(): boolean {
    return false
  }
  isDestroyed(): boolean {
    return false
  }
}

type IpcHandler = (event: { senderFrame: { url: string } | null }, ...args: unknown[]) => unknown
const ipcHandlers = new Map<string, IpcHandler>()

class IpcMainDouble extends EventEmitter {
  handle(channel: string, handler: IpcHandler): void {
    state.handled.push(channel)
    if (ipcHandlers.has(channel))
      throw new Error(`Attempted to register a second handler for '${channel}'`)
    ipcHandlers.set(channel, handler)
  }
  removeHandler(channel: string): void {
    state.removedHandlers.push(channel)
    ipcHandlers.delete(channel)
  }
}

export const ipcMain = new IpcMainDouble()

type ProtocolHandler = (request: Request) => Response | Promise<Response>
const protocolHandlers = new Map<string, ProtocolHandler>()

export const protocol = {
  registerSchemesAsPrivileged(schemes: unknown[]): void {
    state.privilegedSchemes.push(...structuredClone(schemes))
  },
  handle(scheme: string, handler: ProtocolHandler): void {
    state.protocolSchemes.push(scheme)
    protocolHandlers.set(scheme, handler)
  },
}

type HeadersListener = (
  details: { url: string; responseHeaders?: Record<string, string[]> },
  callback: (r: { responseHeaders?: Record<string, string | string[]> }) => void,
) => void
type RequestListener = (
  details: { url: string; webContentsId?: number },
  callback: (r: { cancel?: boolean }) => void,
) => void

type PermissionHandler = (
  contents: unknown,
  permission: string,
  callback: (granted: boolean) => void,
  details: { requestingUrl?: string; mediaTypes?: string[] },
) => void
type PermissionCheck = (
  contents: unknown,
  permission: string,
  requestingOrigin: string,
  details: { mediaType?: string },
) => boolean

class SessionDouble extends EventEmitter {
  permissionHandler: PermissionHandler | null = null
  permissionCheck: PermissionCheck | null = null
  headersListener: HeadersListener | null = null
  requestListener: RequestListener | null = null
  readonly webRequest = {
    onHeadersReceived: (listener: HeadersListener): void => {
      state.headersHooks++
      this.headersListener = listener
    },
    onBeforeRequest: (listener: RequestListener): void => {
      state.beforeRequestHooks++
      this.requestListener = listener
    },
  }
  setPermissionRequestHandler(handler: PermissionHandler): void {
    state.permissionHandlers++
    this.permissionHandler = handler
  }
  setPermissionCheckHandler(check: PermissionCheck): void {
    this.permissionCheck = check
  }
  setDevicePermissionHandler(): void {}
  getPreloads(): string[] {
    return []
  }
  setPreloads(): void {}
}

const defaultSession = new SessionDouble()
export const session = {
  defaultSession,
  fromPartition: (): SessionDouble => new SessionDouble(),
}

/** Reversible "encryption": the vault only needs to round-trip. */
export const safeStorage = {
  isEncryptionAvailable: (): boolean => true,
  isAsyncEncryptionAvailable: (): Promise<boolean> => Promise.resolve(true),
  getSelectedStorageBackend: (): string => 'gnome_libsecret',
  encryptStringAsync: (text: string): Promise<Buffer> =>
    Promise.resolve(Buffer.from(`double:${text}`, 'utf8')),
  decryptStringAsync: (data: Buffer): Promise<{ result: string; shouldReEncrypt: boolean }> =>
    Promise.resolve({
      result: data.toString('utf8').replace(/^double:/, ''),
      shouldReEncrypt: false,
    }),
}

export const shell = {
  openExternal(url: string): Promise<void> {
    state.openedExternally.push(url)
    return Promise.resolve()
  },
  openPath: (): Promise<string> => Promise.resolve(''),
}

export const dialog = {
  showErrorBox(title: string, content: string): void {
    state.errorBoxes.push({ title, content })
  },
  showMessageBoxSync: (): number => 0,
  showSaveDialog: (): Promise<{ canceled: boolean }> => Promise.resolve({ canceled: true }),
  showOpenDialog: (): Promise<{ canceled: boolean; filePaths: string[] }> =>
    Promise.resolve({ canceled: true, filePaths: [] }),
}

export const Menu = {
  setApplicationMenu: (): void => {},
  buildFromTemplate: (): object => ({}),
}

export const webContents = { getAllWebContents: (): WebContentsDouble[] => [] }

export default {
  app,
  BrowserWindow,
  ipcMain,
  protocol,
  session,
  safeStorage,
  shell,
  dialog,
  Menu,
  webContents,
}

// ---- the test's side: commands over the child's IPC channel -------------------------------

export type Command =
  | { cmd: 'state' }
  | { cmd: 'invoke'; channel: string; senderUrl: string | null; args: unknown[] }
  | { cmd: 'protocol'; url: string; method?: string }
  | { cmd: 'headers'; url: string; responseHeaders: Record<string, string[]> }
  | { cmd: 'request'; url: string; webContentsId?: number }
  | { cmd: 'permission'; permission: string; url: string; mediaTypes?: string[] }
  | { cmd: 'quit' }

async function run(c: Command): Promise<unknown> {
  switch (c.cmd) {
    case 'state':
      state.onChannels = ipcMain.eventNames().map(String)
      return state
    case 'invoke': {
      const handler = ipcHandlers.get(c.channel)
      if (!handler) throw new Error(`No handler registered for '${c.channel}'`)
      return handler({ senderFrame: c.senderUrl === null ? null : { url: c.senderUrl } }, ...c.args)
    }
    case 'protocol': {
      const [scheme] = c.url.split(':')
      const handler = protocolHandlers.get(scheme ?? '')
      if (!handler) throw new Error(`No protocol handler for '${scheme}'`)
      const response = await handler(new Request(c.url, { method: c.method ?? 'GET' }))
      const body = Buffer.from(await response.arrayBuffer()).toString('utf8')
      return { status: response.status, headers: Object.fromEntries(response.headers), body }
    }
    case 'headers':
      return new Promise((resolve) => {
        if (!defaultSession.headersListener) throw new Error('no onHeadersReceived listener')
        defaultSession.headersListener({ url: c.url, responseHeaders: c.responseHeaders }, resolve)
      })
    case 'request':
      return new Promise((resolve) => {
        if (!defaultSession.requestListener) throw new Error('no onBeforeRequest listener')
        defaultSession.requestListener({ url: c.url, webContentsId: c.webContentsId }, resolve)
      })
    case 'permission':
      return new Promise((resolve) => {
        const handler = defaultSession.permissionHandler
        const check = defaultSession.permissionCheck
        if (!handler || !check) throw new Error('no permission handlers')
        const checked = check(null, c.permission, c.url, { mediaType: c.mediaTypes?.[0] })
        handler(null, c.permission, (granted) => resolve({ granted, checked }), {
          requestingUrl: c.url,
          ...(c.mediaTypes ? { mediaTypes: c.mediaTypes } : {}),
        })
      })
    case 'quit':
      setImmediate(() => app.quit())
      return null
  }
}

process.on('message', (message: { id: number } & Command) => {
  run(message).then(
    (result) => process.send?.({ id: message.id, ok: true, result }),
    (e: unknown) =>
      process.send?.({
        id: message.id,
        ok: false,
        error: e instanceof Error ? e.message : String(e),
      }),
  )
})
