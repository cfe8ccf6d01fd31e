import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ZONE } from './helpers'
process.env.TZ = ZONE

import ExcelJS from 'exceljs'
import { writeCallLogCsv } from '../../../electron/services/calllog/csv'
import { importMany, importOne } from '../../../electron/services/calllog/import-files'
import {
  addPauseSheet,
  pauseCompanion,
  PAUSE_SHEET,
  writePauseCsv,
} from '../../../electron/services/calllog/pause-file'
import { writeCallLogXlsx } from '../../../electron/services/calllog/xlsx'
import { openTestLog, recordAt, type TestLog } from './helpers'

/**
 * Pause periods travel with the calls: the XLSX's 暂停记录 sheet, the CSV's companion file; a
 * supervisor's import reads them back once, and the team's pause time counts by reason.
 */

const agent = { userNum: '00007', userName: '李娜', machineNo: 'desk-2' }

let desk: TestLog
let boss: TestLog
beforeEach(() => {
  desk = openTestLog()
  boss = openTestLog()
  recordAt(desk, '2026-11-22T02:00:00.000Z', { ...agent, dialledAt: '2026-11-22T01:59:00.000Z' })
  const at = (iso: string) => (desk.clock.now = new Date(iso))
  at('2026-11-22T02:10:00.000Z')
  desk.store.pauses.onStatus(agent, { state: 'paused', reason: '休息' })
  at('2026-11-22T02:25:00.000Z')
  desk.store.pauses.onStatus(agent, { state: 'paused', reason: '培训' })
  at('2026-11-22T03:25:00.000Z')
  desk.store.pauses.onStatus(agent, { state: 'ready', reason: '' })
  // still open when the file is written: counted up to then
  at('2026-11-22T04:00:00.000Z')
  desk.store.pauses.onStatus(agent, { state: 'paused', reason: '休息' })
  at('2026-11-22T04:05:00.000Z')
})
afterEach(() => {
  process.env.TZ = ZONE
  desk.close()
  boss.close()
})

const columns = ['id', 'userNum', 'userName', 'machineNo', 'callTime'] as const
const pausesByReason = (log: TestLog) =>
  Object.fromEntries(
    log.store
      .stats({}, 'all')
      .team.pauses.map((p) => [`${p.userNum} ${p.day} ${p.reason}`, [p.seconds, p.count]]),
  )
const expected = {
  '00007 2026-11-22 休息': [15 * 60 + 5 * 60, 2],
  '00007 2026-11-22 培训': [60 * 60, 1],
}

async function exportCsv(): Promise<string> {
  const file = path.join(desk.dir, '通话记录-2026-11-22.csv')
  await writeCallLogCsv({ file, columns, maskPhones: true, batches: desk.store.batches({}, 'all') })
  await writePauseCsv(pauseCompanion(file), desk.store.pauses.list({}, 'all'))
  return file
}

async function exportXlsx(): Promise<string> {
  const file = path.join(desk.dir, '通话记录-2026-11-22.xlsx')
  const pauses = desk.store.pauses.list({}, 'all')
  await writeCallLogXlsx({
    file,
    columns,
    maskPhones: true,
    batches: desk.store.batches({}, 'all'),
    appendSheets: (wb) => addPauseSheet(wb, pauses),
  })
  return file
}

