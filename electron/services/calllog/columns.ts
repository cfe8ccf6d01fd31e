import {
  callLogColumnLabels,
  callLogColumns,
  type CallLogColumn,
  type CallLogRow,
} from '../../../shared/calllog'
import { outboxStates } from '../../../shared/domain'
import { AppError } from '../../core/app-error'

/**
 * The call-log columns as files carry them: what kind of value each holds, the header text that
 * names it, and the labels of sync states and yes/no values. Shared by the CSV and XLSX writers
 * and readers.
 */

/** A row as a file carries it: the exportable columns only, all of them optional but the id. */
export type CallLogRecord = Pick<CallLogRow, CallLogColumn>
export type ParsedCallLogRow = Partial<CallLogRecord> & { id: string }

export type ColumnKind = 'text' | 'phone' | 'time' | 'date' | 'int' | 'bool' | 'sync' | 'intent'

export const columnKinds: Record<CallLogColumn, ColumnKind> = {
  id: 'text',
  userNum: 'text',
  userName: 'text',
  machineNo: 'text',
  projectName: 'text',
  packageName: 'text',
  phone: 'phone',
  ownerName: 'text',
  callTime: 'time',
  dispensedAt: 'time',
  dialledAt: 'time',
  answeredAt: 'time',
  endedAt: 'time',
  durationS: 'int',
  callbackItem: 'text',
  intent: 'intent',
  notes: 'text',
  nextFollowDate: 'date',
  nextFollowContent: 'text',
  savedToCustomer: 'bool',
  dnc: 'bool',
  syncState: 'sync',
  recordingFile: 'text',
}

export type SyncState = CallLogRow['syncState']

export const syncStateLabels: Record<SyncState, string> = {
  pending: '等待同步',
  sending: '正在发送',
  delivered: '已同步',
  uncertain: '结果不确定',
  failed: '发送失败',
  discarded: '已放弃',
  imported: '外部导入',
  local: '仅本机',
}

const syncStates = [...outboxStates, 'imported', 'local'] as const

export function syncStateFromText(text: string): SyncState | undefined {
  const t = text.trim()
  for (const s of syncStates) if (syncStateLabels[s] === t || s === t) return s
  return undefined
}

export const YES = '是'
export const NO = '否'

export function boolFromText(text: string): boolean {
  return /^(是|true|1|y|yes|√|✓)$/i.test(text.trim())
}

// --- headers ---

const byHeader = new Map<string, CallLogColumn>()
for (const c of callLogColumns) {
  byHeader.set(callLogColumnLabels[c], c)
  byHeader.set(c.toLowerCase(), c)
}

/** The machine's offset from UTC at a moment, as a header states it: `UTC+08:00`. */
export function zoneLabel(at: Date = new Date()): string {
  const minutes = -at.getTimezoneOffset()
  const abs = Math.abs(minutes)
  const hh = String(Math.floor(abs / 60)).padStart(2, '0')
  const mm = String(abs % 60).padStart(2, '0')
  return `UTC${minutes < 0 ? '-' : '+'}${hh}:${mm}`
}

/**
 * A column's header in an exported file: a time column states the zone its times are in
 * (`时间 (UTC+08:00)`), so a file read elsewhere is not misread.
 */
export function exportHeader(column: CallLogColumn, zone: string): string {
  const label = callLogColumnLabels[column]
  return columnKinds[column] === 'time' ? `${label} (${zone})` : label
}

const ZONE_SUFFIX = /\s*[(（]\s*(?:UTC|GMT)\s*([+-])(\d{1,2})(?::?(\d{2}))?\s*[)）]$/i

/** The zone a header cell states (`时间 (UTC+08:00)`) as minutes east of UTC; null when none. */
export function zoneOfHeader(text: string): number | null {
  const m = ZONE_SUFFIX.exec(text.trim())
  if (!m) return null
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0)
  // real zones run from UTC−12:00 to UTC+14:00
  if (minutes > 14 * 60) return null
  return m[1] === '-' ? -minutes : minutes
}

/** The zones a header row states, by the map headerColumns returned for it. */
const headerZones = new WeakMap<ReadonlyMap<CallLogColumn, number>, number | null>()

/**
 * The zone a file's time column is in. A file is written in one zone: the first time column
 * whose header states a zone gives it for all of them. A file that states none (an older export,
 * a sheet typed by hand) is read in this machine's zone, as before zones were written.
 */
export function columnZone(
  at: ReadonlyMap<CallLogColumn, number>,
  column: CallLogColumn,
): number | null {
  return columnKinds[column] === 'time' ? (headerZones.get(at) ?? null) : null
}

/** The column a file's header cell names (its Chinese label, or the column's key). */
export function columnOfHeader(text: string): CallLogColumn | undefined {
  const t = text
    .replace(/^\uFEFF/, '')
    .replace(ZONE_SUFFIX, '')
    .trim()
  return byHeader.get(t) ?? byHeader.get(t.toLowerCase())
}

/**
 * Maps a header row to column positions; refuses a file without the id column, which import
 * needs to tell a new row from one already here.
 */
export function headerColumns(header: readonly string[]): Map<CallLogColumn, number> {
  const at = new Map<CallLogColumn, number>()
  let zone: number | null = null
  header.forEach((h, i) => {
    const c = columnOfHeader(h)
    if (c && !at.has(c)) at.set(c, i)
    if (c && columnKinds[c] === 'time') zone ??= zoneOfHeader(h)
  })
  headerZones.set(at, zone)
  if (at.size === 0) {
    throw new AppError(
      'invalid-args',
      '文件第一行不是通话记录的列名（如「记录编号」「工号」「电话」），无法导入',
      { field: 'file', code: 'no-header' },
    )
  }
  if (!at.has('id')) {
    throw new AppError(
      'invalid-args',
      `文件缺少「${callLogColumnLabels.id}」列，无法导入：需要它来识别重复的记录。请在导出时勾选「${callLogColumnLabels.id}」列`,
      { field: 'file', code: 'missing-id-column' },
    )
  }
  return at
}
