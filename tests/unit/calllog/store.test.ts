import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ZONE } from './helpers'
process.env.TZ = ZONE

import type { CallLogFilter } from '../../../shared/calllog'
import { AppError } from '../../../electron/core/app-error'
import { openDatabase } from '../../../electron/services/db/database'
import { migrations } from '../../../electron/services/db/migrations'
import { localDayStart, zoneModifier } from '../../../electron/services/calllog/local-time'
import { CallLogStore } from '../../../electron/services/calllog/store'
import type { CallLogScope } from '../../../electron/services/calllog/types'
import { OutboxStore } from '../../../electron/services/outbox'
import { savecallback, saveToCustomer } from '../outbox/helpers'
import { agents, baseRow, openTestLog, recordAt, seed, tempDir, type TestLog } from './helpers'

describe('time zone of these tests', () => {
  it('is China time, so local days differ from UTC days', () => {
    expect(new Date('2026-11-21T16:30:00Z').getDate()).toBe(22)
    expect(zoneModifier()).toBe('+480 minutes')
    expect(localDayStart('2026-11-22')).toBe('2026-11-21T16:00:00.000Z')
    expect(localDayStart('2026-11-22', 1)).toBe('2026-11-22T16:00:00.000Z')
  })
})

describe('schema v2', () => {
  it('adds the filter indexes and the search index, and indexes rows written before it', () => {
    const dir = tempDir()
    const file = path.join(dir, 'callcenter.db')
    const v1 = openDatabase(file, { migrations: migrations.filter((m) => m.version === 1) })
    expect(v1.schemaVersion).toBe(1)
    v1.connection
      .prepare(
        `INSERT INTO call_log (id, user_num, phone, owner_name, created_at)
         VALUES ('old-1', '00006', '13912345678', '欧阳先生', '2026-10-01T02:00:00.000Z')`,
      )
      .run()
    v1.close()
    const db = openDatabase(file)
    try {
      expect(db.schemaVersion).toBeGreaterThanOrEqual(2)
      const names = (
        db.connection.prepare(`SELECT name FROM sqlite_master WHERE type = 'index'`).all() as {
          name: string
        }[]
      ).map((r) => r.name)
      expect(names).toEqual(
        expect.arrayContaining([
          'call_log_time',
          'call_log_user_time',
          'call_log_project_time',
          'call_log_package_time',
          'call_log_result_time',
          'call_log_search',
        ]),
      )
      const store = new CallLogStore(db)
      expect(store.hasFts).toBe(true)
      const all: CallLogScope = 'all'
      expect(store.query({ search: '2345' }, 1, 50, all).rows.map((r) => r.id)).toEqual(['old-1'])
      expect(store.query({ search: '欧阳先' }, 1, 50, all).total).toBe(1)
      const old = store.query({}, 1, 50, all).rows[0]
      expect(old).toMatchObject({ projectId: 0, projectName: '', syncState: 'local', dnc: false })
    } finally {
      db.close()
    }
  })
})

