import { randomInt } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

/**
 * Message serial numbers (§2.4): `{appid}{yyMMddHHmmss}{5-digit counter}`. Every desktop of a
 * call center shares one appid, so two desktops are told apart only by the counter: the 100 000
 * counters are split into SID_LANES lanes of SID_LANE_SIZE, and each installation sends from its
 * own lane (counter = lane × 100 + position):
 *
 * - the lane is an installation number a site assigns (`lane`, or `{"lane": n}` written into the
 *   state file), which makes SIDs of different desktops disjoint; without one, a lane is drawn
 *   at random on first start and kept in the state file, so the installation stays in it;
 * - within a second the position starts at a random point of the lane and counts up (wrapping
 *   inside the lane): a burst of one desktop never repeats itself, and two desktops that happen
 *   to share a lane collide only when their runs overlap in the same second, not every time;
 * - more than SID_LANE_SIZE SIDs in one second move the SID clock on to the next second;
 * - within a run the SID clock never goes back (a wall clock set back keeps the last second);
 * - across restarts, a generator with a store writes each new second to it before handing out
 *   that second's first SID, and a new run starts after the later of the wall clock and the
 *   saved second, so no earlier run's SID comes back, even with the clock set back.
 *
 * A collision that still happens (two desktops on one lane, same second, overlapping runs) is
 * caught by the Data Center's 1013 and the outbox's confirming read (report-context.ts), which
 * then moves a drawn lane (moveLane), so two desktops that shared a lane meet once, not daily.
 */

export const SID_COUNTER_LIMIT = 100_000
export const SID_LANE_SIZE = 100
export const SID_LANES = SID_COUNTER_LIMIT / SID_LANE_SIZE
/** Beijing time: the Data Center's. A fixed offset keeps the SID clock monotonic (no DST). */
const DEFAULT_UTC_OFFSET_MINUTES = 8 * 60

export interface SidState {
  /** this installation's lane, 0 … SID_LANES − 1 */
  lane: number
  /** UTC epoch second: no SID of the saving run lies beyond it */
  second: number
}

export interface SidStateStore {
  load(): Partial<SidState> | undefined
  save(state: SidState): void
}

export interface SidGenerator {
  next(): string
  /**
   * A SID of ours met another desktop's (a 1013 whose record was not there): an installation on
   * a drawn lane draws another one, so two desktops that shared a lane stop meeting.
   */
  moveLane?(): void
}

export class MemorySidStateStore implements SidStateStore {
  state: Partial<SidState> | undefined
  saves = 0

  constructor(initial?: Partial<SidState>) {
    this.state = initial
  }

  load(): Partial<SidState> | undefined {
    return this.state ? { ...this.state } : undefined
  }

  save(state: SidState): void {
    this.state = { ...state }
    this.saves += 1
  }
}

const isLane = (v: unknown): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < SID_LANES
const isSecond = (v: unknown): v is number =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= 0

/** The valid parts of a stored state (an old file has a counter and no lane: the second stays). */
function readState(v: unknown): Partial<SidState> | undefined {
  if (typeof v !== 'object' || v === null) return undefined
  const s = v as Record<string, unknown>
  const out: Partial<SidState> = {}
  if (isLane(s.lane)) out.lane = s.lane
  if (isSecond(s.second)) out.second = s.second
  return out.lane === undefined && out.second === undefined ? undefined : out
}

/**
 * A JSON file, replaced atomically (write a temp file, fsync, rename) so a crash mid-write leaves
 * the old state rather than a torn one. An unreadable file counts as no state: the generator
 * then still starts after the current second, in a new lane.
 */
export class FileSidStateStore implements SidStateStore {
  constructor(readonly file: string) {}

  load(): Partial<SidState> | undefined {
    let text: string
    try {
      text = fs.readFileSync(this.file, 'utf8')
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined
      throw e
    }
    try {
      return readState(JSON.parse(text) as unknown)
    } catch {
      return undefined
    }
  }

  save(state: SidState): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true })
    const tmp = `${this.file}.${process.pid}.tmp`
    const fd = fs.openSync(tmp, 'w')
    try {
      fs.writeSync(fd, JSON.stringify({ lane: state.lane, second: state.second }))
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
  /** persistence across restarts (the lane and the last second) */
  store?: SidStateStore
  /** this installation's lane when the site numbers its desktops; else the stored or a random one */
  lane?: number
  /** the clock, injectable for tests */
  now?: () => Date
  /** a random integer 0 ≤ r < n, injectable for tests; default crypto.randomInt */
  random?: (n: number) => number
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
  private currentLane: number
  /** a lane the site assigned stays; a drawn one moves after a collision */
  private readonly assigned: boolean
  private readonly store: SidStateStore | undefined
  private readonly now: () => Date
  private readonly random: (n: number) => number
  private readonly offset: number
  /** no SID may use a second below this (set on load so an earlier run's seconds are skipped) */
  private readonly floorSecond: number
  private second = -1
  private start = 0
  private usedInSecond = 0
  private savedSecond = -1
  /** yyMMddHHmmss of `second`, formatted once per second */
  private secondText = ''

  constructor(opts: SidGeneratorOptions) {
    if (!/^\d{1,10}$/.test(opts.appid)) throw new TypeError('SID appid must be digits')
    if (opts.lane !== undefined && !isLane(opts.lane)) {
      throw new RangeError(`SID lane must be an integer 0–${SID_LANES - 1}`)
    }
    this.appid = opts.appid
    this.store = opts.store
    this.now = opts.now ?? (() => new Date())
    this.random = opts.random ?? ((n) => randomInt(n))
    this.offset = opts.utcOffsetMinutes ?? DEFAULT_UTC_OFFSET_MINUTES
    const loaded = this.store?.load()
    this.assigned = opts.lane !== undefined
    this.currentLane = opts.lane ?? loaded?.lane ?? this.random(SID_LANES)
    const savedSecond = loaded?.second ?? 0
    this.floorSecond = this.store ? Math.max(this.nowSecond(), savedSecond) + 1 : 0
    // a lane not yet on disk is written with the first SID
    if (loaded?.lane === this.lane && loaded.second !== undefined) this.savedSecond = savedSecond
  }

  get lane(): number {
    return this.currentLane
  }

  moveLane(): void {
    if (this.assigned) return
    this.currentLane = (this.currentLane + 1 + this.random(SID_LANES - 1)) % SID_LANES
    // written with the next SID; until then a restart keeps the old lane, which is only as safe
    this.savedSecond = -1
  }

  private nowSecond(): number {
    return Math.floor(this.now().getTime() / 1000)
  }

  next(): string {
    const sec = Math.max(this.nowSecond(), this.floorSecond, this.second)
    if (sec !== this.second || this.usedInSecond >= SID_LANE_SIZE) {
      // a new second, or every position of the lane is taken in this one: the SID clock moves on
      this.second = sec !== this.second ? sec : this.second + 1
      this.usedInSecond = 0
      this.start = this.random(SID_LANE_SIZE)
      this.secondText = formatSidTime(this.second, this.offset)
    }
    if (this.store && this.second > this.savedSecond) {
      // Write ahead: the second is on disk before any SID of it is handed out.
      this.store.save({ lane: this.currentLane, second: this.second })
      this.savedSecond = this.second
    }
    const position = (this.start + this.usedInSecond) % SID_LANE_SIZE
    this.usedInSecond += 1
    return this.appid + this.secondText + pad(this.currentLane * SID_LANE_SIZE + position, 5)
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
