import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ZONE } from './helpers'
process.env.TZ = ZONE

import { saveCallbackInputSchema } from '../../../shared/domain'
import { readCallLogCsv, writeCallLogCsv } from '../../../electron/services/calllog/csv'
import { importOne } from '../../../electron/services/calllog/import-files'
import { openTestLog, recordAt, type TestLog } from './helpers'

/** The softphone's answered time (接通时间): saved, listed, exported, imported, counted. */

const base = {
  projectId: 141,
  packageId: 467,
  phoneId: 1,
  phone: '15920447900',
  ownerName: '李先生',
  callbackItem: '继续跟进',
  dialledAt: '2026-11-22T02:00:00.000Z',
  endedAt: '2026-11-22T02:02:00.000Z',
}

describe('the save input’s answered time', () => {
  it('is accepted between the dial and the end', () => {
    const ok = saveCallbackInputSchema.safeParse({ ...base, answeredAt: '2026-11-22T02:00:10Z' })
    expect(ok.success).toBe(true)
    expect(saveCallbackInputSchema.safeParse(base).success).toBe(true)
  })

  it.each([
    ['2026-11-22T01:59:59Z', '接通时间不能早于拨号时间', base],
    ['2026-11-22T02:02:01Z', '接通时间不能晚于结束时间', base],
    ['昨天', '接通时间不是有效时间', base],
    ['2026-11-22T02:00:10Z', '有接通时间时必须有拨号时间', { ...base, dialledAt: undefined }],
  ])('refuses %s: %s, naming the field', (answeredAt, message, input) => {
    const r = saveCallbackInputSchema.safeParse({ ...input, answeredAt })
    expect(r.success).toBe(false)
    expect(r.error?.issues).toEqual([expect.objectContaining({ path: ['answeredAt'], message })])
  })
})

describe('the call log’s answered time', () => {
  let log: TestLog
  beforeEach(() => {
    log = openTestLog()
  })
  afterEach(() => log.close())

  it('is kept with the row and read back', () => {
    recordAt(log, '2026-11-22T02:03:00.000Z', {
      dialledAt: '2026-11-22T02:00:00.000Z',
      answeredAt: '2026-11-22T02:00:20.000Z',
      endedAt: '2026-11-22T02:02:00.000Z',
    })
    recordAt(log, '2026-11-22T02:04:00.000Z', { dialledAt: '2026-11-22T02:03:30.000Z' })
    const rows = log.store.query({}, 1, 10, 'all').rows
    expect(rows.map((r) => r.answeredAt)).toEqual([null, '2026-11-22T02:00:20.000Z'])
  })

  it('talk time is answer to hang-up where the answer is known, else dial to hang-up', () => {
    // softphone: rang 20 s, talked 100 s
    recordAt(log, '2026-11-22T02:03:00.000Z', {
      dialledAt: '2026-11-22T02:00:00.000Z',
      answeredAt: '2026-11-22T02:00:20.000Z',
      endedAt: '2026-11-22T02:02:00.000Z',
    })
    // handed to another softphone: 30 s from dial to hang-up
    recordAt(log, '2026-11-22T02:10:00.000Z', {
      dialledAt: '2026-11-22T02:05:00.000Z',
      endedAt: '2026-11-22T02:05:30.000Z',
    })
    expect(log.store.stats({}, 'all').team.all).toMatchObject({ talkS: 130, talkN: 2 })
  })

  it('goes out in the 接通时间 column and comes back with a team import', async () => {
    recordAt(log, '2026-11-22T02:03:00.000Z', {
      dialledAt: '2026-11-22T02:00:00.000Z',
      answeredAt: '2026-11-22T02:00:20.000Z',
      endedAt: '2026-11-22T02:02:00.000Z',
    })
    const file = path.join(log.dir, 'team.csv')
    await writeCallLogCsv({
      file,
      columns: ['id', 'userNum', 'dialledAt', 'answeredAt', 'endedAt'],
      maskPhones: true,
      batches: log.store.batches({}, 'all'),
    })
    const header = fs.readFileSync(file, 'utf8').split('\r\n')[0]
    expect(header).toContain('接通时间 (UTC+08:00)')
    expect(fs.readFileSync(file, 'utf8')).toContain('2026-11-22 10:00:20')
    const [parsed] = await readCallLogCsv(file)
    expect(parsed?.answeredAt).toBe('2026-11-22T02:00:20.000Z')

    const other = openTestLog()
    try {
      await importOne(other.store, file)
      const [row] = other.store.query({}, 1, 10, 'all').rows
      expect(row?.answeredAt).toBe('2026-11-22T02:00:20.000Z')
      expect(other.store.stats({}, 'all').team.all).toMatchObject({ talkS: 100, talkN: 1 })
    } finally {
      other.close()
    }
  })
})