describe('recording calls', () => {
  let log: TestLog
  afterEach(() => log.close())

  it('a call row takes the state of its savecallback, also after the outbox purged it', () => {
    log = openTestLog()
    const outbox = new OutboxStore(log.db, { now: () => log.clock.now.getTime() })
    const id = log.store.transaction(() => {
      const [item] = outbox.enqueue([savecallback('15920447900')])
      return log.store.record(baseRow({ outboxId: item!.id }))
    })
    const get = () => log.store.query({}, 1, 10, 'all').rows.find((r) => r.id === id)
    expect(get()?.syncState).toBe('pending')
    log.db.connection.prepare(`UPDATE outbox SET state = 'delivered', delivered_at = 1`).run()
    expect(get()?.syncState).toBe('delivered')
    expect(outbox.purge(Date.now())).toBeGreaterThan(0)
    expect(log.db.connection.prepare('SELECT COUNT(*) AS n FROM outbox').get()).toEqual({ n: 0 })
    expect(get()?.syncState).toBe('delivered')
    const local = log.store.record(baseRow({ outboxId: null }))
    expect(log.store.query({}, 1, 10, 'all').rows.find((r) => r.id === local)?.syncState).toBe(
      'local',
    )
  })

  it('commits with the outbox or not at all', () => {
    log = openTestLog()
    const outbox = new OutboxStore(log.db)
    let error: unknown
    try {
      log.store.transaction(() => {
        outbox.enqueue([savecallback('15920447900')])
        // an outbox id that does not exist: the foreign key refuses the row
        log.store.record(baseRow({ outboxId: 'no-such-item' }))
      })
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(AppError)
    expect((error as AppError).kind).toBe('storage')
    expect((error as AppError).message).toContain('保存通话记录失败')
    expect(log.db.connection.prepare('SELECT COUNT(*) AS n FROM outbox').get()).toEqual({ n: 0 })
    expect(log.store.count({}, 'all')).toBe(0)
  })

  it('computes the duration; keeps the times it was given', () => {
    log = openTestLog()
    const id = log.store.record(
      baseRow({
        dispensedAt: '2026-11-22T01:59:00.000Z',
        dialledAt: '2026-11-22T02:00:00.000Z',
        endedAt: '2026-11-22T02:01:35.400Z',
        nextFollowDate: '2026-11-29',
        nextFollowContent: '周末带看',
        notes: '客户关注学位',
      }),
    )
    const row = log.store.query({}, 1, 10, 'all').rows[0]!
    expect(row).toMatchObject({
      id,
      durationS: 95,
      dispensedAt: '2026-11-22T01:59:00.000Z',
      dialledAt: '2026-11-22T02:00:00.000Z',
      endedAt: '2026-11-22T02:01:35.400Z',
      nextFollowDate: '2026-11-29',
      nextFollowContent: '周末带看',
      notes: '客户关注学位',
      createdAt: log.clock.now.toISOString(),
      userName: '冯依敏',
      machineNo: 'weixin',
      packageName: 'VIP 客户',
    })
    log.store.record(baseRow({ dialledAt: '2026-11-22T02:00:00.000Z', endedAt: null }))
    log.store.record(
      baseRow({ dialledAt: '2026-11-22T02:00:00.000Z', endedAt: '2026-11-22T01:00:00.000Z' }),
    )
    const durations = log.store.query({}, 1, 10, 'all').rows.map((r) => r.durationS)
    // equal record times: the higher id first
    expect(durations).toEqual([null, null, 95])
  })

  it('marks the agent’s newest row of a phone saved to customer or 勿扰, no other', () => {
    log = openTestLog()
    const older = recordAt(log, '2026-11-22T01:00:00.000Z')
    const newer = recordAt(log, '2026-11-22T02:00:00.000Z')
    const other = recordAt(log, '2026-11-22T03:00:00.000Z', { userNum: '00007' })
    const elsewhere = recordAt(log, '2026-11-22T04:00:00.000Z', { phone: '13800000000' })
    expect(log.store.markSavedToCustomer('00006', '15920447900')).toBe(true)
    expect(log.store.markDnc('00006', '15920447900')).toBe(true)
    expect(log.store.markDnc('00006', '13700000000')).toBe(false)
    const byId = new Map(log.store.query({}, 1, 50, 'all').rows.map((r) => [r.id, r]))
    expect(byId.get(newer)).toMatchObject({ savedToCustomer: true, dnc: true })
    for (const id of [older, other, elsewhere]) {
      expect(byId.get(id)).toMatchObject({ savedToCustomer: false, dnc: false })
    }
  })

  it('a customer saved before the callback counts for the call', () => {
    log = openTestLog()
    const outbox = new OutboxStore(log.db, { now: () => Date.parse('2026-11-22T02:00:30.000Z') })
    outbox.enqueue([saveToCustomer('15920447900')])
    log.clock.now = new Date('2026-11-22T02:01:00.000Z')
    const id = log.store.record(baseRow({ dispensedAt: '2026-11-22T01:59:00.000Z' }))
    // a customer saved before this number was dispensed belongs to an earlier call
    const later = log.store.record(baseRow({ dispensedAt: '2026-11-22T02:00:45.000Z' }))
    const byId = new Map(log.store.query({}, 1, 50, 'all').rows.map((r) => [r.id, r]))
    expect(byId.get(id)?.savedToCustomer).toBe(true)
    expect(byId.get(later)?.savedToCustomer).toBe(false)
  })

  it('a skipped 勿扰 number is a row with dnc and the 要求勿扰 result', () => {
    log = openTestLog()
    const { dialledAt: _d, endedAt: _e, notes: _n, ...rest } = baseRow()
    void _d
    void _e
    void _n
    const id = log.store.recordDncSkip({
      ...rest,
      callbackItem: '要求勿扰',
      dispensedAt: '2026-11-22T02:00:00.000Z',
    })
    expect(log.store.query({}, 1, 10, 'all').rows[0]).toMatchObject({
      id,
      dnc: true,
      callbackItem: '要求勿扰',
      dialledAt: null,
      durationS: null,
      savedToCustomer: false,
      dispensedAt: '2026-11-22T02:00:00.000Z',
    })
  })
})

describe('queries over a few thousand rows', () => {
  let log: TestLog
  let seeded: ReturnType<typeof seed>
  const N = 3_000

  beforeAll(() => {
    log = openTestLog()
    seeded = seed(log, N)
  })
  afterAll(() => log.close())

  const ids = (filter: CallLogFilter, scope: CallLogScope = 'all', size = 200) =>
    log.store.query(filter, 1, size, scope)

  /** what the filter should match, newest first (ids are in insertion order) */
  function expected(pred: (r: (typeof seeded)[number], i: number) => boolean): string[] {
    return seeded
      .map((r, i) => ({ r, id: `row-${String(i + 1).padStart(6, '0')}`, i }))
      .filter(({ r, i }) => pred(r, i))
      .sort((a, b) => (a.r.createdAt < b.r.createdAt ? 1 : a.r.createdAt > b.r.createdAt ? -1 : 0))
      .map((x) => x.id)
  }

  function check(filter: CallLogFilter, pred: Parameters<typeof expected>[0], min = 1): void {
    const want = expected(pred)
    expect(want.length).toBeGreaterThanOrEqual(min)
    const page = ids(filter)
    expect(page.total).toBe(want.length)
    expect(page.rows.map((r) => r.id)).toEqual(want.slice(0, 200))
  }

  it('no filter: everything, newest first', () => {
    check({}, () => true, N)
  })

  it('by agent, project, package and result', () => {
    check({ userNum: '00007' }, (r) => r.userNum === '00007', 900)
    check({ projectId: 142 }, (r) => r.projectId === 142, 1000)
    check({ packageId: 468 }, (r) => r.packageId === 468, 900)
    check({ result: '接受邀请' }, (r) => r.callbackItem === '接受邀请', 700)
    check(
      { userNum: '00008', projectId: 141, packageId: 469, result: '接受邀请' },
      (r) =>
        r.userNum === '00008' &&
        r.projectId === 141 &&
        r.packageId === 469 &&
        r.callbackItem === '接受邀请',
      200,
    )
  })

  it('by local calendar days, both ends inclusive', () => {
    // rows run one a minute from 2026-11-01 08:00 China time; the 2nd (local) ends at 16:00 UTC
    const from = Date.parse(localDayStart('2026-11-02'))
    const to = Date.parse(localDayStart('2026-11-02', 1))
    check(
      { from: '2026-11-02', to: '2026-11-02' },
      (r) => Date.parse(r.createdAt) >= from && Date.parse(r.createdAt) < to,
      1000,
    )
    check(
      { to: '2026-11-01' },
      (r) => Date.parse(r.createdAt) < Date.parse(localDayStart('2026-11-02')),
      900,
    )
    check(
      { from: '2026-11-03' },
      (r) => Date.parse(r.createdAt) >= Date.parse(localDayStart('2026-11-03')),
      100,
    )
    expect(ids({ from: '2026-12-01' }).total).toBe(0)
  })

  it('search by part of a phone number: long terms (trigram index) and short ones', () => {
    const target = seeded[1234]!.phone
    const tail = target.slice(-4)
    check({ search: tail }, (r) => r.phone.includes(tail))
    check({ search: target }, (r) => r.phone === target)
    check(
      { search: `${target.slice(0, 3)} ${target.slice(3, 7)}-${target.slice(7)}` },
      (r) => r.phone === target,
    )
    check({ search: '07' }, (r) => r.phone.includes('07'), 50)
    // a 3-digit term found in most numbers: searched without the trigram index, same answer
    check({ search: '139' }, (r) => r.phone.includes('139'), 2500)
    check({ search: '9' }, (r) => r.phone.includes('9'), 1000)
  })

  it('search by part of a name: Chinese terms of any length', () => {
    check({ search: '女士12' }, (r) => r.ownerName.includes('女士12'), 10)
    const name = seeded[1234]!.ownerName
    check({ search: name }, (r) => r.ownerName.includes(name))
    check({ search: '黄' }, (r) => r.ownerName.includes('黄'), 300)
    check({ search: '先生' }, (r) => r.ownerName.includes('先生'), 1400)
    // LIKE's wildcards are literal text in a search
    check({ search: '%' }, () => false, 0)
    check({ search: '_生' }, () => false, 0)
  })

  it('search combines with the other filters', () => {
    check(
      { search: '先生', userNum: '00006', projectId: 142 },
      (r) => r.ownerName.includes('先生') && r.userNum === '00006' && r.projectId === 142,
    )
    const tail = seeded[77]!.phone.slice(-5)
    check(
      { search: tail, result: seeded[77]!.callbackItem },
      (r) => r.phone.includes(tail) && r.callbackItem === seeded[77]!.callbackItem,
    )
  })

  it('an agent sees only their own rows, whatever the filter asks', () => {
    const mine: CallLogScope = { userNum: '00006' }
    const page = ids({}, mine)
    expect(page.total).toBe(expected((r) => r.userNum === '00006').length)
    expect(page.rows.every((r) => r.userNum === '00006')).toBe(true)
    expect(ids({ userNum: '00007' }, mine).total).toBe(0)
    expect(ids({ userNum: '00006' }, mine).total).toBe(page.total)
    expect(log.store.stats({}, mine).perAgent.map((a) => a.userNum)).toEqual(['00006'])
  })

  it('pages are consistent: together they are the whole result, in order, once each', () => {
    const filter: CallLogFilter = { projectId: 141 }
    const want = expected((r) => r.projectId === 141)
    const got: string[] = []
    for (let page = 1; ; page++) {
      const p = log.store.query(filter, page, 37, 'all')
      expect(p.total).toBe(want.length)
      if (p.rows.length === 0) break
      expect(p.rows.length).toBeLessThanOrEqual(37)
      got.push(...p.rows.map((r) => r.id))
    }
    expect(got).toEqual(want)
    expect(log.store.query(filter, 10_000, 50, 'all')).toEqual({ rows: [], total: want.length })
  })

  it('export batches walk every row once, with a cursor that survives equal times', () => {
    const t = '2026-12-31T00:00:00.000Z'
    const tied = log.db.transaction(() =>
      Array.from({ length: 5 }, () => recordAt(log, t, { userNum: '00099', userName: '同时' })),
    )
    try {
      const got: string[] = []
      for (const batch of log.store.batches({}, 'all', 7)) {
        expect(batch.length).toBeLessThanOrEqual(7)
        got.push(...batch.map((r) => r.id))
      }
      expect(got).toHaveLength(N + 5)
      expect(new Set(got).size).toBe(N + 5)
      // equal times: the id breaks the tie, highest first, as in the view
      expect(got.slice(0, 5)).toEqual([...tied].reverse())
      expect(got).toEqual(
        log.store
          .query({}, 1, 200, 'all')
          .rows.map((r) => r.id)
          .concat(got.slice(200)),
      )
      const scoped = [...log.store.batches({ result: '拒绝' }, { userNum: '00007' }, 50)].flat()
      expect(scoped.map((r) => r.id)).toEqual(
        expected((r) => r.callbackItem === '拒绝' && r.userNum === '00007'),
      )
    } finally {
      log.db.connection.prepare(`DELETE FROM call_log WHERE user_num = '00099'`).run()
    }
  })

  it('every filter is answered from an index, never by reading the whole table', () => {
    type Mode = 'fts' | 'like' | 'rows'
    const store = log.store as unknown as {
      where(
        f: CallLogFilter,
        s: CallLogScope,
        search?: { column: string; term: string; mode: Mode } | null,
      ): { sql: string; params: never[] }
      searchOf(f: CallLogFilter): { mode: Mode } | null
    }
    const plan = (filter: CallLogFilter, scope: CallLogScope = 'all', mode?: Mode): string => {
      const search = filter.search
        ? { ...store.searchOf(filter)!, ...(mode ? { mode } : {}) }
        : null
      const w = store.where(filter, scope, search as never)
      const steps = (sql: string): string[] =>
        (
          log.db.connection.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...w.params) as {
            detail: string
          }[]
        ).map((r) => r.detail)
      const page = steps(
        `SELECT c.id FROM call_log c WHERE ${w.sql} ORDER BY c.created_at DESC, c.id DESC LIMIT 50`,
      )
      const count = steps(`SELECT COUNT(*) FROM call_log c WHERE ${w.sql}`)
      // a bare SCAN of the table is a full read
      for (const s of [...page, ...count]) expect(s).not.toMatch(/^SCAN (c|call_log)$/)
      return page.join(' | ')
    }
    expect(plan({})).toContain('call_log_time')
    expect(plan({}, { userNum: '00006' })).toContain('call_log_user_time')
    expect(plan({ projectId: 141 })).toContain('call_log_project_time')
    expect(plan({ packageId: 468 })).toContain('call_log_package_time')
    expect(plan({ result: '拒绝' })).toContain('call_log_result_time')
    expect(plan({ from: '2026-11-02', to: '2026-11-02' })).toMatch(
      /call_log_time \(created_at>\? AND created_at<\?\)/,
    )
    // a selective term of 3 characters or more: the trigram index
    expect(store.searchOf({ search: '12345' })?.mode).toBe('fts')
    expect(plan({ search: '12345' })).toContain('call_log_fts')
    // a term matching most rows: walk the view's index, where matches come at once
    expect(store.searchOf({ search: '139' })?.mode).toBe('like')
    expect(store.searchOf({ search: '12' })?.mode).toBe('like')
    expect(plan({ search: '12' })).toContain('call_log_time')
    // few matches of a short term: fetched from the narrow search index first
    expect(plan({ search: '12' }, 'all', 'rows')).toContain('call_log_search')
    expect(plan({ search: '先生' }, { userNum: '00006' })).toContain('call_log_user_time')
  })

  it('agents: everyone in the log, with their newest name', () => {
    recordAt(log, '2027-01-01T00:00:00.000Z', { userNum: '00007', userName: '王晓东（改名）' })
    try {
      expect(log.store.agents()).toEqual([
        agents[0],
        { userNum: '00007', userName: '王晓东（改名）' },
        agents[2],
      ])
    } finally {
      log.db.connection
        .prepare(`DELETE FROM call_log WHERE created_at = '2027-01-01T00:00:00.000Z'`)
        .run()
    }
  })
})

