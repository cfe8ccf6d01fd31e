import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { CallLogRow } from '../../../shared/calllog'
import { openDatabase, type AppDatabase } from '../../../electron/services/db/database'
import { CallLogStore } from '../../../electron/services/calllog/store'
import type { NewCallLogRow } from '../../../electron/services/calllog/types'

/** China time, as on the agents' machines: day and hour figures are local, not UTC. */
export const ZONE = 'Asia/Shanghai'

export function tempDir(prefix = 'calllog-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix))
}

export interface TestLog {
  dir: string
  db: AppDatabase
  store: CallLogStore
  /** the store's clock; set it before record() to choose created_at */
  clock: { now: Date }
  close(): void
}

export function openTestLog(dir = tempDir()): TestLog {
  const db = openDatabase(path.join(dir, 'callcenter.db'))
  const clock = { now: new Date('2026-11-22T02:00:00.000Z') }
  let n = 0
  const store = new CallLogStore(db, {
    now: () => clock.now,
    newId: () => `row-${String(++n).padStart(6, '0')}`,
  })
  return {
    dir,
    db,
    store,
    clock,
    close: () => {
      db.close()
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}

export function baseRow(over: Partial<NewCallLogRow> = {}): NewCallLogRow {
  return {
    userNum: '00006',
    userName: '冯依敏',
    machineNo: 'weixin',
    projectId: 141,
    projectName: '万科东荟城',
    packageId: 467,
    packageName: 'VIP 客户',
    phone: '15920447900',
    ownerName: '李先生',
    dispensedAt: null,
    dialledAt: null,
    endedAt: null,
    callbackItem: '继续跟进',
    notes: '',
    nextFollowDate: null,
    nextFollowContent: null,
    outboxId: null,
    ...over,
  }
}

/** Records a row at a chosen time (ISO). */
export function recordAt(log: TestLog, at: string, over: Partial<NewCallLogRow> = {}): string {
  log.clock.now = new Date(at)
  return log.store.record(baseRow(over))
}

export const agents = [
  { userNum: '00006', userName: '冯依敏' },
  { userNum: '00007', userName: '王晓东' },
  { userNum: '00008', userName: '陈静' },
]
export const results = ['继续跟进', '无人接听', '接受邀请', '拒绝'] as const
const surnames = ['李', '王', '张', '刘', '陈', '杨', '赵', '黄']

/**
 * n rows, one a minute from start, spread over the agents, two projects, three packages and the
 * results; a varied phone and name per row. Returns what each row was recorded with.
 */
export function seed(
  log: TestLog,
  n: number,
  start = Date.parse('2026-11-01T00:00:00.000Z'),
): (NewCallLogRow & { createdAt: string })[] {
  const out: (NewCallLogRow & { createdAt: string })[] = []
  log.db.transaction(() => {
    for (let i = 0; i < n; i++) {
      const agent = agents[i % agents.length]!
      const at = new Date(start + i * 60_000).toISOString()
      const dialled = new Date(start + i * 60_000 - 120_000).toISOString()
      const row: NewCallLogRow = baseRow({
        ...agent,
        projectId: i % 2 === 0 ? 141 : 142,
        projectName: i % 2 === 0 ? '万科东荟城' : '星汇云锦',
        packageId: 467 + (i % 3),
        packageName: `包${467 + (i % 3)}`,
        phone: `139${String((i * 7_919) % 100_000_000).padStart(8, '0')}`,
        ownerName: `${surnames[i % surnames.length]}${i % 2 ? '先生' : '女士'}${i}`,
        dialledAt: i % 5 === 0 ? null : dialled,
        endedAt:
          i % 5 === 0 ? null : new Date(Date.parse(dialled) + (30 + (i % 7)) * 1000).toISOString(),
        callbackItem: results[i % results.length]!,
        notes: i % 4 === 0 ? `备注，第 ${i} 条` : '',
        savedToCustomer: i % 6 === 0,
      })
      log.clock.now = new Date(at)
      log.store.record(row)
      out.push({ ...row, createdAt: at })
    }
  })
  return out
}

/** A complete CallLogRow for writer tests, with awkward text. */
export function sampleRow(i: number, over: Partial<CallLogRow> = {}): CallLogRow {
  const row: Omit<CallLogRow, 'callTime'> = {
    id: `3f4c6af1-2d55-4591-abf9-${String(i).padStart(12, '0')}`,
    userNum: '00006',
    userName: '冯依敏',
    machineNo: 'weixin-01',
    projectId: 141,
    projectName: '万科东荟城',
    packageId: 467,
    packageName: 'VIP 客户',
    phone: `1592044${String(7900 + i).padStart(4, '0')}`,
    ownerName: i % 2 ? '李先生' : '王女士',
    dispensedAt: '2026-11-22T01:58:00.000Z',
    dialledAt: '2026-11-22T02:00:05.000Z',
    answeredAt: '2026-11-22T02:00:12.000Z',
    endedAt: '2026-11-22T02:01:40.000Z',
    durationS: 95,
    callbackItem: '继续跟进',
    notes: '',
    nextFollowDate: '2026-11-29',
    nextFollowContent: '周末带看',
    savedToCustomer: i % 3 === 0,
    dnc: false,
    syncState: 'delivered',
    createdAt: '2026-11-22T02:01:41.000Z',
    intent: (['A', 'B', 'C', 'D', 'E'] as const)[i % 5]!,
    // the softphone's recording (some rows have none)
    recordingFile:
      i % 2 ? `2026-11-22/2026-11-22_15920447900_${String(i).padStart(8, '0')}.webm` : null,
    ...over,
  }
  // as the store reads it: dialled, else saved
  return { ...row, callTime: over.callTime ?? row.dialledAt ?? row.createdAt }
}

/** Rows whose text has everything a CSV must survive. */
export function awkwardRows(): CallLogRow[] {
  return [
    sampleRow(1, { notes: '客户说："周末再联系"，并且要看 3 号楼' }),
    sampleRow(2, { notes: '第一行\r\n第二行\n第三行\r末尾', ownerName: '欧阳,先生' }),
    sampleRow(3, { notes: '=HYPERLINK("http://evil")', nextFollowContent: '+86 再打', dnc: true }),
    sampleRow(4, { notes: "'=已经有引号", userNum: '00012', machineNo: '0123456789012' }),
    sampleRow(5, {
      notes: '',
      dialledAt: null,
      endedAt: null,
      durationS: null,
      nextFollowDate: null,
      nextFollowContent: null,
      syncState: 'imported',
    }),
    sampleRow(6, { notes: '  前后有空格  ', callbackItem: '要求勿扰', syncState: 'failed' }),
    sampleRow(7, { notes: '"', ownerName: '"' }),
    sampleRow(8, { notes: '@提醒 -减号开头 ', syncState: 'pending' }),
  ]
}

/** The file-visible columns of a row (what a file can carry back). */
export function fileView(
  row: CallLogRow,
): Omit<CallLogRow, 'projectId' | 'packageId' | 'createdAt'> {
  const { projectId: _p, packageId: _k, createdAt: _c, ...rest } = row
  return rest
}
