import fs from 'node:fs'
import path from 'node:path'

/**
 * Message serial numbers (§2.4): `{appid}{yyMMddHHmmss}{5-digit counter}`. The counter runs
 * 00000–99999 and wraps; it does not restart each second. A SID is unique when no two share both
 * the second and the counter, which this module guarantees within a run and across restarts:
 *
 * - within a run the counter is consecutive, so a second repeats a counter only after 100000
 *   SIDs in that second; the 100001st moves on to the next second instead;
 * - across restarts, a generator with a store never issues a SID in the second it starts in or
 *   any earlier one (nor at or before the second last saved), so no SID of an earlier run can
 *   come back while the wall clock does not run backwards; and the counter continues past the
 *   block the earlier run had reserved, so even a clock set back would need 100000 SIDs within
 *   the overlap to repeat one.
 *
 * The store is written once per `blockSize` SIDs (and when a burst runs the SID clock ahead of the
 * wall clock), not once per SID.
 */

export const SID_COUNTER_LIMIT = 100_000
const DEFAULT_BLOCK = 1_000
/** Beijing time: the Data Center's. A fixed offset keeps the SID clock monotonic (no DST). */
const DEFAULT_UTC_OFFSET_MINUTES = 8 * 60

export interface SidState {
  /** the counter the next run starts at: everything below it (cyclically) may be used */
  counter: number
  /** UTC epoch second: no SID of the saving run lies beyond it, except by the wall clock */
  second: number
}

export interface SidStateStore {
  load(): SidState | undefined
  save(state: SidState): void
}

export interface SidGenerator {
  next(): string
}

export class MemorySidStateStore implements SidStateStore {
  state: SidState | undefined
  saves = 0

  constructor(initial?: SidState) {
    this.state = initial
  }

  load(): SidState | undefined {
    return this.state ? { ...this.state } : undefined
  }

  save(state: SidState): void {
    this.state = { ...state }
    this.saves += 1
  }
}

function isSidState(v: unknown): v is SidState {
  if (typeof v !== 'object' || v === null) return false
  const s = v as Record<string, unknown>
  return (
    typeof s.counter === 'number' &&
    Number.isInteger(s.counter) &&
    s.counter >= 0 &&
    s.counter < SID_COUNTER_LIMIT &&
    typeof s.second === 'number' &&
    Number.isSafeInteger(s.second) &&
    s.second >= 0
  )
}

/**
 * A JSON file, replaced atomically (write a temp file, fsync, rename) so a crash mid-write leaves
 * the old reservation rather than a torn one. An unreadable file counts as no state: the
 * generator then still starts after the current second.
 */
export class FileSidStateStore implements SidStateStore {
  constructor(readonly file: string) {}

  load(): SidState | undefined {
    let text: string
    try {
      text = fs.readFileSync(this.file, 'utf8')
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined
      throw e
    }
    try {
      const v = JSON.parse(text) as unknown
      return isSidState(v) ? { counter: v.counter, second: v.second } : undefined
    } catch {
      return undefined
    }
  }

  save(state: SidState): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true })
    const tmp = `${this.file}.${process.pid}.tmp`
    const fd = fs.openSync(tmp, 'w')
    try {
      fs.writeSync(fd, JSON.stringify({ counter: state.counter, second: state.second }))
      fs.fsyncSync(fd)
    } finally {
      fs.closeSync(fd)
    }
    fs.renameSync(tmp, this.file)
  }
}

export interface SidGeneratorOptions {
  /** the source system's appid (digits) */
  appid: string
  /** persistence across restarts; without it the generator only guarantees uniqueness in-run */
  store?: SidStateStore
  /** the clock, injectable for tests */
  now?: () => Date
  /** SIDs per store write */
  blockSize?: number
  /** the time zone of the yyMMddHHmmss part, as minutes east of UTC; default +08:00 */
  utcOffsetMinutes?: number
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0')
}

/** yyMMddHHmmss of an epoch second in a fixed UTC offset. */
export function formatSidTime(
  epochSecond: number,
  utcOffsetMinutes = DEFAULT_UTC_OFFSET_MINUTES,
): string {
  const d = new Date((epochSecond + utcOffsetMinutes * 60) * 1000)
  return (
    pad(d.getUTCFullYear() % 100, 2) +
    pad(d.getUTCMonth() + 1, 2) +
    pad(d.getUTCDate(), 2) +
    pad(d.getUTCHours(), 2) +
    pad(d.getUTCMinutes(), 2) +
    pad(d.getUTCSeconds(), 2)
  )
}