describe('statistics on a known data set', () => {
  let log: TestLog
  beforeAll(() => {
    log = openTestLog()
    const call = (
      at: string,
      userNum: string,
      callbackItem: string,
      seconds: number | null,
      saved = false,
      projectId = 141,
    ): void => {
      const dialledAt =
        seconds === null ? null : new Date(Date.parse(at) - seconds * 1000).toISOString()
      recordAt(log, at, {
        userNum,
        userName: userNum === '00006' ? '冯依敏' : '王晓东',
        callbackItem,
        dialledAt,
        endedAt: seconds === null ? null : at,
        savedToCustomer: saved,
        projectId,
      })
    }
    // China time is UTC+8: 15:30Z on the 21st is 23:30 on the 21st, 16:10Z is 00:10 on the 22nd
    call('2026-11-21T15:30:00.000Z', '00006', '继续跟进', 60)
    call('2026-11-21T16:10:00.000Z', '00006', '接受邀请', 120, true)
    call('2026-11-22T01:05:00.000Z', '00006', '继续跟进', null)
    call('2026-11-22T01:45:00.000Z', '00006', '无人接听', 30)
    call('2026-11-22T01:50:00.000Z', '00007', '接受邀请', 90, true)
    call('2026-11-22T02:15:00.000Z', '00007', '继续跟进', 45, false, 142)
    call('2026-11-23T01:00:00.000Z', '00007', '拒绝', 15)
  })
  afterAll(() => log.close())

  it('counts, conversion, handle time, per agent, per local day and hour, results', () => {
    const s = log.store.stats({}, 'all')
    expect(s.total).toBe(7)
    expect(s.savedToCustomer).toBe(2)
    expect(s.conversionRate).toBeCloseTo(2 / 7, 10)
    // six calls with both times: (60 + 120 + 30 + 90 + 45 + 15) / 6
    expect(s.averageHandleS).toBe(60)
    expect(s.perAgent).toEqual([
      { userNum: '00006', userName: '冯依敏', calls: 4, savedToCustomer: 1, averageHandleS: 70 },
      { userNum: '00007', userName: '王晓东', calls: 3, savedToCustomer: 1, averageHandleS: 50 },
    ])
    expect(s.perAgentDay).toEqual([
      { userNum: '00006', day: '2026-11-21', calls: 1 },
      { userNum: '00006', day: '2026-11-22', calls: 3 },
      { userNum: '00007', day: '2026-11-22', calls: 2 },
      { userNum: '00007', day: '2026-11-23', calls: 1 },
    ])
    expect(s.perAgentHour).toEqual([
      { userNum: '00006', hour: 0, calls: 1 },
      { userNum: '00006', hour: 9, calls: 2 },
      { userNum: '00006', hour: 23, calls: 1 },
      { userNum: '00007', hour: 9, calls: 2 },
      { userNum: '00007', hour: 10, calls: 1 },
    ])
    expect(s.results).toEqual([
      { result: '继续跟进', count: 3 },
      { result: '接受邀请', count: 2 },
      { result: '拒绝', count: 1 },
      { result: '无人接听', count: 1 },
    ])
  })

  it('follows the same filters as the list', () => {
    const day = log.store.stats({ from: '2026-11-22', to: '2026-11-22' }, 'all')
    expect(day.total).toBe(5)
    expect(day.perAgentDay.map((d) => d.day)).toEqual(['2026-11-22', '2026-11-22'])
    const p = log.store.stats({ projectId: 142 }, 'all')
    expect(p).toMatchObject({ total: 1, savedToCustomer: 0, conversionRate: 0, averageHandleS: 45 })
    const none = log.store.stats({ result: '没有这种结果' }, 'all')
    expect(none).toMatchObject({
      total: 0,
      savedToCustomer: 0,
      conversionRate: 0,
      averageHandleS: null,
      perAgent: [],
      perAgentDay: [],
      perAgentHour: [],
      results: [],
    })
    expect(log.store.stats({}, { userNum: '00007' }).total).toBe(3)
  })

  it('a zone with daylight saving uses SQLite’s localtime', () => {
    expect(zoneModifier()).not.toBe('localtime')
    const s = log.store.stats({}, 'all', 'localtime')
    expect(s.perAgentHour.find((h) => h.userNum === '00006' && h.hour === 23)?.calls).toBe(1)
  })
})

