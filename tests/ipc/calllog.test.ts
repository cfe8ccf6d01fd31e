import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
process.env.TZ = 'Asia/Shanghai'

import type { ExportProgress } from '../../shared/calllog'
import type { ServiceImpls } from '../../shared/ipc/contract'
import { createDispatcher } from '../../electron/ipc/dispatcher'
import { createEventEmitter } from '../../electron/ipc/register'
import { startSandbox, type RunningSandbox } from '../../electron/sandbox'
import { createCallingService } from '../../electron/services/calling/calling-service'
import {
  createCallLogService,
  type AppCallLogService,
} from '../../electron/services/calllog/calllog-service'
import { readCallLogCsv } from '../../electron/services/calllog/csv'
import { CallLogStore } from '../../electron/services/calllog/store'
import { readCallLogXlsx, writeCallLogXlsx } from '../../electron/services/calllog/xlsx'
import { createCatalogService } from '../../electron/services/catalog/catalog-service'
import { ConnectionManager } from '../../electron/services/connections/connections'
import { createCustomerService } from '../../electron/services/customer/customer-service'
import { openDatabase, type AppDatabase } from '../../electron/services/db/database'
import { DncStore } from '../../electron/services/calling/dnc-store'
import { RefCache } from '../../electron/services/db/ref-cache'
import { DispensedStore } from '../../electron/services/calling/dispensed-store'
import { FolderFileDialogs } from '../../electron/services/files/folder-dialogs'
import { createOutbox, type AppOutbox } from '../../electron/services/outbox'
import { ProjectDirectory } from '../../electron/services/catalog/project-directory'
import { createSessionService } from '../../electron/services/session/session-service'
import { SessionState } from '../../electron/services/session/session-state'
import { PasswordGuard } from '../../electron/services/session/password-guard'
import { MemorySettingsStore } from '../../electron/services/settings/settings-store'
import { createSyncService } from '../../electron/services/outbox/sync-service'
import { MemoryVault } from '../../electron/services/vault/vault'
import { createInMemoryIpcPair } from '../support/in-memory-ipc'
import { err, ok, recordingLogger, waitFor } from '../support/app-harness'

/**
 * The call log over the in-memory IPC pair, through the real services against the sandbox.
 *
 * Until createAppServices wires the call log, this file builds the services the way it will
 * (see the wiring in the report); then startAppHarness can replace startCallLogApp.
 */
interface CallLogApp {
  api: ReturnType<typeof createInMemoryIpcPair>['api']
  transcript: string[]
  callLog: AppCallLogService
  db: AppDatabase
  outbox: AppOutbox
  exportDir: string
  importDir: string
  progress: ExportProgress[]
  close(): Promise<void>
}

