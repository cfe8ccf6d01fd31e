import { join } from 'node:path'
import { app, BrowserWindow, dialog, ipcMain } from 'electron'
import { AppError } from '../core/app-error'
import { createDispatcher } from '../ipc/dispatcher'
import { createEventEmitter, registerDispatcher } from '../ipc/register'
import { createAppServices, type AppServices } from '../services'
import { APP_ENTRY_URL } from '../services/app-protocol/app-protocol'
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
import { readVaultSecrets, withSecretRegistry } from '../services/diagnostics/log-redact'
import { ElectronFileDialogs } from './file-dialogs'
import { setupLogging } from './logging'
import { createElectronUpdaterEngine, updateFeedUrl } from './updater'
import { ElectronSettingsStore } from './settings-electron-store'
import { softphoneOf, softphoneOrigin } from '../../shared/softphone-defaults'
import { SafeStorageVault } from './vault-safe-storage'

/** How long quitting waits for the services to flush before giving up. */
const DISPOSE_TIMEOUT_MS = 5_000

// electron-log with rotation; every line passes the redactor (secret-named keys, token=…
// patterns, and every value stored in the vault, registered before anything logs).
const logging = setupLogging({ consoleLevel: app.isPackaged ? 'warn' : 'info' })
const log: Logger = logging.logger

// Before `ready`: the privileged scheme and the sandbox for every renderer (#4).
registerAppScheme()
app.enableSandbox()

// read per response and per permission request: the softphone's settings may change at runtime
// (the store opens once the app is ready; until then the softphone counts as off)
let settingsStore: ElectronSettingsStore | null = null
const softphoneNow = () => {
  const s = settingsStore ? softphoneOf(settingsStore.get()) : null
  return { enabled: s?.enabled ?? false, origin: s ? softphoneOrigin(s) : null }
}
const security = securityForRun(() => softphoneNow().origin)
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
  const settings = new ElectronSettingsStore({ log })
  settingsStore = settings
  installSessionGuards({
    csp: security.csp,
    devOrigin: security.mode.devOrigin,
    softphone: softphoneNow,
    log,
  })
  installWebContentsGuards({ devOrigin: security.mode.devOrigin, dialer, log })
  installAppProtocol(join(import.meta.dirname, '../renderer'), security.csp, log)

  const dataDir = app.getPath('userData')
  const emit = createEventEmitter((channel, payload) => {
    for (const win of BrowserWindow.getAllWindows()) {
      if (!win.isDestroyed()) win.webContents.send(channel, payload)
    }
  })
  const vault = withSecretRegistry(new SafeStorageVault({ log }), (v) => logging.addSecrets([v]))
  await readVaultSecrets(vault)
  const feedUrl = updateFeedUrl()
  const updater =
    app.isPackaged && feedUrl
      ? {
          feedUrl,
          engine: createElectronUpdaterEngine({
            logger: logging.updaterLogger,
            // the outbox is on disk: the "records not synced" prompt must not block the installer
            beforeQuit: () => {
              leaveConfirmed = true
            },
          }),
        }
      : null
  const created = await createAppServices({
    vault,
    settings,
    dialer,
    files: new ElectronFileDialogs(),
    log,
    emit,
    dataDir,
    // training mode ships the sandbox; loaded only when training is switched on
    // its control API (faults, reset) only in development, behind a per-launch token
    startSandbox: async () =>
      (await import('../sandbox')).startSandbox(app.isPackaged ? { control: 'off' } : {}),
    appVersion: app.getVersion(),
    updater,
    recentLogLines: () => logging.recentLines(500),
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
  created.updates.start()
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
