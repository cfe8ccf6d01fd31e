/**
 * The referee's SID rules (§2.4): `{source appid}{yyMMddHHmmss}{00000–99999}`. The text says
 * yymmddhhmm, but its own example (141120203225 for 20:32:25) carries seconds, so seconds it is.
 * Written here from the document, not taken from the client's generator.
 */

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

/** True when `sid` is the sender's appid, a real yyMMddHHmmss and a 5-digit counter. */
export function isSpecSid(sid: string, appid: string): boolean {
  if (!sid.startsWith(appid)) return false
  const m = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})\d{5}$/.exec(sid.slice(appid.length))
  if (!m) return false
  const [yy, mo, dd, hh, mi, ss] = m.slice(1).map(Number) as [number, number, number, ...number[]]
  const year = 2000 + yy
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
  const days = mo === 2 && leap ? 29 : (DAYS_IN_MONTH[mo - 1] ?? 0)
  return dd >= 1 && dd <= days && hh! <= 23 && mi! <= 59 && ss! <= 59
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0')

/**
 * The Data Center's own SIDs, for answers to requests that carried none (§2.4: the source of a
 * message numbers it). Beijing time; the counter wraps at 100000.
 */
export function createSpecSidSource(appid: string, now: () => Date = () => new Date()) {
  let counter = 0
  return {
    next(): string {
      const b = new Date(now().getTime() + 8 * 3600_000)
      const time =
        pad(b.getUTCFullYear() % 100) +
        pad(b.getUTCMonth() + 1) +
        pad(b.getUTCDate()) +
        pad(b.getUTCHours()) +
        pad(b.getUTCMinutes()) +
        pad(b.getUTCSeconds())
      const sid = appid + time + pad(counter, 5)
      counter = (counter + 1) % 100_000
      return sid
    },
  }
}
