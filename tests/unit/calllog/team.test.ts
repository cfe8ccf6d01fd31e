import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ZONE } from './helpers'
process.env.TZ = ZONE
import path from 'node:path'
import ExcelJS from 'exceljs'
import { isContactOutcome } from '../../../shared/calllog-contact'
import { COVERAGE_SQL, teamCoverage } from '../../../electron/services/calllog/coverage'
import {
  dailyReportSheets,
  writeDailyReport,
} from '../../../electron/services/calllog/daily-report'
import { overdueFollowUps } from '../../../electron/services/calllog/followups'
import { zoneModifier } from '../../../electron/services/calllog/local-time'
import { openTestLog, recordAt, type TestLog } from './helpers'

describe('contact rule', () => {
  it('an outcome that says nobody was reached is no contact; the rest are', () => {
    for (const o of ['无人接听', '占线/稍后回电', '空号/错号', '关机/停机', '未接通', ''])
      expect(isContactOutcome(o), o).toBe(false)
    for (const o of ['继续跟进', '接受邀请', '拒绝', '无意向', '已购房', '要求勿扰'])
      expect(isContactOutcome(o), o).toBe(true)
  })
})

describe('the supervisor’s figures', () => {
  let log: TestLog
  beforeEach(() => {
    log = openTestLog()
  })
  afterEach(() => log.close())

  const call = (
    at: string,
    userNum: string,
    callbackItem: string,
    over: Parameters<typeof recordAt>[2] = {},
  ): string => recordAt(log, at, { userNum, userName: `坐席${userNum}`, callbackItem, ...over })

  it('stores the intent and shows the call’s time as the list does', () => {
    call('2026-11-22T02:00:00.000Z', '00006', '继续跟进', {
      intent: 'A',
      dialledAt: '2026-11-22T01:58:00.000Z',
      endedAt: '2026-11-22T01:59:00.000Z',
    })
    call('2026-11-22T03:00:00.000Z', '00006', '无人接听')
    const rows = log.store.query({}, 1, 50, 'all').rows
    expect(rows.map((r) => [r.intent, r.callTime])).toEqual([
      [null, '2026-11-22T03:00:00.000Z'],
      ['A', '2026-11-22T01:58:00.000Z'],
    ])
  })

  it('connect rate, intents, follow-ups, 勿扰, talk and wrap-up per agent and day; skips are no calls', () => {
    // 00006 on the 22nd (China time): two contacts of three calls, one follow-up, one 勿扰
    call('2026-11-22T02:00:00.000Z', '00006', '继续跟进', {
      intent: 'A',
      dialledAt: '2026-11-22T01:58:00.000Z',
      endedAt: '2026-11-22T01:59:40.000Z',
      nextFollowDate: '2026-11-25',
    })
    call('2026-11-22T02:10:00.000Z', '00006', '无人接听', {
      intent: 'E',
      dialledAt: '2026-11-22T02:09:00.000Z',
      endedAt: '2026-11-22T02:09:30.000Z',
    })
    call('2026-11-22T02:20:00.000Z', '00006', '要求勿扰', { intent: 'E', dnc: true })
    // a 勿扰 number skipped without a call
    log.clock.now = new Date('2026-11-22T02:30:00.000Z')
    log.store.recordDncSkip({
      userNum: '00006',
      userName: '坐席00006',
      machineNo: 'weixin',
      projectId: 141,
      projectName: '万科东荟城',
      packageId: 467,
      packageName: 'VIP 客户',
      phone: '13800000000',
      ownerName: '张先生',
      dispensedAt: null,
      callbackItem: '要求勿扰',
      outboxId: null,
    })
    // 00007 on the 23rd: one call, no contact
    call('2026-11-23T01:00:00.000Z', '00007', '空号/错号', { intent: 'C' })

    const t = log.store.stats({}, 'all').team
    expect(t.all).toMatchObject({ made: 4, connected: 2, followUps: 1, dnc: 2 })
    expect(t.all.connectRate).toBeCloseTo(0.5, 10)
    const a = t.perAgent.find((p) => p.userNum === '00006')!
    expect(a).toMatchObject({ userName: '坐席00006', made: 3, connected: 2, followUps: 1, dnc: 2 })
    // talk: 100 s + 30 s over the two dialled calls; wrap-up: 20 s + 30 s
    expect(a).toMatchObject({ talkS: 130, talkN: 2, wrapS: 50, wrapN: 2 })
    expect(t.perAgentDay.map((d) => [d.userNum, d.day, d.made, d.connected])).toEqual([
      ['00006', '2026-11-22', 3, 2],
      ['00007', '2026-11-23', 1, 0],
    ])
    expect(t.intents).toEqual([
      { userNum: '00006', intent: 'A', count: 1 },
      { userNum: '00006', intent: 'E', count: 2 },
      { userNum: '00007', intent: 'C', count: 1 },
    ])
    expect(t.contactOutcomes).toEqual(['继续跟进', '要求勿扰'])
    expect(t.noContactOutcomes).toEqual(['无人接听', '空号/错号'])
    // the agent's own view sees only their rows
    expect(log.store.stats({}, { userNum: '00007' }).team.all.made).toBe(1)
  })

  it('an imported row’s talk time counts, its wrap-up does not (its time is not a save time)', () => {
    log.store.beginImport({ file: 'x.csv' }).add([
      {
        id: 'imp-1',
        userNum: '00007',
        phone: '13900000009',
        dialledAt: '2026-11-22T02:00:00.000Z',
        endedAt: '2026-11-22T02:01:00.000Z',
        callTime: '2026-11-22T02:05:00.000Z',
      },
    ])
    expect(log.store.stats({}, 'all').team.all).toMatchObject({
      talkS: 60,
      talkN: 1,
      wrapS: 0,
      wrapN: 0,
    })
  })

  it('pause periods: recorded per status change, counted per agent, day and reason', () => {
    const agent = { userNum: '00006', userName: '冯依敏', machineNo: 'weixin' }
    const at = (iso: string) => (log.clock.now = new Date(iso))
    at('2026-11-22T02:00:00.000Z')
    log.store.pauses.onStatus(agent, { state: 'paused', reason: '休息' })
    at('2026-11-22T02:10:00.000Z')
    // another reason ends the first period and starts the next
    log.store.pauses.onStatus(agent, { state: 'paused', reason: '培训' })
    at('2026-11-22T02:40:00.000Z')
    log.store.pauses.onStatus(agent, { state: 'ready', reason: '' })
    at('2026-11-22T03:00:00.000Z')
    log.store.pauses.onStatus(agent, { state: 'paused', reason: '休息' })
    // still paused: counts until now
    at('2026-11-22T03:05:00.000Z')
    const rows = log.db.connection
      .prepare('SELECT reason, started_at, ended_at FROM agent_pause ORDER BY started_at')
      .all()
    expect(rows).toEqual([
      {
        reason: '休息',
        started_at: '2026-11-22T02:00:00.000Z',
        ended_at: '2026-11-22T02:10:00.000Z',
      },
      {
        reason: '培训',
        started_at: '2026-11-22T02:10:00.000Z',
        ended_at: '2026-11-22T02:40:00.000Z',
      },
      { reason: '休息', started_at: '2026-11-22T03:00:00.000Z', ended_at: null },
    ])
    const t = log.store.stats({}, 'all').team
    expect(t.pauses).toEqual([
      { userNum: '00006', day: '2026-11-22', reason: '休息', seconds: 900, count: 2 },
      { userNum: '00006', day: '2026-11-22', reason: '培训', seconds: 1800, count: 1 },
    ])
    expect(t.perAgent[0]).toMatchObject({ userNum: '00006', pauseS: 2700, made: 0 })
    expect(log.store.stats({ from: '2026-11-23' }, 'all').team.pauses).toEqual([])
    expect(log.store.stats({}, { userNum: '00007' }).team.pauses).toEqual([])
  })
})

