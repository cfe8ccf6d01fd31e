import { callLogColumnLabels, type CallLogColumn } from '../../../shared/calllog'
import { AppError } from '../../core/app-error'
import {
  boolFromText,
  columnKinds,
  columnZone,
  NO,
  syncStateFromText,
  YES,
  type CallLogRecord,
  type ParsedCallLogRow,
} from './columns'
import {
  dayFromCell,
  fromWallClock,
  localDateTimeText,
  parseDay,
  parseLocalDateTime,
} from './local-time'
import { intentOrNull } from './types'

/**
 * A file's cells and a call-log row's values: the guards the CSV writer puts on text for Excel
 * (and takes off again), and a data row of a CSV or XLSX file read back into a row.
 */

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
  /** minutes east of UTC the header states for a time column; null: this machine's zone */
  zone: number | null = null,
): Parsed[CallLogColumn] | undefined {
  if (cell === null || cell === undefined || cell === '') return undefined
  const kind = columnKinds[column]
  if (cell instanceof Date) {
    if (Number.isNaN(cell.getTime())) return undefined
    if (kind === 'time') return fromWallClock(cell, zone)
    if (kind === 'date') return dayFromCell(cell)
    return localDateTimeText(cell)
  }
  if (typeof cell === 'number') {
    switch (kind) {
      case 'time':
        return fromWallClock(excelSerialToDate(cell), zone)
      case 'date':
        return dayFromCell(excelSerialToDate(cell))
      case 'int':
        return Number.isFinite(cell) && cell >= 0 ? Math.round(cell) : undefined
      case 'bool':
        return cell !== 0
      case 'sync':
        return 'imported'
      case 'intent':
        return undefined
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
      return parseLocalDateTime(text, zone) ?? undefined
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
    case 'intent':
      return intentOrNull(text) ?? undefined
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
    const v = valueFromCell(column, cell(index), csv, columnZone(at, column))
    if (v === undefined) continue
    any = true
    ;(out as Record<string, unknown>)[column] = v
  }
  if (!any) return null
  const id = typeof out.id === 'string' ? out.id.trim() : ''
  if (!id) throw missingIdError(rowNumber)
  return { ...out, id }
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
