import type { EventEmitter } from 'node:events'
import fs from 'node:fs'
import type { Writable } from 'node:stream'
import type ExcelJSModule from 'exceljs'
import { callLogColumnLabels, type CallLogColumn, type CallLogRow } from '../../../shared/calllog'
import { maskPhone } from '../../../shared/settings'
import { AppError } from '../../core/app-error'
import { replaceFile } from '../files/atomic-file'
import { MAX_IMPORT_ROWS, rowFromCells, tooManyRowsError, type CellValue } from './cells'
import {
  columnKinds,
  exportHeader,
  headerColumns,
  NO,
  syncStateLabels,
  YES,
  zoneLabel,
  type ParsedCallLogRow,
} from './columns'
import { Utf8Batch, yieldToLoop, type ExportWriteOptions } from './files'
import { dayToCell, WallClock } from './local-time'
import { fieldOf, isRawBatch, type RawRow } from './rows'

/**
 * Call-log XLSX through exceljs's streaming writer: one sheet, a bold frozen header of the
 * Chinese labels, typed cells (times and days as date cells in local wall-clock time, the
 * duration as a number, the rest as inline text).
 *
 * exceljs writes the package (workbook, styles, the header row, the zip). The data rows are
 * serialised here, in the SpreadsheetML exceljs writes (but inline strings rather than its
 * formula-string cells), straight into the worksheet's stream: its Row/Cell objects cost about
 * 20 allocations and a style lookup per cell, which made 100,000 rows take several times longer
 * and pile up garbage. The tests read the files back with exceljs.
 */

type ExcelJS = typeof ExcelJSModule
let excel: Promise<ExcelJS> | null = null
/** exceljs is large: loaded on the first XLSX export or import, not at app start */
export function loadExcel(): Promise<ExcelJS> {
  excel ??= import('exceljs').then((m) => (m.default ?? m) as ExcelJS)
  return excel
}

export const SHEET_NAME = '通话记录'
const TIME_FORMAT = 'yyyy-mm-dd hh:mm:ss'
const DAY_FORMAT = 'yyyy-mm-dd'

const widths: Partial<Record<CallLogColumn, number>> = {
  id: 38,
  callTime: 26,
  dispensedAt: 26,
  dialledAt: 26,
  endedAt: 26,
  notes: 40,
  nextFollowContent: 30,
  nextFollowDate: 12,
  phone: 14,
}

/** A1-style column letters: 1 → A, 27 → AA */
function columnLetter(n: number): string {
  let s = ''
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) {
    s = String.fromCharCode(65 + ((x - 1) % 26)) + s
  }
  return s
}

// the control characters are the point: XML 1.0 cannot hold them, so they are dropped
// eslint-disable-next-line no-control-regex
const XML_SPECIAL = /[&<>\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFE\uFFFF]/
const XML_SPECIAL_ALL = new RegExp(XML_SPECIAL.source, 'g')

/** Text for an XML text node: & < > escaped, characters XML cannot hold dropped. */
function xmlText(s: string): string {
  if (!XML_SPECIAL.test(s)) return s
  return s.replace(XML_SPECIAL_ALL, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '',
  )
}

/** Excel's day number (1900 system) of a wall-clock time, as exceljs computes it. */
const excelSerial = (ms: number): number => 25_569 + ms / 86_400_000

type CellXml = (row: CallLogRow | RawRow, ref: string) => string

/**
 * Columns whose values repeat across the rows (agents, projects, results, yes/no): written once
 * in the shared-string table and referred to by index. That makes the sheet's XML about a fifth
 * smaller, and the deflate, most of an export's time, works through that much less. Free text
 * (notes, names of the people called) stays inline: the table is held in memory until the end.
 */
const SHARED_COLUMNS = new Set<CallLogColumn>([
  'userNum',
  'userName',
  'machineNo',
  'projectName',
  'packageName',
  'callbackItem',
  'intent',
  'savedToCustomer',
  'dnc',
  'syncState',
])
/** distinct shared values at most (a file of many imported projects): the rest go inline */
const MAX_SHARED = 10_000

/** exceljs's shared-string table, written as xl/sharedStrings.xml when it holds any */
interface SharedStrings {
  add(value: string): number
}

/** The index of a value in the shared-string table, or null when it goes inline. */
type SharedIndex = (value: string) => number | null

/** Text the table's XML would not carry unchanged: escapes, line breaks, edge spaces. */
const NOT_SHAREABLE = new RegExp(`${XML_SPECIAL.source}|[\\r\\n]|^\\s|\\s$`)

