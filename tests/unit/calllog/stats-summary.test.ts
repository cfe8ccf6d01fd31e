import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ZONE } from './helpers'
process.env.TZ = ZONE

import type { CallLogFilter } from '../../../shared/calllog'
import { intents } from '../../../shared/fields'
import type { ParsedCallLogRow } from '../../../electron/services/calllog/columns'
import { CallLogStore } from '../../../electron/services/calllog/store'
import type { CallLogScope } from '../../../electron/services/calllog/types'
import { openDatabase } from '../../../electron/services/db/database'
import { migrations } from '../../../electron/services/db/migrations'
import { agents, baseRow, openTestLog, tempDir, type TestLog } from './helpers'

/**
 * The statistics from the summary tables (stats-fast.ts) against the direct grouped reads of the
 * call log, over randomized rows: recorded and imported, several agents, times around local
 * midnight, 勿扰 skips, marks and updates afterwards, rows purged.
 */

/** a small seeded PRNG, so a failure can be replayed */
function random(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

const RESULTS = ['继续跟进', '无人接听', '接受邀请', '拒绝', '空号', '']
const DAY0 = Date.parse('2026-11-20T00:00:00.000Z')

function pick<T>(rnd: () => number, xs: readonly T[]): T {
  return xs[Math.floor(rnd() * xs.length)]!
}

/** a time on one of 4 days, most of them within an hour of local midnight (16:00 UTC) */
function someTime(rnd: () => number): number {
  const day = DAY0 + Math.floor(rnd() * 4) * 86_400_000
  const near = rnd() < 0.6
  const minutes = near ? 15 * 60 + Math.floor(rnd() * 120) : Math.floor(rnd() * 1440)
  return day + minutes * 60_000 + Math.floor(rnd() * 60_000)
}

function fill(log: TestLog, seed: number, n: number): void {
  const rnd = random(seed)
  const iso = (t: number): string => new Date(t).toISOString()
  for (let i = 0; i < n; i++) {
    const at = someTime(rnd)
    const agent = pick(rnd, agents)
    const projectId = pick(rnd, [141, 142, 143])
    log.clock.now = new Date(at)
    if (rnd() < 0.08) {
      log.store.recordDncSkip({ ...baseRow(agent), projectId, callbackItem: '要求勿扰' })
      continue
    }
    const dialled = rnd() < 0.7 ? at - Math.floor(rnd() * 600_000) : null
    // an end after the save now and then: no wrap-up for that row
    const ended = dialled !== null && rnd() < 0.9 ? dialled + Math.floor(rnd() * 700_000) : null
    log.store.record(
      baseRow({
        ...agent,
        projectId,
        packageId: 467 + Math.floor(rnd() * 3),
        phone: `139${String(Math.floor(rnd() * 200)).padStart(8, '0')}`,
        dialledAt: dialled === null ? null : iso(dialled),
        endedAt: ended === null ? null : iso(ended),
        // the softphone saw the answer: talk time is answer to hang-up
        answeredAt: ended !== null && rnd() < 0.5 ? iso(ended - Math.floor(rnd() * 60_000)) : null,
        callbackItem: pick(rnd, RESULTS),
        intent: rnd() < 0.3 ? null : pick(rnd, intents),
        nextFollowDate: rnd() < 0.3 ? '2026-11-25' : null,
        dnc: rnd() < 0.05,
        savedToCustomer: rnd() < 0.2,
      }),
    )
  }
  // rows from another desktop's file: some of its projects unknown here (no id)
  const imported: ParsedCallLogRow[] = []
  for (let i = 0; i < n / 4; i++) {
    const at = someTime(rnd)
    const dialled = rnd() < 0.5 ? at - 60_000 : undefined
    imported.push({
      id: `imported-${seed}-${i}`,
      userNum: pick(rnd, ['00009', '00010']),
      userName: '外部顾问',
      projectName: pick(rnd, ['万科东荟城', '没见过的项目']),
      packageName: 'VIP 客户',
      phone: `137${String(i).padStart(8, '0')}`,
      callTime: iso(at),
      ...(dialled
        ? {
            dialledAt: iso(dialled),
            endedAt: iso(dialled + 30_000),
            ...(rnd() < 0.5 ? { answeredAt: iso(dialled + 5_000) } : {}),
          }
        : {}),
      callbackItem: pick(rnd, RESULTS),
      ...(rnd() < 0.5 ? { intent: pick(rnd, intents) } : {}),
      ...(rnd() < 0.3 ? { nextFollowDate: '2026-11-24' } : {}),
      savedToCustomer: rnd() < 0.3,
    })
  }
  log.store.beginImport({ file: path.join(log.dir, 'team.csv') }).add(imported)
}

/** marks, edits and a purge after the rows went in */
function change(log: TestLog, seed: number): void {
  const rnd = random(seed + 1)
  const c = log.db.connection
  const ids = (
    c.prepare('SELECT id, phone, user_num AS u FROM call_log').all() as {
      id: string
      phone: string
      u: string
    }[]
  ).filter(() => rnd() < 0.1)
  for (const r of ids.slice(0, 10)) log.store.markSavedToCustomer(r.u, r.phone)
  for (const r of ids.slice(10, 20)) log.store.markDnc(r.u, r.phone)
  const edit = c.prepare(
    `UPDATE call_log SET created_at = ?, callback_item = ?, intent = NULL, user_num = ?,
       answered_at = NULL WHERE id = ?`,
  )
  for (const r of ids.slice(20, 30)) {
    edit.run(new Date(someTime(rnd)).toISOString(), pick(rnd, RESULTS), '00008', r.id)
  }
  const purge = c.prepare('DELETE FROM call_log WHERE id = ?')
  for (const r of ids.slice(30)) purge.run(r.id)
}

const FILTERS: CallLogFilter[] = [
  {},
  { from: '2026-11-21' },
  { to: '2026-11-21' },
  { from: '2026-11-21', to: '2026-11-22' },
  { from: '2026-11-22', to: '2026-11-21' },
  { userNum: '00007' },
  { userNum: '00009', from: '2026-11-20', to: '2026-11-20' },
  { userNum: '没有这个人' },
  { projectId: 141 },
  { projectId: 142, from: '2026-11-22' },
  { packageId: 468 },
  { packageId: 469, result: '拒绝' },
  { result: '继续跟进' },
  { result: '要求勿扰', to: '2026-11-22' },
  { result: '没有这种结果' },
  { search: '1390000' },
  { search: '李' },
]
const SCOPES: CallLogScope[] = ['all', { userNum: '00006' }, { userNum: '00009' }]

function expectSame(log: TestLog, modifier?: string): void {
  for (const scope of SCOPES) {
    for (const filter of FILTERS) {
      const fast = log.store.stats(filter, scope, modifier)
      const direct = log.store.statsDirect(filter, scope, modifier)
      expect(fast, JSON.stringify({ filter, scope, modifier })).toEqual(direct)
    }
  }
}

describe('statistics from the summary tables', () => {
  let log: TestLog | null = null
  afterEach(() => {
    log?.close()
    log = null
  })

  it('are the direct reads for every filter, over random rows, marks, edits and a purge', () => {
    for (const seed of [1, 2, 3]) {
      const l = (log = openTestLog())
      fill(l, seed, 300)
      expect(l.store.stats({}, 'all').total).toBeGreaterThan(300)
      expectSame(l)
      change(l, seed)
      expectSame(l)
      l.close()
      log = null
    }
  })

  it('follow the zone asked for: another zone rebuilds the days, then back again', () => {
    const l = (log = openTestLog())
    fill(l, 7, 200)
    expectSame(l, 'localtime')
    expectSame(l, '+0 minutes')
    expectSame(l)
    // half-hour zones are left to the direct reads
    expectSame(l, '+330 minutes')
  })

  it('come from the direct reads when another zone cannot be rebuilt (read-only database)', () => {
    const l = (log = openTestLog())
    fill(l, 9, 80)
    l.db.connection.exec('PRAGMA query_only = 1')
    const direct = l.store.statsDirect({}, 'all', '+0 minutes')
    expect(direct.total).toBeGreaterThan(80)
    expect(l.store.stats({}, 'all', '+0 minutes')).toEqual(direct)
    l.db.connection.exec('PRAGMA query_only = 0')
  })

  it('are read from the summary (a tampered summary shows), a search from the call log', () => {
    const l = (log = openTestLog())
    fill(l, 11, 100)
    const before = l.store.stats({}, 'all')
    l.db.connection.exec('UPDATE call_stats_day SET n = n + 1')
    expect(l.store.stats({}, 'all').total).toBeGreaterThan(before.total)
    expect(l.store.stats({ search: '139' }, 'all')).toEqual(
      l.store.statsDirect({ search: '139' }, 'all'),
    )
  })

  it('keep no empty groups: every row purged leaves the summary empty', () => {
    const l = (log = openTestLog())
    fill(l, 5, 50)
    l.db.connection.exec('DELETE FROM call_log')
    for (const t of ['call_stats_day', 'call_stats_mix', 'call_stats_hour']) {
      expect(l.db.connection.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get()).toEqual({ n: 0 })
    }
    expect(l.store.stats({}, 'all').total).toBe(0)
  })

  it('are back-filled by the migration from the rows already there', () => {
    const dir = tempDir()
    const file = path.join(dir, 'callcenter.db')
    const v6 = openDatabase(file, { migrations: migrations.filter((m) => m.version <= 6) })
    const old = new CallLogStore(v6, { now: () => new Date('2026-11-21T15:30:00.000Z') })
    for (const a of agents) old.record(baseRow({ ...a, intent: 'B' }))
    old.recordDncSkip({ ...baseRow(), callbackItem: '要求勿扰' })
    v6.close()
    const db = openDatabase(file)
    const close = (): void => {
      db.close()
      fs.rmSync(dir, { recursive: true, force: true })
    }
    log = { dir, db, store: new CallLogStore(db), clock: { now: new Date() }, close }
    const s = log.store.stats({}, 'all')
    expect(s.total).toBe(4)
    expect(s.perAgentDay.map((d) => d.day)).toEqual(['2026-11-21', '2026-11-21', '2026-11-21'])
    expect(s.team.intents.map((i) => i.count)).toEqual([1, 1, 1])
    expectSame(log)
  })
})
