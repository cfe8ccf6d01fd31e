import { randomBytes } from 'node:crypto'
import fsp, { type FileHandle } from 'node:fs/promises'
import path from 'node:path'
import {
  callLogColumnLabels,
  callLogColumns,
  type CallLogColumn,
  type CallLogRow,
} from '../../../shared/calllog'
import { outboxStates } from '../../../shared/domain'
import { AppError } from '../../core/app-error'

/**
 * What the CSV and XLSX writers and readers share: how each column is shown in a file and read
 * back, local times, and the write-to-a-temp-file-then-rename step.
 *
 * Times are the machine's local wall-clock time (the agent's), the way the history view shows
 * them: text `yyyy-MM-dd HH:mm:ss` in CSV, date cells in XLSX.
 */

/** A row as a file carries it: the exportable columns only, all of them optional but the id. */
export type CallLogRecord = Pick<CallLogRow, CallLogColumn>
export type ParsedCallLogRow = Partial<CallLogRecord> & { id: string }

export type ColumnKind = 'text' | 'phone' | 'time' | 'date' | 'int' | 'bool' | 'sync'

export const columnKinds: Record<CallLogColumn, ColumnKind> = {
  id: 'text',
  userNum: 'text',
  userName: 'text',
  machineNo: 'text',
  projectName: 'text',
  packageName: 'text',
  phone: 'phone',
  ownerName: 'text',
  dispensedAt: 'time',
  dialledAt: 'time',
  endedAt: 'time',
  durationS: 'int',
  callbackItem: 'text',
  notes: 'text',
  nextFollowDate: 'date',
  nextFollowContent: 'text',
  savedToCustomer: 'bool',
  dnc: 'bool',
  syncState: 'sync',
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

// --- local time ---

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
 * save it), or an ISO time with a zone. null when it is none of these.
 */
export function parseLocalDateTime(text: string): string | null {
  const s = text.trim()
  if (!s) return null
  const m = LOCAL_TIME.exec(s)
  if (m) {
    const n = (i: number): number => (m[i] === undefined ? 0 : Number(m[i]))
    const [y, mo, d] = [n(1), n(2), n(3)]
    const ms = m[7] ? Number(m[7].padEnd(3, '0')) : 0
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

/** The moment a wall-clock Date (as exceljs reads a date cell) stands for on this machine. */
export function fromWallClock(d: Date): string {
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

// --- headers ---

const byHeader = new Map<string, CallLogColumn>()
for (const c of callLogColumns) {
  byHeader.set(callLogColumnLabels[c], c)
  byHeader.set(c.toLowerCase(), c)
}

/** The column a file's header cell names (its Chinese label, or the column's key). */
export function columnOfHeader(text: string): CallLogColumn | undefined {
  const t = text.replace(/^\uFEFF/, '').trim()
  return byHeader.get(t) ?? byHeader.get(t.toLowerCase())
}

/**
 * Maps a header row to column positions; refuses a file without the id column, which import
 * needs to tell a new row from one already here.
 */
export function headerColumns(header: readonly string[]): Map<CallLogColumn, number> {
  const at = new Map<CallLogColumn, number>()
  header.forEach((h, i) => {
    const c = columnOfHeader(h)
    if (c && !at.has(c)) at.set(c, i)
  })
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

/** A clear error for a data row without an id (rows count from 1 with the header). */
export function missingIdError(rowNumber: number): AppError {
  return new AppError(
    'invalid-args',
    `第 ${rowNumber} 行的「${callLogColumnLabels.id}」为空，无法导入`,
    { field: 'file', code: 'missing-id' },
  )
}

export const MAX_IMPORT_ROWS = 1_000_000

export function tooManyRowsError(): AppError {
  return new AppError(
    'invalid-args',
    `文件超过 ${MAX_IMPORT_ROWS.toLocaleString('en-US')} 行，请分成多个文件导入`,
    { field: 'file', code: 'too-many-rows' },
  )
}

// --- writing a file: complete or absent ---

/** The temp file beside the target: same folder, so the rename is atomic. */
export function tempPathFor(target: string): string {
  return path.join(
    path.dirname(target),
    `.${path.basename(target)}.${randomBytes(4).toString('hex')}.part`,
  )
}

/**
 * Runs body to write a new temp file beside target, then fsyncs the file and renames it over
 * target. On any failure (a cancel is one: body throws the signal's reason) the temp file is
 * removed, so target is either the complete new file or untouched. body must have closed the
 * file when it resolves or rejects.
 */
export async function writeViaTemp(
  target: string,
  body: (tempPath: string) => Promise<void>,
): Promise<void> {
  const tmp = tempPathFor(target)
  try {
    await body(tmp)
    const handle = await fsp.open(tmp, 'r+')
    try {
      await handle.sync()
    } finally {
      await handle.close()
    }
    await fsp.rename(tmp, target)
  } catch (e) {
    await fsp.rm(tmp, { force: true }).catch(() => {})
    throw e
  }
}

/** writeViaTemp with the temp file open for body (created exclusively, closed afterwards). */
export function writeHandleViaTemp(
  target: string,
  body: (handle: FileHandle) => Promise<void>,
): Promise<void> {
  return writeViaTemp(target, async (tmp) => {
    const handle = await fsp.open(tmp, 'wx')
    try {
      await body(handle)
    } finally {
      await handle.close()
    }
  })
}

/** Lets the event loop run (IPC, the outbox) between batches of a long export or import. */
export function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}

/** A readable Chinese reason for a failed export or import file operation. */
export function fileErrorText(e: unknown): string {
  if (e instanceof AppError) return e.message
  const code = (e as { code?: unknown })?.code
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return '磁盘空间已满'
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return '没有权限写入所选位置（只读或被占用，例如文件正在 Excel 中打开）'
    case 'EBUSY':
      return '文件正被其他程序占用（例如正在 Excel 中打开），请关闭后重试'
    case 'ENOENT':
    case 'ENOTDIR':
      return '所选文件夹不存在或已被移走'
    case 'EISDIR':
      return '所选位置是一个文件夹'
    default: {
      const m = (e as { message?: unknown })?.message
      return typeof m === 'string' && m ? `写入文件时出错：${m}` : '写入文件时出错'
    }
  }
}

// --- values in files ---

/** What the writers need: where, which columns, and the rows in batches. */
export interface ExportWriteOptions {
  file: string
  columns: readonly CallLogColumn[]
  /** 138****1234 */
  maskPhones: boolean
  batches: Iterable<readonly CallLogRow[]> | AsyncIterable<readonly CallLogRow[]>
  /** a cancel: the writer stops between batches and the temp file is removed */
  signal?: AbortSignal
  /** rows written so far, after each batch */
  onProgress?: (written: number) => void
}

/**
 * Excel turns a digit string into a number: 工号 00006 becomes 6, and more than 11 digits show
 * as 1.38E+11. Such text goes into a CSV as ="00006", which Excel shows as the text itself.
 */
export function needsExcelText(s: string): boolean {
  return /^\d+$/.test(s) && ((s.length > 1 && s.startsWith('0')) || s.length > 11)
}

const FORMULA_START = /^'*[=+\-@\t\r]/

/**
 * A cell starting with = + - @ is run as a formula by Excel (CSV injection): such text gets a
 * leading apostrophe, as OWASP advises. Text already starting with apostrophes before one of
 * those gets one more, so reading back (unguardFormula) is exact.
 */
export function guardFormula(s: string): string {
  return FORMULA_START.test(s) ? `'${s}` : s
}

export function unguardFormula(s: string): string {
  return /^'+[=+\-@\t\r]/.test(s) ? s.slice(1) : s
}

/** ="00006" (how needsExcelText text is written) back to 00006 */
export function unwrapExcelText(s: string): string {
  const m = /^="([^"]*)"$/.exec(s)
  return m ? m[1]! : s
}

