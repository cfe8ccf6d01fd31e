/** yyyy-MM-dd of a moment in the agent's local time zone */
export function localDay(d: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
}

export function addDays(day: Date, n: number): Date {
  const d = new Date(day)
  d.setDate(d.getDate() + n)
  return d
}

/** HH:mm today, MM-dd HH:mm on another day; '' for no time */
export function shortTime(iso: string | null | undefined, now = new Date()): string {
  if (!iso) return ''
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return ''
  const pad = (n: number): string => String(n).padStart(2, '0')
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`
  return localDay(d) === localDay(now) ? hm : `${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${hm}`
}