function sharedIndex(table: SharedStrings): SharedIndex {
  const known = new Map<string, number>()
  return (value) => {
    const at = known.get(value)
    if (at !== undefined) return at
    if (known.size >= MAX_SHARED || NOT_SHAREABLE.test(value)) return null
    const i = table.add(value)
    known.set(value, i)
    return i
  }
}

function textXml(ref: string, value: string, shared?: SharedIndex): string {
  if (value === '') return ''
  const i = shared?.(value)
  if (i !== undefined && i !== null) return `<c r="${ref}" t="s"><v>${i}</v></c>`
  // a line break inside an Excel cell is LF (XML would turn a CR into LF when read anyway)
  const text = value.includes('\r') ? value.replace(/\r\n?/g, '\n') : value
  const first = text.charCodeAt(0)
  const last = text.charCodeAt(text.length - 1)
  const preserve = first <= 32 || last <= 32 || text.includes('\n') ? ' xml:space="preserve"' : ''
  return `<c r="${ref}" t="inlineStr"><is><t${preserve}>${xmlText(text)}</t></is></c>`
}

function cellXml(
  column: CallLogColumn,
  maskPhones: boolean,
  clock: WallClock,
  styleIds: { time: number; day: number },
  raw: boolean,
  shared: SharedIndex,
): CellXml {
  const get = fieldOf(column, raw)
  const share = SHARED_COLUMNS.has(column) ? shared : undefined
  switch (columnKinds[column]) {
    case 'phone': {
      const phone = fieldOf('phone', raw)
      return (row, ref) => textXml(ref, maskPhones ? maskPhone(phone(row)) : phone(row))
    }
    case 'time':
      return (row, ref) => {
        const v = get(row) as string | null
        return v ? `<c r="${ref}" s="${styleIds.time}"><v>${excelSerial(clock.ms(v))}</v></c>` : ''
      }
    case 'date':
      return (row, ref) => {
        const v = get(row) as string | null
        return v
          ? `<c r="${ref}" s="${styleIds.day}"><v>${excelSerial(dayToCell(v).getTime())}</v></c>`
          : ''
      }
    case 'int':
      return (row, ref) => {
        const v = get(row) as number | null
        return v === null ? '' : `<c r="${ref}"><v>${v}</v></c>`
      }
    case 'bool':
      return (row, ref) => textXml(ref, get(row) ? YES : NO, share)
    case 'sync': {
      const sync = fieldOf('syncState', raw)
      return (row, ref) => textXml(ref, syncStateLabels[sync(row)], share)
    }
    case 'intent': {
      const intent = fieldOf('intent', raw)
      return (row, ref) => textXml(ref, intent(row) ?? '', share)
    }
    case 'text':
      return (row, ref) => textXml(ref, (get(row) as string | null) ?? '', share)
  }
}

