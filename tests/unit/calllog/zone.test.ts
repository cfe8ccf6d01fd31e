import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ZONE } from './helpers'
process.env.TZ = ZONE

import { readCallLogCsv, writeCallLogCsv } from '../../../electron/services/calllog/csv'
import { zoneOfHeader } from '../../../electron/services/calllog/columns'
import { readCallLogXlsx, writeCallLogXlsx } from '../../../electron/services/calllog/xlsx'
import { sampleRow, tempDir } from './helpers'

/**
 * A file states the zone its times were written in (`时间 (UTC+08:00)`); a desktop in another
 * zone reads them as the same instants. A file without a zone is read in this machine's zone.
 */

const dirs: string[] = []
const dir = (): string => {
  const d = tempDir('calllog-zone-')
  dirs.push(d)
  return d
}
afterEach(() => {
  process.env.TZ = ZONE
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true })
})

const row = sampleRow(1)
const columns = ['id', 'callTime', 'dialledAt', 'answeredAt', 'endedAt'] as const
const instants = {
  callTime: row.callTime,
  dialledAt: row.dialledAt,
  answeredAt: row.answeredAt,
  endedAt: row.endedAt,
}

describe('the time zone of an exported file', () => {
  it('reads the zone a header states', () => {
    expect(zoneOfHeader('时间 (UTC+08:00)')).toBe(480)
    expect(zoneOfHeader('拨号时间（UTC-05:30）')).toBe(-330)
    expect(zoneOfHeader('时间 (GMT+9)')).toBe(540)
    expect(zoneOfHeader('时间')).toBeNull()
    expect(zoneOfHeader('时间 (UTC+25:00)')).toBeNull()
  })

  it.each(['csv', 'xlsx'] as const)(
    'a %s written in Beijing is read in New York as the same instants',
    async (format) => {
      const file = path.join(dir(), `team.${format}`)
      const write = format === 'csv' ? writeCallLogCsv : writeCallLogXlsx
      await write({ file, columns, maskPhones: true, batches: [[row]] })
      // the supervisor's desktop is elsewhere
      process.env.TZ = 'America/New_York'
      const [back] = await (format === 'csv' ? readCallLogCsv(file) : readCallLogXlsx(file))
      expect(back).toMatchObject(instants)
    },
  )

  it('a CSV typed by hand with a zone in one header uses it for every time column', async () => {
    const file = path.join(dir(), 'hand.csv')
    fs.writeFileSync(
      file,
      '记录编号,时间 (UTC+08:00),结束时间\r\nx-1,2026-11-22 10:00:05,2026-11-22 10:01:40\r\n',
    )
    process.env.TZ = 'Europe/London'
    const [back] = await readCallLogCsv(file)
    expect(back).toMatchObject({
      callTime: '2026-11-22T02:00:05.000Z',
      endedAt: '2026-11-22T02:01:40.000Z',
    })
  })

  it('a file without a zone is read in this machine’s zone', async () => {
    const file = path.join(dir(), 'old.csv')
    fs.writeFileSync(file, '记录编号,时间\r\nx-1,2026-11-22 10:00:05\r\n')
    process.env.TZ = 'Europe/London'
    expect((await readCallLogCsv(file))[0]?.callTime).toBe('2026-11-22T10:00:05.000Z')
  })
})
