import { mkdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { ConnectionProfile } from '../../shared/connection-profile'
import { createDispatcher, type Dispatcher } from '../ipc/dispatcher'
import { createEventEmitter, type EventSink } from '../ipc/register'
import { createAppServices } from '../services'
import { FolderFileDialogs } from '../services/files/folder-dialogs'
import type { Dialer, Logger } from '../services/ports'
import { JsonFileSettingsStore } from '../services/settings/settings-store'
import { FileVault } from '../services/vault/vault'
import { startBridgeHost, type BridgeHost } from './host'
import { softphoneOf, softphoneOrigin } from '../../shared/softphone-defaults'

/**
 * What `npm run start:web` runs, and what the E2E tests start: the app's real services and
 * dispatcher with Node ports (a file vault, a JSON settings file, a logging dialer), behind the
 * web bridge instead of Electron's IPC.
 */

export interface WebAppOptions {
  /** the built renderer (out/renderer) */
  rendererDir: string
  /** where the vault, settings and local stores live */
  dataDir: string
  /** 0 (the default) picks a free port */
  port?: number
  log?: Logger
  /** a connection profile imported at start, as an administrator would (the sandbox's) */
  profile?: ConnectionProfile
}

export interface RunningWebApp {
  /** the URL to open (carries the token) */
  url: string
  origin: string
  dispatcher: Dispatcher
  host: BridgeHost
  close(): Promise<void>
}

export async function startWebApp(opts: WebAppOptions): Promise<RunningWebApp> {
  const log = opts.log ?? consoleLogger()
  const dataDir = resolve(opts.dataDir)
  await mkdir(dataDir, { recursive: true })

  // Services and dispatcher exist before the host that gives them their origin and event sink.
  let host: BridgeHost | undefined
  const sink: EventSink = (channel, payload) => host?.emit(channel, payload)
  const vaultDir = join(dataDir, 'vault')
  const settings = new JsonFileSettingsStore({ file: join(dataDir, 'settings.json'), log })
  await mkdir(vaultDir, { recursive: true })
  const services = await createAppServices({
    vault: new FileVault({
      file: join(vaultDir, 'secrets.json'),
      keyFile: join(vaultDir, 'key'),
      log,
    }),
    settings,
    dialer: loggingDialer(log),
    // no desktop dialogs here: exports land in a folder, imports come from one
    files: new FolderFileDialogs({
      exportDir: join(dataDir, 'exports'),
      importDir: join(dataDir, 'imports'),
    }),
    log,
    emit: createEventEmitter(sink),
    dataDir,
    startSandbox: async () => (await import('../sandbox')).startSandbox(),
  })

  const dispatcher = createDispatcher(services.impls, {
    // the page's senderUrl is built by the host from the Origin it verified
    isAllowedSender: (url) => host !== undefined && isSameOrigin(url, host.origin),
    logError: (message, error) => log.error(message, error),
  })

  try {
    host = await startBridgeHost({
      dispatcher,
      rendererDir: opts.rendererDir,
      // the page may reach the softphone's PBX, as main's header CSP allows in Electron
      connectOrigin: () => softphoneOrigin(softphoneOf(settings.get())),
      ...(opts.port !== undefined ? { port: opts.port } : {}),
      log,
    })
  } catch (e) {
    await services.dispose()
    throw e
  }
  const running = host

  if (opts.profile) {
    try {
      await services.impls.settings.importProfile({ text: JSON.stringify(opts.profile) })
    } catch (e) {
      // the app still opens; the agent sees the missing configuration on screen
      log.warn('web bridge: could not import the connection profile', {
        error: e instanceof Error ? e.message : String(e),
      })
    }
  }

  let closing: Promise<void> | undefined
  return {
    url: running.url,
    origin: running.origin,
    dispatcher,
    host: running,
    close() {
      closing ??= (async () => {
        await running.close()
        await services.dispose()
      })()
      return closing
    },
  }
}

function isSameOrigin(url: string | undefined, origin: string): boolean {
  if (!url) return false
  try {
    return new URL(url).origin === origin
  } catch {
    return false
  }
}

/** The browser opens tel: links itself; the bridge only records what main would have opened. */
export function loggingDialer(log: Logger): Dialer {
  return {
    async open(uri) {
      log.info('web bridge: dial', { uri })
    },
  }
}

/** Logs to stderr, so the one line on stdout stays the URL. */
export function consoleLogger(): Logger {
  const line = (level: string, message: string, data?: unknown): void => {
    const extra = data === undefined ? '' : ` ${format(data)}`
    process.stderr.write(`[${new Date().toISOString()}] ${level} ${message}${extra}\n`)
  }
  return {
    info: (message, data) => line('INFO', message, data),
    warn: (message, data) => line('WARN', message, data),
    error: (message, error) => line('ERROR', message, error),
  }
}

function format(data: unknown): string {
  if (data instanceof Error) return data.stack ?? data.message
  try {
    return JSON.stringify(data)
  } catch {
    return String(data)
  }
}