/** Writes the rows as XLSX to opts.file (complete or absent); returns how many were written. */
export async function writeCallLogXlsx(opts: ExportWriteOptions): Promise<number> {
  const ExcelJS = await loadExcel()
  const clock = new WallClock()
  const letters = opts.columns.map((_, i) => columnLetter(i + 1))
  let written = 0
  await replaceFile(opts.file, async (tmp) => {
    opts.signal?.throwIfAborted()
    const out = fs.createWriteStream(tmp, { flags: 'wx', highWaterMark: 1 << 20 })
    const closed = new Promise<void>((resolve) => out.once('close', resolve))
    let failure: unknown = null
    out.on('error', (e) => (failure ??= e))
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
      stream: out,
      useStyles: true,
      // inline strings: a shared-string table would hold every distinct note in memory
      useSharedStrings: false,
      // deflate is most of the export's time: the fastest level costs a quarter more bytes and
      // saves about a third of the time over the default's
      zip: { zlib: { level: 1 } },
    } as ConstructorParameters<typeof ExcelJS.stream.xlsx.WorkbookWriter>[0])
    const zip = (wb as unknown as { zip: EventEmitter & { abort(): void } }).zip
    zip.on('error', (e: unknown) => (failure ??= e))
    const check = (): void => {
      if (failure) throw failure
      opts.signal?.throwIfAborted()
    }
    try {
      const ws = wb.addWorksheet(SHEET_NAME, { views: [{ state: 'frozen', ySplit: 1 }] })
      const zone = zoneLabel()
      ws.columns = opts.columns.map((c) => ({
        header: exportHeader(c, zone),
        width: widths[c] ?? Math.max(10, callLogColumnLabels[c].length * 2 + 2),
      }))
      ws.getRow(1).font = { bold: true }
      // writes the columns, opens the sheet data and writes the header: rows follow from 2
      ws.getRow(1).commit()
      const styles = (wb as unknown as { styles: StylesRegistry }).styles
      const styleIds = {
        time: styles.addStyleModel({ numFmt: TIME_FORMAT }, ExcelJS.ValueType.Date),
        day: styles.addStyleModel({ numFmt: DAY_FORMAT }, ExcelJS.ValueType.Date),
      }
      const shared = sharedIndex((wb as unknown as { sharedStrings: SharedStrings }).sharedStrings)
      const writers = (raw: boolean): CellXml[] =>
        opts.columns.map((c) => cellXml(c, opts.maskPhones, clock, styleIds, raw, shared))
      const byForm = { raw: writers(true), rows: writers(false) }
      // exceljs copies what is written to a sheet's stream into its own buffers (batch mode)
      // before write returns: the batch's bytes can go in one buffer used again for each
      const sheet = (ws as unknown as { stream: { write(bytes: Buffer): unknown } }).stream
      const utf8 = new Utf8Batch()
      let rowNumber = 1
      for await (const batch of opts.batches) {
        check()
        const cells = isRawBatch(batch) ? byForm.raw : byForm.rows
        utf8.reset()
        for (const r of batch) {
          rowNumber++
          let xml = `<row r="${rowNumber}">`
          for (let i = 0; i < cells.length; i++) xml += cells[i]!(r, letters[i]! + rowNumber)
          utf8.append(`${xml}</row>`)
        }
        if (batch.length > 0) sheet.write(utf8.bytes())
        written += batch.length
        opts.onProgress?.(written)
        // lets the zip deflate and the file catch up before the next batch
        await drained(ws, out)
        check()
      }
      ws.commit()
      opts.appendSheets?.(wb)
      check()
      // resolves on the file stream's finish; its close follows
      await wb.commit()
      check()
    } catch (e) {
      zip.abort()
      out.destroy()
      throw e
    } finally {
      // the temp file is closed before it is synced, renamed or removed
      if (!out.closed) await closed
    }
  })
  return written
}

/** The part of exceljs's styles table the writer uses: a style's id, added when new. */
interface StylesRegistry {
  addStyleModel(model: { numFmt: string }, cellType: number): number
}

/** Above this much XML waiting for the deflate, the writer waits for it to catch up. */
const MAX_BACKLOG = 512 * 1024

interface StreamState {
  length?: number
  needDrain?: boolean
}

/**
 * Lets the zip deflate and the file catch up before the next batch. exceljs writes the sheet's
 * XML into the zip without waiting (its stream ignores back-pressure), so a fast producer would
 * pile the whole sheet up in memory: the writer waits when the zip entry's input backs up.
 */
async function drained(ws: unknown, out: Writable): Promise<void> {
  await yieldToLoop()
  const pipes = (ws as { stream?: { pipes?: unknown } }).stream?.pipes
  for (const pipe of Array.isArray(pipes) ? pipes : []) {
    const p = pipe as { _writableState?: StreamState } & Partial<EventEmitter>
    const state = p._writableState
    if (!state || typeof p.once !== 'function' || !state.needDrain) continue
    if ((state.length ?? 0) > MAX_BACKLOG) await waitFor(p as EventEmitter, 'drain')
  }
  if (out.writableNeedDrain && !out.destroyed) await waitFor(out, 'drain')
}

function waitFor(emitter: EventEmitter, event: string): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = (): void => {
      emitter.off(event, done)
      emitter.off('error', done)
      emitter.off('close', done)
      resolve()
    }
    emitter.on(event, done)
    emitter.on('error', done)
    emitter.on('close', done)
  })
}

// --- reading ---

/** A cell's value as the row parser wants it (exceljs has rich text, links and formulas too). */
export function plainCellValue(v: unknown): CellValue {
  if (v === null || v === undefined) return null
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v
  if (v instanceof Date) return v
  if (typeof v === 'object') {
    const o = v as {
      richText?: { text?: string }[]
      text?: unknown
      result?: unknown
      error?: unknown
    }
    if (Array.isArray(o.richText)) return o.richText.map((t) => t.text ?? '').join('')
    if ('result' in o) return plainCellValue(o.result)
    if (typeof o.text === 'string') return o.text
    if (o.error !== undefined) return null
  }
  return String(v)
}

