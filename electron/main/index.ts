import { join } from 'node:path'
import { app, BrowserWindow, dialog, ipcMain } from 'electron'
import { AppError } from '../ipc/app-error'
import { createDispatcher } from '../ipc/dispatcher'
import { createEventEmitter, registerDispatcher } from '../ipc/register'
import { createAppServices, type AppServices } from '../services'
import { APP_ENTRY_URL } from '../services/app-protocol'
import type { Logger } from '../services/ports'
import {
  createSecureWindow,
  installAppProtocol,
  installSessionGuards,
  installWebContentsGuards,
  registerAppScheme,
  securityForRun,
  ShellDialer,
} from './hardening'
import { ElectronFileDialogs } from './file-dialogs'
import { ElectronSettingsStore } from './settings-electron-store'
import { SafeStorageVault } from './vault-safe-storage'

/** How long quitting waits for the services to flush before giving up. */
const DISPOSE_TIMEOUT_MS = 5_000

/** Keys whose values never reach a log line, whoever passes them by mistake. */
const SECRET_KEY = /pass(word)?|token|secret|app_?key|appid|cookie|authorization|session/i
/** `key=value` pairs with such keys inside free text (URLs in error messages, for instance). */
const SECRET_PAIR =
  /\b(pass(?:word)?|token|secret|app_?key|appid|cookie|authorization)(["']?\s*[=:]\s*["']?)(?:(?:Bearer|Basic)\s+)?[^\s&"',;}]+/gi

function scrub(text: string): string {
  return text.replace(SECRET_PAIR, '$1$2[redacted]')
}

function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrub(value)
  if (value === null || typeof value !== 'object' || depth > 3) return value
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1))
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      SECRET_KEY.test(k) ? '[redacted]' : redact(v, depth + 1),
    ]),
  )
}

/** Errors are logged by name, message and stack only (scrubbed), never their attached data. */
function describeError(error: unknown): string {
  if (error instanceof Error) {
    return scrub(`${error.name}: ${error.message}\n${error.stack ?? ''}`)
  }
  return typeof error === 'string' ? scrub(error) : Object.prototype.toString.call(error)
}

const log: Logger = {
  info: (message, data) => console.info(`[main] ${scrub(message)}`, redact(data) ?? ''),
  warn: (message, data) => console.warn(`[main] ${scrub(message)}`, redact(data) ?? ''),
  error: (message, error) =>
    console.error(`[main] ${scrub(message)}`, error === undefined ? '' : describeError(error)),
}

// Before `ready`: the privileged scheme and the sandbox for every renderer (#4).
registerAppScheme()
app.enableSandbox()

const security = securityForRun()
let mainWindow: BrowserWindow | null = null
let services: AppServices | null = null
let leaveConfirmed = false
let disposed = false

function createWindow(): BrowserWindow {
  const win = createSecureWindow(join(import.meta.dirname, '../preload/index.cjs'))
  win.once('ready-to-show', () => win.show())
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null
  })
  // Nothing is lost by quitting (the outbox is on disk), but the agent should know what waits.
  win.on('close', (event) => {
    if (leaveConfirmed || !services) return
    const s = services.syncStatus()
    const waiting = s.pending + s.sending + s.uncertain + s.failed
    if (waiting === 0) return
    const choice = dialog.showMessageBoxSync(win, {
      type: 'warning',
      buttons: ['仍然退出', '取消'],
      defaultId: 1,
      cancelId: 1,
      title: '还有记录未同步',
      message: `还有 ${waiting} 条记录尚未同步到服务器。`,
      detail: '退出后这些记录会保留在本机，下次启动时自动继续同步。',
    })
    if (choice === 1) event.preventDefault()
    else leaveConfirmed = true
  })
  void win.loadURL(security.mode.entryUrl ?? APP_ENTRY_URL)
  return win
}

function focusMainWindow(): void {
  const win = mainWindow ?? BrowserWindow.getAllWindows()[0]
  if (!win) return
  if (win.isMinimized()) win.restore()
  win.show()
  win.focus()
}

async function start(): Promise<void> {
  await app.whenReady()

  const dialer = new ShellDialer(log)
  installSessionGuards({ csp: security.csp, devOrigin: security.mode.devOrigin, log })
  installWebContentsGuards({ devOrigin: security.mode.devOrigin, dialer, log })
  installAppProtocol(join(import.meta.dirname, '../renderer'), security.csp, log)

  const dataDir = app.getPath('userData')
  const emit = createEventEmitter((channel, payload) => {
    for (const win of BrowserWindow.getAllWindows()) {
      if (!win.isDestroyed()) win.webContents.send(channel, payload)
    }
  })
  const created = await createAppServices({
    vault: new SafeStorageVault({ log }),
    settings: new ElectronSettingsStore({ log }),
    dialer,
    files: new ElectronFileDialogs(),
    log,
    emit,
    dataDir,
  })
  services = created
  registerDispatcher(
    ipcMain,
    createDispatcher(created.impls, {
      isAllowedSender: security.isAllowedSender,
      logError: (message, error) => log.error(message, error),
    }),
  )

  mainWindow = createWindow()
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow()
  })
}

async function disposeServices(): Promise<void> {
  if (!services) return
  const timeout = new Promise<void>((resolve) => setTimeout(resolve, DISPOSE_TIMEOUT_MS).unref())
  await Promise.race([
    services.dispose().catch((e: unknown) => log.error('dispose failed', e)),
    timeout,
  ])
}

if (!app.requestSingleInstanceLock()) {
  // A second copy would fight the first over the vault, the settings and the sync queue.
  app.quit()
} else {
  app.on('second-instance', focusMainWindow)

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })

  // Quitting waits (bounded) for the services to flush their queues and close their stores.
  app.on('will-quit', (event) => {
    if (disposed || !services) return
    event.preventDefault()
    disposed = true
    void disposeServices().finally(() => app.quit())
  })

  start().catch((e: unknown) => {
    log.error('startup failed', e)
    // an AppError's message is Chinese text meant for the user; anything else stays in the log
    const detail = e instanceof AppError ? e.message : '启动失败，请重试；如持续出现请联系支持。'
    dialog.showErrorBox('置业外呼工作台无法启动', detail)
    app.exit(1)
  })
}
