import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { CallcenterApi } from '../../shared/ipc/contract'
import type { IpcResult } from '../../shared/ipc/errors'
import { createDispatcher, type Dispatcher } from '../../electron/ipc/dispatcher'
import { createEventEmitter } from '../../electron/ipc/register'
import { startSandbox, type RunningSandbox } from '../../electron/sandbox'
import { createAppServices, type AppServices } from '../../electron/services'
import type { Logger } from '../../electron/services/ports'
import { FolderFileDialogs } from '../../electron/services/files/folder-dialogs'
import { MemorySettingsStore } from '../../electron/services/settings/settings-store'
import { MemoryVault } from '../../electron/services/vault/vault'
import { createInMemoryIpcPair } from './in-memory-ipc'

export interface AppHarness {
  api: CallcenterApi
  dispatcher: Dispatcher
  pair: ReturnType<typeof createInMemoryIpcPair>
  sandbox: RunningSandbox
  services: AppServices
  vault: MemoryVault
  settings: MemorySettingsStore
  dataDir: string
  logLines: string[]
  events: { channel: string; payload: unknown }[]
  dialled: string[]
  /** the same data dir and sandbox, new services: what a restart of the app sees */
  restart(): Promise<AppHarness>
  close(): Promise<void>
}

export function recordingLogger(lines: string[]): Logger {
  const line = (level: string, message: string, data?: unknown): void => {
    lines.push(`${level} ${message} ${data === undefined ? '' : JSON.stringify(data, errorJson)}`)
  }
  return {
    info: (m, d) => line('info', m, d),
    warn: (m, d) => line('warn', m, d),
    error: (m, e) => line('error', m, e),
  }
}

function errorJson(_key: string, value: unknown): unknown {
  return value instanceof Error ? { name: value.name, message: value.message } : value
}

/** The app's real services and IPC door over the in-memory pair, on a training sandbox. */
export async function startAppHarness(
  opts: { sandbox?: RunningSandbox; dataDir?: string; vault?: MemoryVault } = {},
): Promise<AppHarness> {
  const sandbox = opts.sandbox ?? (await startSandbox({ seed: 7, today: '2026-11-22' }))
  const ownsSandbox = !opts.sandbox
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'cc-app-'))
  const vault = opts.vault ?? new MemoryVault()
  const settings = new MemorySettingsStore()
  const logLines: string[] = []
  const log = recordingLogger(logLines)
  const events: { channel: string; payload: unknown }[] = []
  const dialled: string[] = []
  const sink: { pair?: ReturnType<typeof createInMemoryIpcPair> } = {}
  const emit = createEventEmitter((channel, payload) => {
    events.push({ channel, payload })
    sink.pair?.emit(channel, payload)
  })
  const services = await createAppServices({
    vault,
    settings,
    log,
    emit,
    dataDir,
    files: new FolderFileDialogs({
      exportDir: join(dataDir, 'exports'),
      importDir: join(dataDir, 'imports'),
    }),
    dialer: { open: async (uri) => void dialled.push(uri) },
    // the harness owns the sandbox: the services must not close it on dispose
    startSandbox: async () => ({ ...sandbox, close: async () => {} }),
    // cheap password hashes: the production scrypt cost is checked in its own unit test
    passwordHashing: { N: 1024, r: 8, p: 1 },
  })
  const dispatcher = createDispatcher(services.impls, {
    isAllowedSender: (url) => url === 'app://callcenter/index.html',
    logError: (m, e) => log.error(m, e),
  })
  const pair = createInMemoryIpcPair(dispatcher)
  sink.pair = pair
  const h: AppHarness = {
    api: pair.api,
    dispatcher,
    pair,
    sandbox,
    services,
    vault,
    settings,
    dataDir,
    logLines,
    events,
    dialled,
    restart: async () => {
      await services.dispose()
      return startAppHarness({ sandbox, dataDir, vault })
    },
    close: async () => {
      await services.dispose()
      if (ownsSandbox) await sandbox.close()
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true })
    },
  }
  return h
}

/** the value of an IPC result, or a test failure showing the error */
/**
 * A harness with the documented agent (00006) logged in and the catalog a calling screen loads
 * first (projects, outcomes) read, as the calling tests start.
 */
export async function startAtWork(): Promise<AppHarness> {
  const h = await startAppHarness()
  ok(await h.api.session.login({ userNum: '00006', password: '888', remember: false }))
  ok(await h.api.catalog.projects())
  ok(await h.api.catalog.callbackItems())
  return h
}

export function ok<T>(r: IpcResult<T>): T {
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.error)}`)
  return r.value
}

export function err<T>(r: IpcResult<T>): Extract<IpcResult<T>, { ok: false }>['error'] {
  if (r.ok) throw new Error(`expected an error, got ${JSON.stringify(r.value)}`)
  return r.error
}

/** polls until check() returns true (or a value), or fails after timeoutMs */
export async function waitFor<T>(
  check: () => T | false | undefined | null | Promise<T | false | undefined | null>,
  what: string,
  timeoutMs = 5_000,
): Promise<T> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const v = await check()
    if (v !== false && v !== undefined && v !== null) return v
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}
