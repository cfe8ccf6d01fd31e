/**
 * One headless desktop of the fleet (fleet.ts starts many, SIGKILLs and restarts them): the app's
 * real services over its own data dir, driven through the IPC door as the screens drive it —
 * login, project, package, next number, save the call with a follow-up — in a loop.
 *
 * stdout, one line each:
 *   ACK <profile> <phone> <outboxId>   a save returned: on disk, the screen would say 已保存
 *   PHASE <name>                       training-switch progress (the harness acts on some)
 *   DONE <json>                        drained; the outbox as the sync panel lists it
 *   FAILED <json>                      an item the remote system refused (a bug here)
 *
 * Configuration: JSON in FLEET_DESKTOP (DesktopConfig).
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import type { ConnectionProfile } from '../../shared/connection-profile'
import type { OutboxItem } from '../../shared/domain'
import type { CallcenterApi } from '../../shared/ipc/contract'
import type { IpcResult } from '../../shared/ipc/errors'
import { createDispatcher } from '../../electron/ipc/dispatcher'
import { createEventEmitter } from '../../electron/ipc/register'
import { createAppServices } from '../../electron/services'
import { FolderFileDialogs } from '../../electron/services/files/folder-dialogs'
import { JsonFileSettingsStore } from '../../electron/services/settings/settings-store'
import { FileVault } from '../../electron/services/vault/vault'
import { createInMemoryIpcPair } from '../support/in-memory-ipc'

export interface DesktopConfig {
  desk: number
  dataDir: string
  /** the production servers (the fleet's sandbox), imported as an administrator would */
  production: ConnectionProfile
  /** the training sandbox this desktop's training mode uses (a second sandbox) */
  training: ConnectionProfile
  /**
   * production: the call loop against the fleet's sandbox. training-switch: calls in training
   * while training is unreachable, a switch to production with those items queued, calls
   * there, then back to training to drain.
   */
  mode: 'production' | 'training-switch'
  packages: { projectId: number; packageId: number }[]
  /** production: calls still to make; training-switch: calls per phase */
  calls: number
  pauseMs: number
}

const cfg = JSON.parse(process.env.FLEET_DESKTOP ?? '{}') as DesktopConfig
const say = (line: string): void => void process.stdout.write(`${line}\n`)
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

function ok<T>(r: IpcResult<T>, what: string): T {
  if (!r.ok) throw new Error(`${what}: ${JSON.stringify(r.error)}`)
  return r.value
}

/**
 * What an agent does when a screen says the server could not be reached (the harness injects
 * that): tries again. The server's own refusal is not retried.
 */
async function again<T>(call: () => Promise<IpcResult<T>>, what: string): Promise<T> {
  for (let n = 1; ; n++) {
    const r = await call()
    if (r.ok) return r.value
    if (r.error.kind === 'remote' || n >= 200)
      throw new Error(`${what}: ${JSON.stringify(r.error)}`)
    await sleep(150)
  }
}

const quiet = process.env.FLEET_VERBOSE ? undefined : (): void => {}
const log = {
  info: (m: string, d?: unknown) => (quiet ?? console.error)(`[desk ${cfg.desk}] ${m}`, d ?? ''),
  warn: (m: string, d?: unknown) => (quiet ?? console.error)(`[desk ${cfg.desk}] ${m}`, d ?? ''),
  error: (m: string, e?: unknown) => console.error(`[desk ${cfg.desk}] ${m}`, e ?? ''),
}

async function main(): Promise<void> {
  mkdirSync(join(cfg.dataDir, 'vault'), { recursive: true })
  const services = await createAppServices({
    vault: new FileVault({
      file: join(cfg.dataDir, 'vault', 'secrets.json'),
      keyFile: join(cfg.dataDir, 'vault', 'key'),
    }),
    settings: new JsonFileSettingsStore({ file: join(cfg.dataDir, 'settings.json'), log }),
    dialer: { open: async () => {} },
    files: new FolderFileDialogs({
      exportDir: join(cfg.dataDir, 'exports'),
      importDir: join(cfg.dataDir, 'imports'),
    }),
    log,
    emit: createEventEmitter(() => {}),
    dataDir: cfg.dataDir,
    // the training sandbox is another process's: nothing to close here
    startSandbox: async () => ({ profile: cfg.training, close: async () => {} }),
    passwordHashing: { N: 1024, r: 8, p: 1 },
  })
  const dispatcher = createDispatcher(services.impls, {
    isAllowedSender: () => true,
    logError: (m, e) => log.error(m, e),
  })
  const api = createInMemoryIpcPair(dispatcher).api

  if (cfg.mode === 'production') {
    await useProfile(api, 'production')
    await callLoop(api, 'A', cfg.calls)
  } else {
    await trainingSwitch(api)
  }
  await drain(api)
  await services.dispose()
}