async function startCallLogApp(sandbox: RunningSandbox): Promise<CallLogApp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-calllog-'))
  const exportDir = path.join(dataDir, 'exports')
  const importDir = path.join(dataDir, 'imports')
  fs.mkdirSync(importDir, { recursive: true })
  const log = recordingLogger([])
  const settings = new MemorySettingsStore()
  const vault = new MemoryVault()
  const sink: { pair?: ReturnType<typeof createInMemoryIpcPair> } = {}
  const emit = createEventEmitter((channel, payload) => sink.pair?.emit(channel, payload))
  const now = () => new Date()
  const connections = new ConnectionManager({
    settings,
    vault,
    log,
    dataDir,
    startSandbox: async () => ({ ...sandbox, close: async () => {} }),
  })
  const state = new SessionState()
  const dispensed = new DispensedStore(path.join(dataDir, 'dispensed-phones.json'), log)
  const db = openDatabase(path.join(dataDir, 'callcenter.db'), { log, now })
  const cache = new RefCache(db, now)
  const dnc = new DncStore(db, now)
  const projects = new ProjectDirectory()
  const outbox = createOutbox({ db, connections, log, cache, now: () => now().getTime() })
  // one attempt counter, at a cheap hash cost (the production cost has its own unit test)
  const passwords = new PasswordGuard(cache, { params: { N: 1024, r: 8, p: 1 } })
  // --- the wiring createAppServices gets ---
  const callLog = createCallLogService({
    db,
    state,
    files: new FolderFileDialogs({ exportDir, importDir }),
    emit: (event, progress) => emit(event, progress),
    log,
    now,
    passwords,
    // small batches: a cancel has many batch boundaries to land on
    batchSize: 500,
    progressIntervalMs: 0,
  })
  const catalog = createCatalogService({ connections, state, projects, cache, now })
  const impls = {
    session: createSessionService({
      ...{ connections, vault, state, cache, log, now, passwords },
      onAgentStatus: (info) => callLog.agentStatus(info),
    }),
    catalog,
    calling: createCallingService({
      connections,
      state,
      dispensed,
      outbox,
      dnc,
      projects,
      callbackNames: async () => (await catalog.callbackItems()).map((i) => i.name),
      settings,
      dialer: { open: async () => {} },
      log,
      now,
      callLog: callLog.store,
      catalogCache: cache,
    }),
    customer: createCustomerService({ connections, state, outbox, log, callLog: callLog.store }),
    sync: createSyncService({ outbox }),
    calllog: callLog,
  } as unknown as ServiceImpls
  // ---
  const dispatcher = createDispatcher(impls, {
    isAllowedSender: (url) => url === 'app://callcenter/index.html',
    logError: (m, e) => log.error(m, e),
  })
  const pair = createInMemoryIpcPair(dispatcher)
  sink.pair = pair
  const progress: ExportProgress[] = []
  pair.api.on('exportProgress', (p) => progress.push(p))
  return {
    api: pair.api,
    transcript: pair.transcript,
    callLog,
    db,
    outbox,
    exportDir,
    importDir,
    progress,
    close: async () => {
      await callLog.dispose()
      await outbox.stop()
      await connections.dispose()
      db.close()
      fs.rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

let sandbox: RunningSandbox
let app: CallLogApp
beforeAll(async () => {
  sandbox = await startSandbox({ seed: 7, today: '2026-11-22' })
})
afterAll(async () => {
  await sandbox.close()
})
beforeEach(async () => {
  app = await startCallLogApp(sandbox)
})
afterEach(async () => {
  await app.close()
})

const ref = { projectId: 141, packageId: 467 }
const SUPERVISOR_PASSWORD = 'Zg-主管-7731'

async function login(userNum: string): Promise<void> {
  ok(await app.api.session.login({ userNum, password: '888', remember: false }))
  // the screens load these first; the call log takes project and package names from them
  ok(await app.api.catalog.projects())
  ok(await app.api.catalog.packages({ projectId: ref.projectId }))
  ok(await app.api.catalog.callbackItems())
}

/** one call: next number, a dial of `seconds`, the result saved */
async function call(callbackItem: string, seconds = 42, notes = ''): Promise<string> {
  const phone = ok(await app.api.calling.nextPhone(ref))
  const dialledAt = new Date(Date.now() - seconds * 1000).toISOString()
  ok(
    await app.api.calling.saveCallback({
      ...ref,
      phoneId: phone.phoneId,
      phone: phone.phone,
      ownerName: phone.ownerName,
      callbackItem,
      notes,
      dialledAt,
      endedAt: new Date().toISOString(),
    }),
  )
  return phone.phone
}

describe('call log over IPC', () => {
  it('the supervisor’s figures: intent saved, connect rate, pauses recorded from the status', async () => {
    await login('00006')
    const phone = ok(await app.api.calling.nextPhone(ref))
    ok(
      await app.api.calling.saveCallback({
        ...ref,
        phoneId: phone.phoneId,
        phone: phone.phone,
        ownerName: phone.ownerName,
        callbackItem: '接受邀请',
        intent: 'A',
      }),
    )
    await call('无人接听', 5)
    ok(await app.api.session.setAgentStatus({ state: 'paused', reason: '休息' }))
    await new Promise((r) => setTimeout(r, 1100))
    ok(await app.api.session.setAgentStatus({ state: 'ready' }))
    ok(await app.api.session.setAgentStatus({ state: 'paused', reason: '会议' }))
    // a logout ends the pause
    ok(await app.api.session.logout())
    await login('00006')
    const rows = ok(await app.api.calllog.query({ filter: {}, page: 1, pageSize: 10 })).rows
    expect(rows.map((r) => r.intent)).toEqual(['C', 'A'])
    const team = ok(await app.api.calllog.stats({})).team
    expect(team.all).toMatchObject({ made: 2, connected: 1, connectRate: 0.5 })
    expect(team.pauses.map((p) => [p.reason, p.count])).toEqual([
      ['休息', 1],
      ['会议', 1],
    ])
    expect(team.pauses.find((p) => p.reason === '休息')!.seconds).toBeGreaterThanOrEqual(1)
    const open = app.db.connection
      .prepare('SELECT COUNT(*) AS n FROM agent_pause WHERE ended_at IS NULL')
      .get() as { n: number }
    expect(open.n).toBe(0)
  })

  it('an agent sees their own calls; supervisor mode sees every agent’s', async () => {
    await login('00006')
    const first = await call('继续跟进', 95, '客户关注学位')
    const second = await call('接受邀请', 30)
    const third = await call('无人接听', 0)
    ok(await app.api.calling.markDnc({ phone: third }))
    ok(
      await app.api.customer.saveToCustomer({
        projectId: ref.projectId,
        customerName: '李建华',
        phone: second,
        gender: 'M',
        customerType: '01',
        recommend: '星汇云锦',
        followContent: '有意成交',
      }),
    )
    const mine = ok(await app.api.calllog.query({ filter: {} }))
    expect(mine.total).toBe(3)
    expect(mine.rows.map((r) => r.phone)).toEqual([third, second, first])
    expect(mine.rows[2]).toMatchObject({
      userNum: '00006',
      userName: '冯依敏',
      projectId: 141,
      projectName: '万科东荟城',
      packageId: 467,
      packageName: 'VIP 客户',
      callbackItem: '继续跟进',
      notes: '客户关注学位',
      durationS: 95,
      savedToCustomer: false,
      dnc: false,
    })
    expect(mine.rows[2]!.dispensedAt).not.toBeNull()
    expect(mine.rows[1]).toMatchObject({ savedToCustomer: true, dnc: false })
    expect(mine.rows[0]).toMatchObject({ dnc: true, savedToCustomer: false })
    // the sync state follows the outbox
    await waitFor(
      async () =>
        ok(await app.api.calllog.query({ filter: {} })).rows.every(
          (r) => r.syncState === 'delivered',
        ),
      'the saves to be delivered',
      10_000,
    )
    expect(
      ok(await app.api.calllog.query({ filter: { search: first.slice(-4) } })).rows[0]?.phone,
    ).toBe(first)
    ok(await app.api.session.logout())

    await login('00007')
    await call('拒绝', 12)
    const theirs = ok(await app.api.calllog.query({ filter: {} }))
    expect(theirs.rows.map((r) => r.userNum)).toEqual(['00007'])
    // asking for another agent's rows is not a way around the scope
    expect(ok(await app.api.calllog.query({ filter: { userNum: '00006' } })).total).toBe(0)
    expect(ok(await app.api.calllog.agents())).toEqual([{ userNum: '00007', userName: '陈浩然' }])
    expect(ok(await app.api.calllog.stats({})).total).toBe(1)
    expect(err(await app.api.calllog.importFile())).toMatchObject({ kind: 'forbidden' })
    expect(
      err(
        await app.api.calllog.export({
          filter: {},
          format: 'csv',
          columns: ['id', 'phone'],
          maskPhones: false,
        }),
      ),
    ).toMatchObject({ kind: 'forbidden', message: expect.stringContaining('主管模式') })

    expect(ok(await app.api.calllog.supervisorStatus())).toEqual({
      configured: false,
      unlocked: false,
    })
    expect(ok(await app.api.calllog.setSupervisorPassword({ next: SUPERVISOR_PASSWORD }))).toEqual({
      configured: true,
      unlocked: true,
    })
    const all = ok(await app.api.calllog.query({ filter: {} }))
    expect(all.total).toBe(4)
    expect(ok(await app.api.calllog.agents())).toEqual([
      { userNum: '00006', userName: '冯依敏' },
      { userNum: '00007', userName: '陈浩然' },
    ])
    const stats = ok(await app.api.calllog.stats({}))
    expect(stats).toMatchObject({ total: 4, savedToCustomer: 1, conversionRate: 0.25 })
    expect(stats.perAgent.map((a) => [a.userNum, a.calls])).toEqual([
      ['00006', 3],
      ['00007', 1],
    ])
    expect(ok(await app.api.calllog.query({ filter: { userNum: '00006' } })).total).toBe(3)
    expect(ok(await app.api.calllog.stats({ userNum: '00006', result: '接受邀请' })).total).toBe(1)

    ok(await app.api.calllog.supervisorLock())
    expect(ok(await app.api.calllog.query({ filter: {} })).total).toBe(1)
    expect(err(await app.api.calllog.supervisorUnlock({ password: 'wrong-one' }))).toMatchObject({
      kind: 'forbidden',
      field: 'password',
    })
    expect(
      ok(await app.api.calllog.supervisorUnlock({ password: SUPERVISOR_PASSWORD })).unlocked,
    ).toBe(true)
    // a new login starts locked
    ok(await app.api.session.logout())
    await login('00007')
    expect(ok(await app.api.calllog.supervisorStatus())).toEqual({
      configured: true,
      unlocked: false,
    })
    // the password never crossed back to the renderer
    expect(app.transcript.join('\n')).not.toContain(SUPERVISOR_PASSWORD)
  })

  it('export writes the file in the background, reporting progress; cancel leaves nothing', async () => {
    await login('00006')
    await call('继续跟进', 61, '备注，含逗号')
    await call('接受邀请', 15)
    const res = ok(
      await app.api.calllog.export({
        filter: {},
        format: 'csv',
        columns: ['id', 'phone', 'ownerName', 'notes', 'durationS'],
      }),
    )
    expect(res.jobId).toEqual(expect.any(String))
    await waitFor(
      () => app.progress.some((p) => p.jobId === res.jobId && p.state === 'done'),
      'the export',
    )
    const events = app.progress.filter((p) => p.jobId === res.jobId)
    expect(events[0]).toMatchObject({ state: 'running', done: 0, total: 2 })
    const done = events.at(-1)!
    expect(done).toMatchObject({ state: 'done', done: 2, total: 2 })
    expect(path.basename(done.file!)).toMatch(/^通话记录-\d{4}-\d{2}-\d{2}\.csv$/)
    const rows = await readCallLogCsv(done.file!)
    const shown = ok(await app.api.calllog.query({ filter: {} })).rows
    expect(rows.map((r) => r.id)).toEqual(shown.map((r) => r.id))
    // masked unless the supervisor says otherwise
    expect(rows.map((r) => r.phone)).toEqual(
      shown.map((r) => `${r.phone.slice(0, 3)}****${r.phone.slice(-4)}`),
    )
    expect(rows[1]).toMatchObject({ notes: '备注，含逗号', durationS: 61 })

    // a long export, cancelled: no file, no temp file, a 'cancelled' event
    const me = ok(await app.api.session.current())!
    app.db.transaction(() => {
      for (let i = 0; i < 20_000; i++) {
        app.callLog.store.record({
          userNum: me.userNum,
          userName: me.userName,
          machineNo: 'weixin',
          projectId: 141,
          projectName: '万科东荟城',
          packageId: 467,
          packageName: 'VIP 客户',
          phone: `139${String(i).padStart(8, '0')}`,
          ownerName: '王先生',
          dispensedAt: null,
          dialledAt: null,
          endedAt: null,
          callbackItem: '无人接听',
          notes: '',
          nextFollowDate: null,
          nextFollowContent: null,
          outboxId: null,
        })
      }
    })
    fs.rmSync(app.exportDir, { recursive: true, force: true })
    const long = ok(
      await app.api.calllog.export({
        filter: {},
        format: 'xlsx',
        columns: ['id', 'phone', 'notes'],
      }),
    )
    await waitFor(
      () => app.progress.some((p) => p.jobId === long.jobId && p.state === 'running' && p.done > 0),
      'the export to run',
    )
    ok(await app.api.calllog.cancelExport({ jobId: long.jobId! }))
    await app.callLog.settled(long.jobId!)
    const last = app.progress.filter((p) => p.jobId === long.jobId).at(-1)
    expect(last).toMatchObject({ state: 'cancelled', file: null })
    expect(last!.done).toBeLessThan(20_002)
    expect(fs.readdirSync(app.exportDir)).toEqual([])
    // cancelling an export that has ended is harmless
    ok(await app.api.calllog.cancelExport({ jobId: long.jobId! }))
  })

  it('imports the team’s files: several at once, a folder, dropped files; each row once', async () => {
    await login('00006')
    const file = (name: string, n: number, dir = app.importDir): string => {
      const lines = ['记录编号,工号,姓名,机器码,电话,反馈结果,意向,时间 (UTC+08:00)']
      for (let i = 0; i < n; i++) {
        lines.push(
          `${name}-${i},0003${i},坐席${i},${name},1380000000${i},继续跟进,B,2026-11-2${i} 10:00:00`,
        )
      }
      const f = path.join(dir, `${name}.csv`)
      fs.mkdirSync(dir, { recursive: true })
      fs.writeFileSync(f, `\uFEFF${lines.join('\r\n')}\r\n`)
      return f
    }
    file('desk-2', 2)
    file('desk-3', 3)
    fs.writeFileSync(path.join(app.importDir, 'broken.xlsx'), 'not a zip')
    // only in supervisor mode
    expect(err(await app.api.calllog.importFiles({ pick: 'files' })).code).toBe(
      'supervisor-required',
    )
    ok(await app.api.calllog.setSupervisorPassword({ next: SUPERVISOR_PASSWORD }))
    const first = ok(await app.api.calllog.importFiles({ pick: 'files' }))
    expect(first).toMatchObject({ read: 5, added: 5, duplicates: 0 })
    expect(first.files.map((f) => [f.file, f.added, f.error === null])).toEqual([
      ['broken.xlsx', 0, false],
      ['desk-2.csv', 2, true],
      ['desk-3.csv', 3, true],
    ])
    // the folder (with a nested one): the same rows again are duplicates, the new file adds
    file('desk-4', 1, path.join(app.importDir, '四组'))
    const folder = ok(await app.api.calllog.importFiles({ pick: 'folder' }))
    expect(folder).toMatchObject({ read: 6, added: 1, duplicates: 5 })
    // dropped on the window: bytes, no path
    const bytes = fs.readFileSync(
      file('desk-5', 2, fs.mkdtempSync(path.join(os.tmpdir(), 'drop-'))),
    )
    const dropped = ok(
      await app.api.calllog.importDropped({
        files: [{ name: 'desk-5.csv', data: bytes.toString('base64') }],
      }),
    )
    expect(dropped).toMatchObject({ read: 2, added: 2, duplicates: 0 })
    const rows = ok(await app.api.calllog.query({ filter: { userNum: '00030' } })).rows
    // the file's 时间 is the row's time (local wall-clock text); the intent is kept
    expect(rows.map((r) => [r.callTime, r.intent])).toContainEqual([
      '2026-11-20T02:00:00.000Z',
      'B',
    ])
    const cover = ok(await app.api.calllog.coverage())
    expect(cover.desktops.map((d) => d.machineNo)).toEqual(
      expect.arrayContaining(['desk-2', 'desk-3', 'desk-4', 'desk-5']),
    )
    expect(cover.desktops.find((d) => d.machineNo === 'desk-5')?.files).toEqual(['desk-5.csv'])
  })

  it('imports a file exported on another machine: merged, deduplicated by id', async () => {
    await login('00006')
    await call('继续跟进', 20)
    const local = ok(await app.api.calllog.query({ filter: {} })).rows[0]!
    // the other machine's log: two calls of its own, and this machine's row (handed on before)
    const otherDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-other-'))
    try {
      const otherDb = openDatabase(path.join(otherDir, 'callcenter.db'))
      const other = new CallLogStore(otherDb, { now: () => new Date('2026-11-20T02:00:00.000Z') })
      for (const [i, ownerName] of ['周先生', '吴女士'].entries()) {
        other.record({
          userNum: '00031',
          userName: '刘洋',
          machineNo: 'desk-2',
          projectId: 141,
          projectName: '万科东荟城',
          packageId: 467,
          packageName: 'VIP 客户',
          phone: `1380000000${i}`,
          ownerName,
          dispensedAt: null,
          dialledAt: '2026-11-20T01:58:00.000Z',
          endedAt: '2026-11-20T02:00:00.000Z',
          callbackItem: '接受邀请',
          notes: '外地来电',
          nextFollowDate: '2026-11-27',
          nextFollowContent: '复访',
          outboxId: null,
        })
      }
      const theirRows = [...other.batches({}, 'all')].flat()
      otherDb.close()
      await writeCallLogXlsx({
        file: path.join(app.importDir, '通话记录-desk-2.xlsx'),
        columns: [
          'id',
          'userNum',
          'userName',
          'machineNo',
          'projectName',
          'packageName',
          'phone',
          'ownerName',
          'dialledAt',
          'endedAt',
          'callbackItem',
          'notes',
          'nextFollowDate',
          'nextFollowContent',
        ],
        maskPhones: false,
        batches: [theirRows, [local]],
      })
      expect(await readCallLogXlsx(path.join(app.importDir, '通话记录-desk-2.xlsx'))).toHaveLength(
        3,
      )
    } finally {
      fs.rmSync(otherDir, { recursive: true, force: true })
    }
    ok(await app.api.calllog.setSupervisorPassword({ next: SUPERVISOR_PASSWORD }))
    const result = ok(await app.api.calllog.importFile())
    expect(result).toMatchObject({ read: 3, added: 2, duplicates: 1 })
    expect(path.basename(result.file!)).toBe('通话记录-desk-2.xlsx')
    const merged = ok(await app.api.calllog.query({ filter: {} }))
    expect(merged.total).toBe(3)
    // this machine's own row stays its own: still synced through the outbox, not 'imported'
    const own = merged.rows.find((r) => r.id === local.id)
    expect(own?.userNum).toBe('00006')
    expect(['pending', 'sending', 'delivered']).toContain(own?.syncState)
    const imported = merged.rows.filter((r) => r.userNum === '00031')
    expect(imported).toHaveLength(2)
    expect(imported[0]).toMatchObject({
      userName: '刘洋',
      machineNo: 'desk-2',
      syncState: 'imported',
      durationS: 120,
      projectId: 141,
      nextFollowDate: '2026-11-27',
      createdAt: '2026-11-20T02:00:00.000Z',
    })
    expect(
      ok(await app.api.calllog.query({ filter: { userNum: '00031', projectId: 141 } })).total,
    ).toBe(2)
    expect(ok(await app.api.calllog.agents()).map((a) => a.userNum)).toEqual(['00006', '00031'])
    // the same file again adds nothing
    expect(ok(await app.api.calllog.importFile())).toMatchObject({
      read: 3,
      added: 0,
      duplicates: 3,
    })
    // a file without the id column is refused, naming it
    fs.writeFileSync(path.join(app.importDir, 'z.csv'), '\uFEFF电话,客户\r\n13800000009,孙先生\r\n')
    fs.utimesSync(path.join(app.importDir, 'z.csv'), new Date(), new Date(Date.now() + 5_000))
    const e = err(await app.api.calllog.importFile())
    expect(e).toMatchObject({ kind: 'invalid-args', field: 'file' })
    expect(e.message).toContain('记录编号')
  })
})
