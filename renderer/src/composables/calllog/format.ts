import { addDays, localDay } from '../format/dates'

const pad = (n: number): string => String(n).padStart(2, '0')

/** MM-dd HH:mm this year, yyyy-MM-dd HH:mm before; '' for no time */
export function listTime(iso: string | null | undefined, now = new Date()): string {
  if (!iso) return ''
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return ''
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`
  const md = `${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
  return d.getFullYear() === now.getFullYear() ? `${md} ${hm}` : `${d.getFullYear()}-${md} ${hm}`
}

/** HH:mm:ss of a time, local; '' for no time */
export function timeOfDay(iso: string | null | undefined): string {
  if (!iso) return ''
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return ''
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
}

/** 83 → "1:23", 3725 → "1:02:05"; '' when unknown */
export function clock(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return ''
  const s = Math.max(0, Math.round(seconds))
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`
}

/** 0.1234 → "12.3%" */
export function percent(ratio: number): string {
  return `${(Math.max(0, ratio) * 100).toFixed(1)}%`
}

export type RangeShortcut = 'today' | 'week' | 'month' | 'thisMonth'

/** The date picker's shortcuts as [from, to] days, local time. */
export function rangeOf(shortcut: RangeShortcut, now = new Date()): [string, string] {
  const today = localDay(now)
  switch (shortcut) {
    case 'today':
      return [today, today]
    case 'week':
      return [localDay(addDays(now, -6)), today]
    case 'month':
      return [localDay(addDays(now, -29)), today]
    case 'thisMonth':
      return [`${today.slice(0, 8)}01`, today]
  }
}

/** "12.4 KB" */
export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}
