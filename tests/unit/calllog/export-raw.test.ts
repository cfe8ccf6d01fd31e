import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ZONE } from './helpers'
process.env.TZ = ZONE

import { callLogColumns } from '../../../shared/calllog'
import { writeCallLogCsv } from '../../../electron/services/calllog/csv'
import { rawField, toRow, type RawRow } from '../../../electron/services/calllog/rows'
import { readCallLogXlsx, writeCallLogXlsx } from '../../../electron/services/calllog/xlsx'
import { RecordingStore } from '../../../electron/services/recording/recording-store'
import { openTestLog, recordAt, seed, type TestLog } from './helpers'

/**
 * Exports write the arrays the store reads (store.rawBatches, rows.rawField) rather than row
 * objects: the files must be the ones the row objects give, byte for byte.
 */

function awkward(log: TestLog): void {
  seed(log, 120)
  const odd = [
    { notes: '=SUM(A1)', ownerName: '"引号", 逗号', userNum: '00006' },
    { notes: "'+1", ownerName: '换行\r\n第二行', userNum: '0000000000123' },
    { notes: '-5', callbackItem: '', intent: 'C' as const, nextFollowDate: '2026-11-30' },
    { notes: '@x\t', projectName: '', packageName: '', dnc: true, savedToCustomer: true },
  ]
  odd.forEach((o, i) =>
    recordAt(log, `2026-11-22T0${i}:00:00.000Z`, {
      ...o,
      dialledAt: `2026-11-22T0${i}:00:00.000Z`,
      answeredAt: i % 2 ? `2026-11-22T0${i}:00:09.000Z` : null,
      endedAt: `2026-11-22T0${i}:01:00.000Z`,
    }),
  )
  // a training row and an old row whose sync state is no known one
  log.db.connection.exec(`UPDATE call_log SET profile = 'training' WHERE rowid % 7 = 0`)
  log.db.connection.exec(`UPDATE call_log SET sync_state = 'weird' WHERE rowid % 11 = 0`)
  log.db.connection.exec(`UPDATE call_log SET intent = ' b ' WHERE rowid % 13 = 0`)
}

describe('exports from the arrays the store reads', () => {
  let log: TestLog | null = null
  afterEach(() => {
    log?.close()
    log = null
  })

  it('rawField reads every field as toRow does', () => {
    log = openTestLog()
    awkward(log)
    const rows = [...log.store.rawBatches({}, 'all', 50)].flat() as RawRow[]
    expect(rows.length).toBe(124)
    for (const r of rows) {
      const object = toRow(r)
      for (const [field, read] of Object.entries(rawField)) {
        expect(read(r), field).toEqual(object[field as keyof typeof object])
      }
    }
  })

  it('CSV: the same bytes as from row objects, masked or not, with and without recordings', async () => {
    log = openTestLog()
    awkward(log)
    const l = log
    const csv = async (name: string, raw: boolean, maskPhones: boolean): Promise<Buffer> => {
      const file = path.join(l.dir, name)
      await writeCallLogCsv({
        file,
        columns: callLogColumns,
        maskPhones,
        batches: raw ? l.store.rawBatches({}, 'all', 33) : l.store.batches({}, 'all', 33),
      })
      return fs.readFileSync(file)
    }
    for (const mask of [true, false]) {
      expect((await csv('raw.csv', true, mask)).equals(await csv('rows.csv', false, mask))).toBe(
        true,
      )
    }
    // with a recording in the database, the rows look theirs up again
    new RecordingStore(l.db).add({
      id: 'rec',
      phone: '15920447900',
      file: '2026-11-22/rec.webm',
      startedAt: '2026-11-22T00:00:04.000Z',
    })
    const withRecording = await csv('raw2.csv', true, true)
    expect(withRecording.toString('utf8')).toContain('2026-11-22/rec.webm')
    expect(withRecording.equals(await csv('rows2.csv', false, true))).toBe(true)
  })

  it('XLSX: the same rows read back as from row objects', async () => {
    log = openTestLog()
    awkward(log)
    const l = log
    const xlsx = async (name: string, raw: boolean) => {
      const file = path.join(l.dir, name)
      await writeCallLogXlsx({
        file,
        columns: callLogColumns,
        maskPhones: false,
        batches: raw ? l.store.rawBatches({}, 'all', 40) : l.store.batches({}, 'all', 40),
      })
      return readCallLogXlsx(file)
    }
    const raw = await xlsx('raw.xlsx', true)
    expect(raw.length).toBe(124)
    expect(raw).toEqual(await xlsx('rows.xlsx', false))
  })
})