export class SequentialSidGenerator implements SidGenerator {
  readonly appid: string
  private readonly store: SidStateStore | undefined
  private readonly now: () => Date
  private readonly blockSize: number
  private readonly offset: number
  /** no SID may use a second below this (set on load so an earlier run's seconds are skipped) */
  private floorSecond: number
  private counter: number
  private second = -1
  private usedInSecond = 0
  private reservedLeft = 0
  private savedSecond = -1
  /** yyMMddHHmmss of `second`, formatted once per second */
  private secondText = ''

  constructor(opts: SidGeneratorOptions) {
    if (!/^\d{1,10}$/.test(opts.appid)) throw new TypeError('SID appid must be digits')
    this.appid = opts.appid
    this.store = opts.store
    this.now = opts.now ?? (() => new Date())
    this.blockSize = Math.max(1, Math.min(opts.blockSize ?? DEFAULT_BLOCK, SID_COUNTER_LIMIT))
    this.offset = opts.utcOffsetMinutes ?? DEFAULT_UTC_OFFSET_MINUTES
    const loaded = this.store?.load()
    this.counter = loaded ? loaded.counter : 0
    this.floorSecond = this.store ? Math.max(this.nowSecond(), loaded?.second ?? 0) + 1 : 0
    if (loaded) this.savedSecond = loaded.second
  }

  private nowSecond(): number {
    return Math.floor(this.now().getTime() / 1000)
  }

  next(): string {
    const wall = this.nowSecond()
    const sec = Math.max(wall, this.floorSecond, this.second)
    if (sec !== this.second) {
      this.second = sec
      this.usedInSecond = 0
    } else if (this.usedInSecond >= SID_COUNTER_LIMIT) {
      // every counter value is taken in this second: the SID clock runs ahead by one
      this.second += 1
      this.usedInSecond = 0
    }
    if (this.store) {
      // Write ahead: the reservation is on disk before any SID of it is handed out.
      const ahead = this.second > wall && this.second > this.savedSecond
      if (this.reservedLeft === 0 || ahead) {
        this.store.save({
          counter: (this.counter + this.blockSize) % SID_COUNTER_LIMIT,
          second: this.second,
        })
        this.savedSecond = this.second
        this.reservedLeft = this.blockSize
      }
      this.reservedLeft -= 1
    }
    // usedInSecond is 0 exactly when the SID second has just changed
    if (this.usedInSecond === 0) this.secondText = formatSidTime(this.second, this.offset)
    const sid = this.appid + this.secondText + pad(this.counter, 5)
    this.counter = (this.counter + 1) % SID_COUNTER_LIMIT
    this.usedInSecond += 1
    return sid
  }
}

export function createSidGenerator(opts: SidGeneratorOptions): SequentialSidGenerator {
  return new SequentialSidGenerator(opts)
}

export interface ParsedSid {
  appid: string
  /** yyMMddHHmmss */
  time: string
  counter: number
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

/**
 * Parses `{appid}{yyMMddHHmmss}{counter:5}`; undefined when malformed. With `appid`, the SID must
 * start with it (the first part is the source system's number); without, the appid is whatever
 * digits precede the last 17.
 */
export function parseSid(sid: string, appid?: string): ParsedSid | undefined {
  if (typeof sid !== 'string' || !/^\d+$/.test(sid)) return undefined
  let source: string
  if (appid !== undefined) {
    if (!sid.startsWith(appid) || sid.length !== appid.length + 17) return undefined
    source = appid
  } else {
    if (sid.length < 18) return undefined
    source = sid.slice(0, sid.length - 17)
  }
  const rest = sid.slice(source.length)
  const time = rest.slice(0, 12)
  const [yy, mo, dd, hh, mi, ss] = [0, 2, 4, 6, 8, 10].map((i) => Number(time.slice(i, i + 2)))
  if ([yy, mo, dd, hh, mi, ss].some((n) => n === undefined)) return undefined
  const year = 2000 + yy!
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
  const monthDays = mo === 2 && leap ? 29 : (DAYS_IN_MONTH[mo! - 1] ?? 0)
  if (mo! < 1 || mo! > 12 || dd! < 1 || dd! > monthDays) return undefined
  if (hh! > 23 || mi! > 59 || ss! > 59) return undefined
  return { appid: source, time, counter: Number(rest.slice(12)) }
}

export function isValidSid(sid: string, appid?: string): boolean {
  return parseSid(sid, appid) !== undefined
}
