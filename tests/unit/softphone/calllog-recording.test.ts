import { afterEach, describe, expect, it } from 'vitest'
import { RecordingStore } from '../../../electron/services/recording/recording-store'
import { baseRow, openTestLog, recordAt, type TestLog } from '../calllog/helpers'

/** A call-log row carries its softphone recording's file name (for the list and the exports). */
describe('the call log and the recordings', () => {
  let log: TestLog | undefined
  afterEach(() => log?.close())

  it('names the recording that started while the call was on, and none for other rows', () => {
    log = openTestLog()
    const recordings = new RecordingStore(log.db)
    const call = { dialledAt: '2026-11-22T02:00:00.000Z', endedAt: '2026-11-22T02:01:00.000Z' }
    recordings.add({
      id: 'a',
      phone: '15920447900',
      file: '2026-11-22/2026-11-22_15920447900_aaaaaaaa.webm',
      startedAt: '2026-11-22T02:00:04.000Z',
    })
    // the same number's call an hour later, and another number at the same time
    recordings.add({
      id: 'b',
      phone: '15920447900',
      file: '2026-11-22/later.webm',
      startedAt: '2026-11-22T03:00:04.000Z',
    })
    recordings.add({
      id: 'c',
      phone: '13800001111',
      file: '2026-11-22/other.webm',
      startedAt: '2026-11-22T02:00:04.000Z',
    })
    recordAt(log, '2026-11-22T02:01:30.000Z', call)
    recordAt(log, '2026-11-22T02:05:00.000Z', { ...baseRow(), dialledAt: null, endedAt: null })
    recordAt(log, '2026-11-22T02:06:00.000Z', {
      dialledAt: '2026-11-22T02:10:00.000Z',
      endedAt: '2026-11-22T02:11:00.000Z',
    })
    const rows = log.store.query({}, 1, 10, 'all').rows
    const byDial = new Map(rows.map((r) => [r.dialledAt, r.recordingFile]))
    expect(byDial.get(call.dialledAt)).toBe('2026-11-22/2026-11-22_15920447900_aaaaaaaa.webm')
    expect(byDial.get(null)).toBeNull()
    expect(byDial.get('2026-11-22T02:10:00.000Z')).toBeNull()
  })
})
