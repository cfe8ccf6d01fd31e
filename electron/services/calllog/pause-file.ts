import path from 'node:path'
import type ExcelJSModule from 'exceljs'
import { AppError } from '../../core/app-error'
import { writeFileAtomic } from '../files/atomic-file'
import { guardFormula, unguardFormula, unwrapExcelText, type CellValue } from './cells'
import { zoneLabel, zoneOfHeader } from './columns'
import { csvField } from './csv'
import { fromWallClock, LocalTimeFormatter, parseLocalDateTime, WallClock } from './local-time'
import type { PauseRecord } from './pauses'

/**
 * The agents' pause periods as an export carries them beside the calls, so a supervisor's
 * imported team shows its pause time: a second sheet 暂停记录 in an XLSX; next to a CSV, a
 * companion file `<name>.暂停记录.csv` (a CSV has one table; Excel opens the two side by side).
 * Times are local with the zone in the header, as in the call log's columns.
 */

export const PAUSE_SHEET = '暂停记录'

const labels = {
  id: '记录编号',
  userNum: '工号',
  userName: '姓名',
  machineNo: '机器码',
  reason: '暂停原因',
  startedAt: '开始时间',
  endedAt: '结束时间',
  seconds: '时长(秒)',
} as const
type PauseColumn = keyof typeof labels
const order = Object.keys(labels) as PauseColumn[]

/** The header row: the times state their zone (`开始时间 (UTC+08:00)`). */
export function pauseHeader(zone: string = zoneLabel()): string[] {
  return order.map((c) =>
    c === 'startedAt' || c === 'endedAt' ? `${labels[c]} (${zone})` : labels[c],
  )
}

/** The companion file of a call-log CSV: `通话记录-2026-12-02.csv` → `通话记录-2026-12-02.暂停记录.csv`. */
export function pauseCompanion(csvFile: string): string {
  const ext = path.extname(csvFile)
  return `${csvFile.slice(0, csvFile.length - ext.length)}.${PAUSE_SHEET}${ext || '.csv'}`
}

export function isPauseCompanion(file: string): boolean {
  return path.basename(file, path.extname(file)).endsWith(`.${PAUSE_SHEET}`)
}

const seconds = (p: PauseRecord): number =>
  Math.max(0, Math.round((Date.parse(p.endedAt) - Date.parse(p.startedAt)) / 1000))

/** Text a CSV cell can hold and Excel will not run (the same guard as the call log's). */
const textCell = (s: string): string => csvField(guardFormula(s))

/** Writes the periods as a CSV (BOM, CRLF, as the call log's), complete or not at all. */
export async function writePauseCsv(file: string, pauses: readonly PauseRecord[]): Promise<void> {
  const times = new LocalTimeFormatter()
  let out = `\uFEFF${pauseHeader().map(csvField).join(',')}\r\n`
  for (const p of pauses) {
    out += `${[
      textCell(p.id),
      textCell(p.userNum),
      textCell(p.userName),
      textCell(p.machineNo),
      textCell(p.reason),
      times.text(p.startedAt),
      times.text(p.endedAt),
      String(seconds(p)),
    ].join(',')}\r\n`
  }
  await writeFileAtomic(file, out)
}

/** Adds the 暂停记录 sheet to an XLSX being written (after the call log's sheet). */
export function addPauseSheet(
  wb: ExcelJSModule.stream.xlsx.WorkbookWriter,
  pauses: readonly PauseRecord[],
): void {
  const ws = wb.addWorksheet(PAUSE_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] })
  const time = { numFmt: 'yyyy-mm-dd hh:mm:ss' }
  ws.columns = pauseHeader().map((header, i) => ({
    header,
    width: i === 0 ? 38 : i >= 5 && i <= 6 ? 26 : 12,
    ...(i === 5 || i === 6 ? { style: time } : {}),
  }))
  ws.getRow(1).font = { bold: true }
  ws.getRow(1).commit()
  const clock = new WallClock()
  for (const p of pauses) {
    ws.addRow([
      p.id,
      p.userNum,
      p.userName,
      p.machineNo,
      p.reason,
      clock.date(p.startedAt),
      clock.date(p.endedAt),
      seconds(p),
    ]).commit()
  }
  ws.commit()
}

// --- reading ---

/** Where each column is in a file's header, and the zone its times are in. */
export interface PauseHeader {
  at: Map<PauseColumn, number>
  zone: number | null
}

/** The header of a pause file, or null when the row is not one (a call log's, say). */
export function pauseHeaderOf(cells: readonly string[]): PauseHeader | null {
  const at = new Map<PauseColumn, number>()
  let zone: number | null = null
  cells.forEach((cell, i) => {
    const text = cell.replace(/^\uFEFF/, '').trim()
    const bare = text.replace(/\s*[(（].*[)）]$/, '')
    const column = order.find((c) => labels[c] === bare)
    if (!column || at.has(column)) return
    at.set(column, i)
    if (column === 'startedAt' || column === 'endedAt') zone ??= zoneOfHeader(text)
  })
  return at.has('reason') && at.has('startedAt') ? { at, zone } : null
}

function timeOf(cell: CellValue, zone: number | null): string | null {
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? null : fromWallClock(cell, zone)
  if (typeof cell === 'string') return parseLocalDateTime(unwrapExcelText(cell), zone)
  return null
}

function textOf(cell: CellValue, csv: boolean): string {
  if (cell === null || cell === undefined) return ''
  const s = cell instanceof Date ? cell.toISOString() : String(cell)
  return csv ? unguardFormula(unwrapExcelText(s)).trim() : s.trim()
}

/**
 * A data row of a pause file as a period; null for a blank row. A row without an id or a start
 * is refused, naming the row (1-based, the header is row 1); without an end, it lasted nothing.
 */
export function pauseFromCells(
  header: PauseHeader,
  cell: (index: number) => CellValue,
  rowNumber: number,
  csv: boolean,
): PauseRecord | null {
  const get = (c: PauseColumn): CellValue => {
    const i = header.at.get(c)
    return i === undefined ? null : cell(i)
  }
  const id = textOf(get('id'), csv)
  const reason = textOf(get('reason'), csv)
  const startedAt = timeOf(get('startedAt'), header.zone)
  if (!id && !reason && !startedAt) return null
  if (!id || !startedAt) {
    throw new AppError(
      'invalid-args',
      `暂停记录第 ${rowNumber} 行缺少「${id ? labels.startedAt : labels.id}」，无法导入`,
      { field: 'file', code: 'bad-pause-row' },
    )
  }
  const ended = timeOf(get('endedAt'), header.zone)
  return {
    id,
    userNum: textOf(get('userNum'), csv),
    userName: textOf(get('userName'), csv),
    machineNo: textOf(get('machineNo'), csv),
    reason,
    startedAt,
    endedAt: ended !== null && ended >= startedAt ? ended : startedAt,
  }
}

/** The periods of a pause CSV's records (the header first). */
export function pausesFromCsv(records: Iterable<string[]>): PauseRecord[] {
  const out: PauseRecord[] = []
  let header: PauseHeader | null = null
  let rowNumber = 0
  for (const fields of records) {
    rowNumber++
    if (!header) {
      header = pauseHeaderOf(fields)
      if (!header) {
        throw new AppError('invalid-args', '文件第一行不是暂停记录的列名，无法导入', {
          field: 'file',
          code: 'no-header',
        })
      }
      continue
    }
    const p = pauseFromCells(header, (i) => fields[i], rowNumber, true)
    if (p) out.push(p)
  }
  return out
}