/** A cell as a reader sees it: CSV gives text, XLSX typed values. */
export type CellValue = string | number | boolean | Date | null | undefined

/** Excel's day number (1900 system) as the wall-clock Date exceljs would give for it. */
function excelSerialToDate(n: number): Date {
  return new Date(Math.round((n - 25_569) * 86_400_000))
}

type Parsed = Partial<CallLogRecord>

/**
 * One cell of a file into its column's value; undefined when the cell is empty. `csv`: the text
 * went through the CSV writer's Excel guards (="00006", a leading apostrophe), which are undone.
 */
export function valueFromCell(
  column: CallLogColumn,
  cell: CellValue,
  csv = false,
): Parsed[CallLogColumn] | undefined {
  if (cell === null || cell === undefined || cell === '') return undefined
  const kind = columnKinds[column]
  if (cell instanceof Date) {
    if (Number.isNaN(cell.getTime())) return undefined
    if (kind === 'time') return fromWallClock(cell)
    if (kind === 'date') return dayFromCell(cell)
    return localDateTimeText(cell)
  }
  if (typeof cell === 'number') {
    switch (kind) {
      case 'time':
        return fromWallClock(excelSerialToDate(cell))
      case 'date':
        return dayFromCell(excelSerialToDate(cell))
      case 'int':
        return Number.isFinite(cell) && cell >= 0 ? Math.round(cell) : undefined
      case 'bool':
        return cell !== 0
      case 'sync':
        return 'imported'
      default:
        return String(cell)
    }
  }
  if (typeof cell === 'boolean') {
    if (kind === 'bool') return cell
    return kind === 'text' ? (cell ? YES : NO) : undefined
  }
  const text = csv ? unwrapExcelText(cell) : cell
  switch (kind) {
    case 'text':
    case 'phone':
      return csv ? unguardFormula(text) : text
    case 'time':
      return parseLocalDateTime(text) ?? undefined
    case 'date':
      return parseDay(text) ?? undefined
    case 'int': {
      const n = Number(text.trim())
      return Number.isFinite(n) && n >= 0 ? Math.round(n) : undefined
    }
    case 'bool':
      return boolFromText(text)
    case 'sync':
      return syncStateFromText(text) ?? 'imported'
  }
}

/**
 * A data row of a file as a call-log row; null for a blank row. rowNumber (1-based, the header
 * is row 1) names the row in errors.
 */
export function rowFromCells(
  at: ReadonlyMap<CallLogColumn, number>,
  cell: (index: number) => CellValue,
  rowNumber: number,
  csv = false,
): ParsedCallLogRow | null {
  const out: Parsed = {}
  let any = false
  for (const [column, index] of at) {
    const v = valueFromCell(column, cell(index), csv)
    if (v === undefined) continue
    any = true
    ;(out as Record<string, unknown>)[column] = v
  }
  if (!any) return null
  const id = typeof out.id === 'string' ? out.id.trim() : ''
  if (!id) throw missingIdError(rowNumber)
  return { ...out, id }
}