describe('import', () => {
  let log: TestLog
  afterEach(() => log.close())

  it('adds new ids, counts the rest as duplicates, and marks them imported', () => {
    log = openTestLog()
    const existing = recordAt(log, '2026-11-22T02:00:00.000Z')
    const importer = log.store.beginImport({ file: '/tmp/别的机器/通话记录-2026-11-22.csv' })
    const r1 = importer.add([
      { id: existing, userNum: '00006', phone: '15920447900', callbackItem: '被覆盖？' },
      {
        id: 'other-1',
        userNum: '00031',
        userName: '刘洋',
        projectName: '万科东荟城',
        packageName: 'VIP 客户',
        phone: '13800001111',
        ownerName: '赵女士',
        dialledAt: '2026-11-20T02:00:00.000Z',
        endedAt: '2026-11-20T02:02:00.000Z',
        callbackItem: '接受邀请',
        savedToCustomer: true,
        syncState: 'delivered',
      },
      {
        id: 'other-2',
        userNum: '00031',
        phone: '138****2222',
        dispensedAt: '2026-11-19T02:00:00.000Z',
      },
    ])
    expect(r1).toEqual({ added: 2, duplicates: 1 })
    expect(importer.add([{ id: 'other-1' }, { id: 'other-3', userNum: '00032' }])).toEqual({
      added: 1,
      duplicates: 1,
    })
    const rows = new Map(log.store.query({}, 1, 50, 'all').rows.map((r) => [r.id, r]))
    expect(rows.size).toBe(4)
    // the local row is untouched
    expect(rows.get(existing)).toMatchObject({ callbackItem: '继续跟进', syncState: 'local' })
    expect(rows.get('other-1')).toMatchObject({
      userName: '刘洋',
      syncState: 'imported',
      durationS: 120,
      savedToCustomer: true,
      // the project and package ids this machine knows for those names
      projectId: 141,
      packageId: 467,
      createdAt: '2026-11-20T02:02:00.000Z',
    })
    expect(rows.get('other-2')).toMatchObject({
      createdAt: '2026-11-19T02:00:00.000Z',
      projectId: 0,
    })
    expect(log.store.query({ projectId: 141 }, 1, 50, 'all').total).toBe(2)
    expect(log.store.query({ search: '赵女士' }, 1, 50, 'all').rows.map((r) => r.id)).toEqual([
      'other-1',
    ])
    expect(log.store.agents().map((a) => a.userNum)).toEqual(['00006', '00031', '00032'])
    const from = log.db.connection
      .prepare(`SELECT DISTINCT imported_from AS f FROM call_log WHERE imported_from IS NOT NULL`)
      .all()
    expect(from).toEqual([{ f: '通话记录-2026-11-22.csv' }])
    // an imported row is not the agent's own call: marks go to their own rows only
    expect(log.store.markDnc('00031', '13800001111')).toBe(false)
  })
})
