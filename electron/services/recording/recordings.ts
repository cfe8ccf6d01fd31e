import { randomUUID } from 'node:crypto'
import { appendFileSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { join, relative, resolve, sep } from 'node:path'
import { maskPhone } from '../../../shared/values'
import { AppError } from '../../core/app-error'
import type { Logger } from '../ports'
import type { RecordingRow, RecordingStore } from './recording-store'

/** A recording chunk from the renderer is at most this large (MediaRecorder sends ~1 s slices). */
export const MAX_CHUNK_BYTES = 1024 * 1024
const DAY_MS = 24 * 60 * 60 * 1000
/** the renderer's and main's clocks may differ a little, and the recording starts after answer */
const CLOCK_SLACK_MS = 5_000

/**
 * Local call recordings: the renderer's MediaRecorder slices (Opus in WebM, both directions
 * mixed) appended by main to one file per call under `<dataDir>/recordings/<yyyy-mm-dd>/`,
 * indexed in the database, and deleted after the retention period with a log line.
 */
export class Recordings {
  private readonly root: string
  private readonly open = new Set<string>()

  constructor(
    private readonly deps: {
      dataDir: string
      store: RecordingStore
      log: Logger
      now?: () => Date
    },
  ) {
    this.root = join(deps.dataDir, 'recordings')
  }

  private now(): Date {
    return this.deps.now ? this.deps.now() : new Date()
  }

  /** the absolute path of a stored recording, never outside the recordings folder */
  pathOf(row: Pick<RecordingRow, 'file'>): string {
    const full = resolve(this.root, row.file)
    if (!full.startsWith(this.root + sep)) throw new AppError('internal', '录音路径无效')
    return full
  }

  start(phone: string): { id: string; file: string } {
    const at = this.now()
    const id = randomUUID()
    const day = at.toISOString().slice(0, 10)
    const dir = join(this.root, day)
    mkdirSync(dir, { recursive: true })
    const file = relative(this.root, join(dir, `${day}_${phone}_${id.slice(0, 8)}.webm`))
    this.deps.store.add({ id, phone, file, startedAt: at.toISOString() })
    this.open.add(id)
    return { id, file }
  }

  append(id: string, data: Uint8Array): void {
    if (!this.open.has(id))
      throw new AppError('invalid-args', '录音不存在或已结束', { field: 'id' })
    if (data.byteLength > MAX_CHUNK_BYTES) {
      throw new AppError('invalid-args', '录音片段过大', { field: 'data' })
    }
    const row = this.deps.store.get(id)
    if (!row) throw new AppError('invalid-args', '录音不存在', { field: 'id' })
    appendFileSync(this.pathOf(row), data)
  }

  finish(id: string): RecordingRow {
    const row = this.deps.store.get(id)
    if (!row) throw new AppError('invalid-args', '录音不存在', { field: 'id' })
    this.open.delete(id)
    let bytes = 0
    try {
      bytes = statSync(this.pathOf(row)).size
    } catch {
      // no chunk arrived: an empty recording, still indexed so the sweep removes its row
    }
    const endedAt = this.now().toISOString()
    this.deps.store.finish(id, endedAt, bytes)
    return { ...row, endedAt, bytes }
  }

  /**
   * The recording of a call dialled at `dialledAt` and ended at `endedAt` (still on: now): it
   * starts once the call is answered, so between the two.
   */
  forCall(phone: string, dialledAt: string, endedAt: string | null): RecordingRow | null {
    const from = Date.parse(dialledAt)
    if (Number.isNaN(from)) return null
    const end = endedAt === null ? this.now().getTime() : Date.parse(endedAt)
    if (Number.isNaN(end)) return null
    return this.deps.store.forCall(
      phone,
      new Date(from).toISOString(),
      new Date(end + CLOCK_SLACK_MS).toISOString(),
    )
  }

  /** a stored recording's bytes */
  read(id: string): Buffer {
    const row = this.deps.store.get(id)
    if (!row) throw new AppError('invalid-args', '录音不存在或已过保存期', { field: 'id' })
    try {
      return readFileSync(this.pathOf(row))
    } catch {
      throw new AppError('invalid-args', '录音文件已不存在', { field: 'id' })
    }
  }

  /** deletes recordings older than `retentionDays`; one log line per sweep that deleted any */
  sweep(retentionDays: number): number {
    const cutoff = new Date(this.now().getTime() - retentionDays * DAY_MS).toISOString()
    const old = this.deps.store.startedBefore(cutoff).filter((r) => !this.open.has(r.id))
    for (const row of old) {
      rmSync(this.pathOf(row), { force: true })
      this.deps.store.remove(row.id)
    }
    if (old.length > 0) {
      this.deps.log.info('deleted call recordings past the retention period', {
        count: old.length,
        retentionDays,
        phones: old.map((r) => maskPhone(r.phone)),
      })
    }
    return old.length
  }
}