describe('overdue follow-ups, coverage and the daily report', () => {
  let log: TestLog
  beforeEach(() => {
    log = openTestLog()
  })
  afterEach(() => log.close())
  const all = (sql: string, params: (string | number)[]) =>
    log.db.connection.prepare(sql).all(...params)

  it('a follow-up is overdue when its date has passed and the number was not called again', () => {
    // called again later: done
    recordAt(log, '2026-11-18T02:00:00.000Z', {
      phone: '13900000001',
      nextFollowDate: '2026-11-20',
    })
    recordAt(log, '2026-11-21T02:00:00.000Z', { phone: '13900000001', userNum: '00007' })
    // overdue for two days
    recordAt(log, '2026-11-18T03:00:00.000Z', {
      phone: '13900000002',
      nextFollowDate: '2026-11-20',
      nextFollowContent: '带看',
      intent: 'B',
    })
    // due today, and in the future: not overdue
    recordAt(log, '2026-11-18T04:00:00.000Z', {
      phone: '13900000003',
      nextFollowDate: '2026-11-22',
    })
    recordAt(log, '2026-11-18T05:00:00.000Z', {
      phone: '13900000004',
      nextFollowDate: '2026-11-30',
    })
    // another agent's, overdue one day
    recordAt(log, '2026-11-19T05:00:00.000Z', {
      phone: '13900000005',
      userNum: '00007',
      userName: '王晓东',
      nextFollowDate: '2026-11-21',
    })
    const o = overdueFollowUps(all, {}, 'all', '2026-11-22')
    expect(o.total).toBe(2)
    expect(o.perAgent).toEqual([
      { userNum: '00006', userName: '冯依敏', count: 1 },
      { userNum: '00007', userName: '王晓东', count: 1 },
    ])
    expect(o.rows.map((r) => [r.userNum, r.phone, r.daysOverdue, r.intent])).toEqual([
      ['00006', '13900000002', 2, 'B'],
      ['00007', '13900000005', 1, null],
    ])
    // an agent sees their own
    expect(overdueFollowUps(all, {}, { userNum: '00007' }, '2026-11-22').total).toBe(1)
  })

  it('coverage: each desktop and agent, its days, its files and the days it is missing', () => {
    recordAt(log, '2026-11-20T02:00:00.000Z', { machineNo: 'PC-01' })
    recordAt(log, '2026-11-22T02:00:00.000Z', { machineNo: 'PC-01' })
    const importer = log.store.beginImport({ file: '/x/二组-王晓东.csv' })
    importer.add([
      {
        id: 'imp-1',
        userNum: '00007',
        userName: '王晓东',
        machineNo: 'PC-02',
        phone: '13900000009',
        callTime: '2026-11-21T02:00:00.000Z',
      },
    ])
    const c = teamCoverage(all(COVERAGE_SQL, [zoneModifier()]) as never)
    expect(c.from).toBe('2026-11-20')
    expect(c.to).toBe('2026-11-22')
    expect(c.desktops).toEqual([
      expect.objectContaining({
        machineNo: 'PC-01',
        userNum: '00006',
        days: 2,
        rows: 2,
        local: true,
        files: [],
        missingDays: 1,
        missing: ['2026-11-21'],
      }),
      expect.objectContaining({
        machineNo: 'PC-02',
        userNum: '00007',
        userName: '王晓东',
        from: '2026-11-21',
        to: '2026-11-21',
        local: false,
        files: ['二组-王晓东.csv'],
        missing: ['2026-11-20', '2026-11-22'],
      }),
    ])
  })

  it('the daily report holds the per-agent table and every chart’s data', async () => {
    recordAt(log, '2026-11-22T02:00:00.000Z', { callbackItem: '接受邀请', intent: 'A' })
    recordAt(log, '2026-11-22T03:00:00.000Z', { callbackItem: '无人接听', intent: 'E' })
    const stats = log.store.stats({ from: '2026-11-22', to: '2026-11-22' }, 'all')
    const overdue = overdueFollowUps(all, {}, 'all', '2026-11-22')
    const input = { day: '2026-11-22', zone: 'UTC+08:00', stats, overdue, generatedAt: new Date() }
    const sheets = dailyReportSheets(input)
    expect(sheets.map((s) => s.name)).toEqual([
      '坐席日报',
      '按小时',
      '反馈结果',
      '意向分布',
      '暂停',
      '逾期跟进',
      '说明',
    ])
    const agents = sheets[0]!
    const row = Object.fromEntries(agents.header.map((h, i) => [h, agents.rows[0]![i]]))
    expect(row).toMatchObject({
      工号: '00006',
      外呼数: 2,
      接通数: 1,
      '接通率(%)': 50,
      意向A: 1,
      意向E: 1,
    })
    expect(agents.rows.at(-1)![0]).toBe('合计')
    expect(sheets[2]!.rows).toEqual([
      ['接受邀请', 1, '接通'],
      ['无人接听', 1, '未接通'],
    ])
    const file = path.join(log.dir, '日报-2026-11-22.xlsx')
    await writeDailyReport(file, input)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.readFile(file)
    expect(wb.worksheets.map((w) => w.name)).toEqual(sheets.map((s) => s.name))
    expect(wb.getWorksheet('坐席日报')!.getRow(2).getCell(3).value).toBe(2)
  })
})
