/**
 * The machine's local wall-clock time (the agent's), the way the history view shows it: text
 * `yyyy-MM-dd HH:mm:ss` in CSV, date cells in XLSX, local calendar days in the filters and the
 * statistics. Stored times are UTC ISO text.
 */

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n))

/** `yyyy-MM-dd HH:mm:ss` of a moment in the machine's zone. */
export function localDateTimeText(d: Date): string {
  return (
    `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ` +
    `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`
  )
}

const CANONICAL_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/

/** the number written by the two digits at i */
function twoDigits(s: string, i: number): number {
  return (s.charCodeAt(i) - 48) * 10 + s.charCodeAt(i + 1) - 48
}

/**
 * Local time text for many stored ISO times. An export formats hundreds of thousands of them:
 * the zone's offset is looked up once per UTC hour, and the minutes and seconds are copied.
 */
export class LocalTimeFormatter {
  private readonly hours = new Map<string, string | null>()

  text(iso: string | null): string {
    if (!iso) return ''
    if (!CANONICAL_ISO.test(iso)) {
      const t = Date.parse(iso)
      return Number.isNaN(t) ? iso : localDateTimeText(new Date(t))
    }
    const key = iso.slice(0, 13)
    let prefix = this.hours.get(key)
    if (prefix === undefined) {
      const at = new Date(`${key}:00:00.000Z`)
      // zones a whole number of hours off UTC keep the minutes and seconds as they are
      prefix = at.getTimezoneOffset() % 60 === 0 ? localDateTimeText(at).slice(0, 13) : null
      this.hours.set(key, prefix)
    }
    return prefix === null ? localDateTimeText(new Date(iso)) : prefix + iso.slice(13, 19)
  }
}

const LOCAL_TIME =
  /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?$/

/**
 * An ISO time from a file's time text: local `yyyy-MM-dd HH:mm[:ss]` (also with / as Excel may
 * save it), or an ISO time with a zone. null when it is none of these. `offset`: the minutes east
 * of UTC the file's header states for the text; without it, the text is this machine's time.
 */
export function parseLocalDateTime(text: string, offset: number | null = null): string | null {
  const s = text.trim()
  if (!s) return null
  const m = LOCAL_TIME.exec(s)
  if (m) {
    const n = (i: number): number => (m[i] === undefined ? 0 : Number(m[i]))
    const [y, mo, d] = [n(1), n(2), n(3)]
    const ms = m[7] ? Number(m[7].padEnd(3, '0')) : 0
    if (offset !== null) {
      const wall = new Date(Date.UTC(y, mo - 1, d, n(4), n(5), n(6), ms))
      if (wall.getUTCMonth() !== mo - 1 || wall.getUTCDate() !== d) return null
      return new Date(wall.getTime() - offset * 60_000).toISOString()
    }
    const date = new Date(y, mo - 1, d, n(4), n(5), n(6), ms)
    if (date.getMonth() !== mo - 1 || date.getDate() !== d) return null
    return date.toISOString()
  }
  if (/^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:?\d{2})$/.test(s)) {
    const t = Date.parse(s)
    return Number.isNaN(t) ? null : new Date(t).toISOString()
  }
  return null
}

/** yyyy-MM-dd from `2026-11-22`, `2026/11/22` or `2026-11-22 00:00:00`; null otherwise. */
export function parseDay(text: string): string | null {
  const m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]0{1,2}:00(?::00(?:\.0+)?)?)?$/.exec(
    text.trim(),
  )
  if (!m) return null
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const check = new Date(Date.UTC(y, mo - 1, d))
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return null
  return `${m[1]}-${pad2(mo)}-${pad2(d)}`
}

/**
 * XLSX has no zones: a date cell is a wall-clock time. The Date exceljs writes is read as UTC,
 * so the local wall-clock time is written as if it were UTC.
 */
export function toWallClock(iso: string): Date {
  const t = Date.parse(iso)
  return new Date(t - new Date(t).getTimezoneOffset() * 60_000)
}

/** toWallClock for many times: the zone's offset is looked up once per hour. */
export class WallClock {
  private readonly offsets = new Map<number, number>()

  date(iso: string): Date {
    return new Date(this.ms(iso))
  }

  private readonly days = new Map<string, number>()

  /** the wall-clock time as epoch ms (read as UTC) */
  ms(iso: string): number {
    const t = this.parse(iso)
    const hour = Math.floor(t / 3_600_000)
    let offset = this.offsets.get(hour)
    if (offset === undefined) {
      // the offset at the start and the end of the hour agree unless the zone changes in it
      const a = new Date(hour * 3_600_000).getTimezoneOffset()
      const b = new Date(hour * 3_600_000 + 3_599_999).getTimezoneOffset()
      offset = a === b ? a : Number.NaN
      this.offsets.set(hour, offset)
    }
    return Number.isNaN(offset) ? toWallClock(iso).getTime() : t - offset * 60_000
  }

  /** Date.parse, with the canonical ISO form read by hand (a day's start looked up once) */
  private parse(iso: string): number {
    if (!CANONICAL_ISO.test(iso)) return Date.parse(iso)
    const dayKey = iso.slice(0, 10)
    let day = this.days.get(dayKey)
    if (day === undefined) {
      day = Date.parse(`${dayKey}T00:00:00.000Z`)
      this.days.set(dayKey, day)
    }
    const ms = (iso.charCodeAt(20) - 48) * 100 + twoDigits(iso, 21)
    return (
      day +
      twoDigits(iso, 11) * 3_600_000 +
      twoDigits(iso, 14) * 60_000 +
      twoDigits(iso, 17) * 1000 +
      ms
    )
  }
}

/**
 * The moment a wall-clock Date (as exceljs reads a date cell) stands for: in the zone `offset`
 * minutes east of UTC when the file's header states one, else on this machine.
 */
export function fromWallClock(d: Date, offset: number | null = null): string {
  if (offset !== null) return new Date(d.getTime() - offset * 60_000).toISOString()
  return new Date(
    d.getUTCFullYear(),
    d.getUTCMonth(),
    d.getUTCDate(),
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds(),
    d.getUTCMilliseconds(),
  ).toISOString()
}

/** A yyyy-MM-dd day as the date cell exceljs writes (midnight UTC) and back. */
export function dayToCell(day: string): Date {
  return new Date(`${day}T00:00:00.000Z`)
}
export function dayFromCell(d: Date): string {
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`
}

/** The first instant of a local calendar day (yyyy-MM-dd), as stored ISO text. */
export function localDayStart(day: string, plusDays = 0): string {
  const [y, m, d] = day.split('-').map(Number)
  return new Date(y!, m! - 1, d! + plusDays).toISOString()
}

/**
 * The strftime modifier that turns a stored UTC time into the machine's local time. A zone
 * without daylight saving (China's) gets a fixed offset, which SQLite applies several times
 * faster than 'localtime' and which follows the zone Node uses even when it changes at run time.
 */
export function zoneModifier(at: Date = new Date()): string {
  const y = at.getFullYear()
  const jan = new Date(y, 0, 1).getTimezoneOffset()
  const jul = new Date(y, 6, 1).getTimezoneOffset()
  if (jan !== jul) return 'localtime'
  const minutes = -jan
  return `${minutes >= 0 ? '+' : '-'}${Math.abs(minutes)} minutes`
}
