/**
 * Calling hours for marketing calls: pure functions over "HH:MM-HH:MM" windows in a time zone.
 * A window whose end is not after its start runs across midnight (22:00-02:00). '24:00' may end
 * a window. The zone is an IANA name; '' means the machine's own.
 */

interface Window {
  start: number
  end: number
}

const MINUTE = 60_000

function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number)
  return (h ?? 0) * 60 + (m ?? 0)
}

export function parseWindow(text: string): Window {
  const [a = '', b = ''] = text.split('-')
  return { start: minutes(a), end: minutes(b) }
}

/** formatters are costly to build and nextOpening asks thousands of times: one per zone */
const formatters = new Map<string, Intl.DateTimeFormat>()

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      ...(timeZone ? { timeZone } : {}),
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
    formatters.set(timeZone, f)
  }
  return f
}

/** minute of the day (0–1439) of `at` on the wall clock of `timeZone` */
export function wallMinute(at: Date, timeZone: string): number {
  const parts = formatter(timeZone).formatToParts(at)
  const h = Number(parts.find((p) => p.type === 'hour')?.value ?? 0)
  const m = Number(parts.find((p) => p.type === 'minute')?.value ?? 0)
  return h * 60 + m
}

function inside(minute: number, w: Window): boolean {
  if (w.start < w.end) return minute >= w.start && minute < w.end
  // across midnight (or a whole day when start === end)
  return minute >= w.start || minute < w.end
}

export function withinCallingHours(
  at: Date,
  windows: readonly string[],
  timeZone: string,
): boolean {
  const m = wallMinute(at, timeZone)
  return windows.some((w) => inside(m, parseWindow(w)))
}

/**
 * When calling opens next after `at` (the first minute inside a window), or null when no window
 * is set. Walks minute boundaries on the zone's wall clock, so daylight-saving jumps are honoured.
 */
export function nextOpening(at: Date, windows: readonly string[], timeZone: string): Date | null {
  if (windows.length === 0) return null
  const parsed = windows.map(parseWindow)
  // the start of the next whole minute, then at most two days of minutes
  let t = Math.floor(at.getTime() / MINUTE) * MINUTE + MINUTE
  for (let i = 0; i < 2 * 24 * 60 + 120; i++, t += MINUTE) {
    const m = wallMinute(new Date(t), timeZone)
    if (parsed.some((w) => inside(m, w))) return new Date(t)
  }
  return null
}