/** UTF-8 text from chunks of bytes, a character split between two chunks kept whole. */
async function* decodeUtf8(chunks: AsyncIterable<unknown>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8')
  for await (const chunk of chunks) {
    yield typeof chunk === 'string' ? chunk : decoder.decode(chunk as Uint8Array, { stream: true })
  }
  const rest = decoder.decode()
  if (rest) yield rest
}

/**
 * exceljs 4.4's streaming reader decodes every chunk of a zip entry on its own, so a Chinese
 * character that straddles two chunks comes out as two U+FFFD (exceljs issues #2063, #2084,
 * not fixed upstream). Its entry parsers are given decoded text instead: the entry streams get
 * an encoding (Node's decoder keeps split characters), the worksheet's chunks go through
 * decodeUtf8. Methods this exceljs does not have are left alone.
 */
function decodeAcrossChunks(reader: object): void {
  const r = reader as Record<string, unknown>
  for (const name of ['_parseRels', '_parseWorkbook', '_parseSharedStrings', '_parseStyles']) {
    const original = r[name]
    if (typeof original !== 'function') continue
    r[name] = function (this: unknown, entry: unknown, ...rest: unknown[]): unknown {
      ;(entry as { setEncoding?: (encoding: string) => void } | null)?.setEncoding?.('utf8')
      return (original as (...a: unknown[]) => unknown).call(this, entry, ...rest)
    }
  }
  const parseWorksheet = r._parseWorksheet
  if (typeof parseWorksheet === 'function') {
    r._parseWorksheet = function (
      this: unknown,
      chunks: AsyncIterable<unknown>,
      ...rest: unknown[]
    ) {
      return (parseWorksheet as (...a: unknown[]) => unknown).call(
        this,
        decodeUtf8(chunks),
        ...rest,
      )
    }
  }
}

/**
 * Reads a call-log XLSX (its first sheet, as this app writes it) into rows, streaming, so a
 * large file is not held as a whole workbook. The other sheets' rows go to otherRow (the pause
 * periods' sheet, pause-file.ts), in the same pass.
 */
export async function readCallLogXlsx(
  file: string,
  otherRow?: (cells: CellValue[], rowNumber: number, sheet: number) => void,
): Promise<ParsedCallLogRow[]> {
  const ExcelJS = await loadExcel()
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    // the styles tell a date cell from a number
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'emit',
  })
  decodeAcrossChunks(reader)
  const rows: ParsedCallLogRow[] = []
  let sheets = 0
  try {
    for await (const sheet of reader) {
      sheets++
      let at: Map<CallLogColumn, number> | null = null
      for await (const row of sheet as AsyncIterable<ExcelJSModule.Row>) {
        // the call log is the first sheet: the rest are drained so the file is read to its end
        if (sheets > 1) {
          if (otherRow) {
            const cells: CellValue[] = []
            row.eachCell({ includeEmpty: true }, (cell, col) => {
              cells[col - 1] = plainCellValue(cell.value)
            })
            otherRow(
              Array.from(cells, (c) => c ?? null),
              row.number,
              sheets,
            )
          }
          continue
        }
        if (!at) {
          const header: string[] = []
          row.eachCell({ includeEmpty: true }, (cell, col) => {
            header[col - 1] = String(plainCellValue(cell.value) ?? '')
          })
          at = headerColumns(Array.from(header, (h) => h ?? ''))
          continue
        }
        const parsed = rowFromCells(at, (i) => plainCellValue(row.getCell(i + 1).value), row.number)
        if (!parsed) continue
        if (rows.length >= MAX_IMPORT_ROWS) throw tooManyRowsError()
        rows.push(parsed)
      }
      if (sheets === 1 && !at) {
        throw new AppError('invalid-args', '工作表是空的，没有可导入的通话记录', {
          field: 'file',
          code: 'empty',
        })
      }
    }
  } catch (e) {
    if (e instanceof AppError) throw e
    throw new AppError('invalid-args', 'Excel 文件无法读取：文件已损坏，或不是 .xlsx 格式', {
      field: 'file',
      code: 'bad-xlsx',
      cause: e,
    })
  }
  if (sheets === 0) {
    throw new AppError('invalid-args', 'Excel 文件中没有工作表', { field: 'file', code: 'empty' })
  }
  return rows
}