describe('pause periods in exports', () => {
  it('the statistics’ periods, an open one ending at the export', () => {
    const list = desk.store.pauses.list({}, 'all')
    expect(list.map((p) => [p.reason, p.startedAt, p.endedAt])).toEqual([
      ['休息', '2026-11-22T02:10:00.000Z', '2026-11-22T02:25:00.000Z'],
      ['培训', '2026-11-22T02:25:00.000Z', '2026-11-22T03:25:00.000Z'],
      ['休息', '2026-11-22T04:00:00.000Z', '2026-11-22T04:05:00.000Z'],
    ])
    expect(desk.store.pauses.list({ userNum: '00006' }, 'all')).toEqual([])
    expect(desk.store.pauses.list({ from: '2026-11-23' }, 'all')).toEqual([])
  })

  it('CSV: a companion file beside it, with local times and the zone in the header', async () => {
    const file = await exportCsv()
    const companion = path.join(desk.dir, '通话记录-2026-11-22.暂停记录.csv')
    expect(pauseCompanion(file)).toBe(companion)
    const lines = fs.readFileSync(companion, 'utf8').split('\r\n')
    expect(lines[0]).toBe(
      '\uFEFF记录编号,工号,姓名,机器码,暂停原因,开始时间 (UTC+08:00),结束时间 (UTC+08:00),时长(秒)',
    )
    expect(lines[1]).toMatch(/,00007,李娜,desk-2,休息,2026-11-22 10:10:00,2026-11-22 10:25:00,900$/)
  })

  it('XLSX: a second sheet 暂停记录 after the calls', async () => {
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.readFile(await exportXlsx())
    expect(wb.worksheets.map((w) => w.name)).toEqual(['通话记录', PAUSE_SHEET])
    const ws = wb.getWorksheet(PAUSE_SHEET)!
    expect(ws.rowCount).toBe(4)
    expect(ws.getRow(3).getCell(5).value).toBe('培训')
    expect(ws.getRow(3).getCell(8).value).toBe(3600)
  })

  it.each(['csv', 'xlsx'] as const)(
    'a supervisor’s %s import counts the team’s pause time by reason, once, in another zone',
    async (format) => {
      const file = format === 'csv' ? await exportCsv() : await exportXlsx()
      process.env.TZ = 'America/New_York'
      const first = await importOne(boss.store, file, path.basename(file))
      expect(first).toMatchObject({ added: 1, pauses: { read: 3, added: 3, duplicates: 0 } })
      const again = await importOne(boss.store, file, path.basename(file))
      expect(again).toMatchObject({ added: 0, pauses: { read: 3, added: 0, duplicates: 3 } })
      process.env.TZ = ZONE
      // the same instants as on the agent's desktop
      const times = (log: TestLog) =>
        log.store.pauses.list({}, 'all').map((p) => [p.id, p.startedAt, p.endedAt])
      expect(times(boss)).toEqual(times(desk))
      expect(pausesByReason(boss)).toEqual(expected)
      expect(boss.store.stats({}, 'all').team.all.pauseS).toBe(80 * 60)
    },
  )

  it('a later file carries a period that was still running further, without counting it twice', async () => {
    const file = await exportCsv()
    await importOne(boss.store, file)
    desk.clock.now = new Date('2026-11-22T04:20:00.000Z')
    desk.store.pauses.onStatus(agent, { state: 'ready', reason: '' })
    const later = await exportCsv()
    expect((await importOne(boss.store, later)).pauses).toEqual({
      read: 3,
      added: 0,
      duplicates: 3,
    })
    expect(pausesByReason(boss)['00007 2026-11-22 休息']).toEqual([15 * 60 + 20 * 60, 2])
  })

  it('a folder with both files imports the pauses once; a pause file alone is known by its header', async () => {
    const file = await exportCsv()
    const companion = pauseCompanion(file)
    const summary = await importMany(boss.store, [
      { path: file, name: path.basename(file) },
      { path: companion, name: path.basename(companion) },
    ])
    expect(summary.files.map((f) => f.file)).toEqual([path.basename(file)])
    expect(summary.pauses).toEqual({ read: 3, added: 3, duplicates: 0 })

    const alone = openTestLog()
    try {
      // dropped on the window: a temp name, no call log beside it
      const dropped = path.join(alone.dir, '0.csv')
      fs.copyFileSync(companion, dropped)
      expect(await importOne(alone.store, dropped, '李娜.暂停记录.csv')).toMatchObject({
        read: 0,
        added: 0,
        pauses: { read: 3, added: 3 },
      })
    } finally {
      alone.close()
    }
  })

  it('a pause row without a start is refused, naming the row', async () => {
    const file = path.join(desk.dir, 'bad.暂停记录.csv')
    fs.writeFileSync(file, '记录编号,工号,暂停原因,开始时间\r\np-1,00007,休息,\r\n')
    await expect(importOne(boss.store, file)).rejects.toThrow('暂停记录第 2 行缺少「开始时间」')
  })
})
