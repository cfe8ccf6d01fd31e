import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase, type AppDatabase } from '../../../electron/services/db/database'
import { RecordingStore } from '../../../electron/services/recording/recording-store'
import { Recordings } from '../../../electron/services/recording/recordings'

describe('call recordings', () => {
  let db: AppDatabase | undefined
  let dir = ''
  afterEach(() => {
    db?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  function setup(now: { t: Date }) {
    dir = mkdtempSync(join(tmpdir(), 'recordings-'))
    db = openDatabase(join(dir, 'callcenter.db'))
    const lines: unknown[][] = []
    const log = {
      info: (...a: unknown[]) => lines.push(a),
      warn: () => {},
      error: () => {},
    }
    const store = new RecordingStore(db)
    const rec = new Recordings({ dataDir: dir, store, log, now: () => now.t })
    return { rec, store, lines }
  }

  it('appends slices in order to one file per call under the data dir and indexes it', () => {
    const now = { t: new Date('2026-03-02T02:00:00Z') }
    const { rec, store } = setup(now)
    const { id, file } = rec.start('13800001111')
    rec.append(id, new Uint8Array([1, 2, 3]))
    rec.append(id, new Uint8Array([4, 5]))
    now.t = new Date('2026-03-02T02:01:05Z')
    const row = rec.finish(id)
    expect(row).toMatchObject({ bytes: 5, endedAt: '2026-03-02T02:01:05.000Z', file })
    expect([...readFileSync(rec.pathOf(row))]).toEqual([1, 2, 3, 4, 5])
    expect(store.forPhone('13800001111').map((r) => r.id)).toEqual([id])
    expect(() => rec.append(id, new Uint8Array([6]))).toThrow(/已结束/)
  })

  it('deletes recordings past the retention period with one log line, keeps younger ones', () => {
    const now = { t: new Date('2026-01-01T02:00:00Z') }
    const { rec, store, lines } = setup(now)
    const old = rec.start('13800001111')
    rec.append(old.id, new Uint8Array([1]))
    const oldRow = rec.finish(old.id)
    now.t = new Date('2026-01-20T02:00:00Z')
    const young = rec.start('13800002222')
    rec.append(young.id, new Uint8Array([2]))
    const youngRow = rec.finish(young.id)

    now.t = new Date('2026-01-31T01:59:00Z')
    expect(rec.sweep(30)).toBe(0)
    now.t = new Date('2026-01-31T02:01:00Z')
    expect(rec.sweep(30)).toBe(1)
    expect(existsSync(rec.pathOf(oldRow))).toBe(false)
    expect(existsSync(rec.pathOf(youngRow))).toBe(true)
    expect(store.get(old.id)).toBeNull()
    const line = lines.find((l) => String(l[0]).includes('retention'))
    expect(line?.[1]).toMatchObject({ count: 1, retentionDays: 30, phones: ['138****1111'] })
  })
  it('finds a call-log row’s recording by its number and times, and reads it back', () => {
    const now = { t: new Date('2026-03-02T02:00:05Z') }
    const { rec } = setup(now)
    const { id } = rec.start('13800001111')
    rec.append(id, new Uint8Array([7, 8, 9]))
    now.t = new Date('2026-03-02T02:01:00Z')
    rec.finish(id)
    // dialled at 02:00:00, answered (recording) at 02:00:05, ended at 02:01:00
    const found = rec.forCall('13800001111', '2026-03-02T02:00:00Z', '2026-03-02T02:01:00Z')
    expect(found?.id).toBe(id)
    expect([...rec.read(id)]).toEqual([7, 8, 9])
    // another number, or a call that ended before this recording began: none
    expect(rec.forCall('13800002222', '2026-03-02T02:00:00Z', '2026-03-02T02:01:00Z')).toBeNull()
    expect(rec.forCall('13800001111', '2026-03-02T01:50:00Z', '2026-03-02T01:51:00Z')).toBeNull()
    expect(rec.forCall('13800001111', 'not a time', null)).toBeNull()
    expect(() => rec.read('00000000-0000-4000-8000-000000000000')).toThrow('录音不存在')
  })
})