async function useProfile(api: CallcenterApi, which: 'production' | 'training'): Promise<void> {
  if (which === 'production') {
    ok(await api.settings.importProfile({ text: JSON.stringify(cfg.production) }), 'import')
  } else {
    ok(await api.settings.update({ trainingMode: true }), 'training mode')
  }
  await again(
    () => api.session.login({ userNum: '00006', password: '888', remember: false }),
    'login',
  )
}

async function callLoop(api: CallcenterApi, tag: string, calls: number): Promise<void> {
  await again(() => api.catalog.projects(), 'projects')
  await again(() => api.catalog.callbackItems(), 'callback items')
  let done = 0
  let k = 0
  while (done < calls) {
    const ref = cfg.packages[k % cfg.packages.length]!
    await again(() => api.catalog.packages({ projectId: ref.projectId }), 'packages')
    const next = await api.calling.nextPhone(ref)
    if (!next.ok) {
      if (next.error.kind !== 'remote') {
        await sleep(150)
        continue
      }
      // this package is through: the next one
      if (++k > cfg.packages.length * 4) throw new Error(JSON.stringify(next.error))
      continue
    }
    const phone = next.value
    const saved = ok(
      await api.calling.saveCallback({
        ...ref,
        phoneId: phone.phoneId,
        phone: phone.phone,
        ownerName: phone.ownerName,
        callbackItem: '继续跟进',
        notes: `fleet ${cfg.desk}`,
        nextFollowDate: '2026-12-01',
        nextFollowContent: '再次联系',
        intent: 'B',
      }),
      'save',
    )
    say(`ACK ${tag} ${phone.phone} ${saved.id}`)
    done++
    if (cfg.pauseMs > 0) await sleep(Math.random() * cfg.pauseMs)
  }
}

/** Waits for the harness to answer a PHASE line with GO on stdin. */
async function go(lines: AsyncIterator<string>): Promise<void> {
  for (;;) {
    const r = await lines.next()
    if (r.done) throw new Error('stdin closed')
    if (r.value.trim() === 'GO') return
  }
}

async function trainingSwitch(api: CallcenterApi): Promise<void> {
  const stdin = createInterface({ input: process.stdin })[Symbol.asyncIterator]()
  // 1. training, whose servers are unreachable: the saves wait in the outbox
  await useProfile(api, 'training')
  await callLoop(api, 'B', cfg.calls)
  // 2. the agent switches to production with training items still queued
  await useProfile(api, 'production')
  await callLoop(api, 'A', cfg.calls)
  await drainCurrent(api)
  const status = ok(await api.sync.status(), 'status')
  say(`PHASE production-drained ${JSON.stringify(status.otherProfile ?? null)}`)
  await go(stdin)
  // 3. back to training (the harness has brought it back): its items go there
  await useProfile(api, 'training')
  say('PHASE training-again')
}

/** Until the current profile's items are through (the agent retries parked ones). */
async function drainCurrent(api: CallcenterApi, timeoutMs = 180_000): Promise<void> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const s = ok(await api.sync.status(), 'status')
    if (s.pending + s.sending + s.uncertain + s.failed === 0) return
    if (Date.now() > until) throw new Error(`not drained: ${JSON.stringify(s)}`)
    const open = ok(
      await api.sync.list({ states: ['uncertain', 'failed'], limit: 500 }),
      'list',
    ) as OutboxItem[]
    for (const item of open) {
      if (item.otherProfile) continue
      if (item.state === 'failed' && item.lastError?.field === 'gender') {
        // parked for the agent by design (the Data Center takes no unknown gender and the app
        // never guesses): the agent picks one in the sync panel and retries
        ok(await api.sync.edit({ id: item.id, fields: { gender: '2' } }), 'edit')
        ok(await api.sync.retry({ id: item.id }), 'retry')
      } else if (item.state === 'failed') {
        say(`FAILED ${JSON.stringify(item)}`)
        ok(await api.sync.discard({ id: item.id }), 'discard')
      } else if (item.nextAttemptAt === null) {
        // parked 结果不确定: the agent presses 重试
        ok(await api.sync.retry({ id: item.id }), 'retry')
      }
    }
    ok(await api.sync.flush(), 'flush')
    await sleep(300)
  }
}

async function drain(api: CallcenterApi): Promise<void> {
  await drainCurrent(api)
  const items = ok(await api.sync.list({ limit: 500 }), 'list') as OutboxItem[]
  const slim = items.map((i) => ({
    id: i.id,
    kind: i.kind,
    phone: i.phone,
    state: i.state,
    uncertain: i.uncertain,
    profile: i.profile,
  }))
  say(`DONE ${JSON.stringify(slim)}`)
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(`[desk ${cfg.desk}] failed:`, e)
    process.exit(1)
  },
)
