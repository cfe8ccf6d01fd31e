import fsp, { type FileHandle } from 'node:fs/promises'
import type { CallLogColumn, CallLogRow } from '../../../shared/calllog'
import { maskPhone } from '../../../shared/settings'
import { AppError } from '../../core/app-error'
import { replaceFileWithHandle } from '../files/atomic-file'
import {
  guardFormula,
  MAX_IMPORT_ROWS,
  needsExcelText,
  rowFromCells,
  tooManyRowsError,
} from './cells'
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
import { Utf8Batch, type ExportWriteOptions } from './files'
import { LocalTimeFormatter } from './local-time'
import { fieldOf, isRawBatch, type RawRow } from './rows'

/**
 * Call-log CSV: UTF-8 with a BOM (without it Excel reads the Chinese as the ANSI code page),
 * RFC 4180 quoting, CRLF line ends, the Chinese column labels as header.
 */

const BOM = '\uFEFF'

/** RFC 4180: a field with a quote, comma, CR or LF is quoted, its quotes doubled. */
export function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

function textCell(s: string): string {
  if (s === '') return s
  // the guards only look at the first character; most text passes with one comparison
  const c = s.charCodeAt(0)
  if (c === 61 || c === 43 || c === 45 || c === 64 || c === 9 || c === 13 || c === 39) {
    return csvField(guardFormula(s))
  }
  if (c >= 48 && c <= 57 && needsExcelText(s)) return csvField(`="${s}"`)
  return csvField(s)
}

type Row = CallLogRow | RawRow
type CellWriter = (row: Row) => string

function cellWriter(
  column: CallLogColumn,
  maskPhones: boolean,
  times: LocalTimeFormatter,
  raw: boolean,
): CellWriter {
  const get = fieldOf(column, raw)
  switch (columnKinds[column]) {
    case 'text':
      return (row) => textCell((get(row) as string | null) ?? '')
    case 'phone': {
      const phone = fieldOf('phone', raw)
      return maskPhones ? (row) => textCell(maskPhone(phone(row))) : (row) => textCell(phone(row))
    }
    case 'time':
      return (row) => times.text(get(row) as string | null)
    case 'date':
      return (row) => csvField((get(row) as string | null) ?? '')
    case 'int':
      return (row) => {
        const v = get(row) as number | null
        return v === null ? '' : String(v)
      }
    case 'bool':
      return (row) => (get(row) ? YES : NO)
    case 'sync': {
      const sync = fieldOf('syncState', raw)
      return (row) => syncStateLabels[sync(row)]
    }
    case 'intent': {
      const intent = fieldOf('intent', raw)
      return (row) => intent(row) ?? ''
    }
  }
}

/** The CSV lines of rows (no header), CRLF after each, appended to out. */
export function appendCsvLines(
  rows: readonly Row[],
  writers: readonly CellWriter[],
  out: Utf8Batch,
): void {
  for (const row of rows) {
    let line = ''
    for (let i = 0; i < writers.length; i++) {
      if (i > 0) line += ','
      line += writers[i]!(row)
    }
    out.append(`${line}\r\n`)
  }
}

/** every byte, however many writes the file takes */
export async function writeAll(handle: FileHandle, bytes: Buffer): Promise<void> {
  for (let at = 0; at < bytes.length;) {
    at += (await handle.write(bytes, at, bytes.length - at)).bytesWritten
  }
}

/** Writes the rows as CSV to opts.file (complete or absent); returns how many were written. */
export async function writeCallLogCsv(opts: ExportWriteOptions): Promise<number> {
  const times = new LocalTimeFormatter()
  const zone = zoneLabel()
  const writers = (raw: boolean): CellWriter[] =>
    opts.columns.map((c) => cellWriter(c, opts.maskPhones, times, raw))
  const byForm = { raw: writers(true), rows: writers(false) }
  const utf8 = new Utf8Batch()
  let written = 0
  await replaceFileWithHandle(opts.file, async (handle) => {
    opts.signal?.throwIfAborted()
    await handle.write(
      `${BOM}${opts.columns.map((c) => csvField(exportHeader(c, zone))).join(',')}\r\n`,
    )
    for await (const batch of opts.batches) {
      opts.signal?.throwIfAborted()
      if (batch.length === 0) continue
      utf8.reset()
      appendCsvLines(batch, isRawBatch(batch) ? byForm.raw : byForm.rows, utf8)
      // written before the next batch goes into the same buffer
      await writeAll(handle, utf8.bytes())
      written += batch.length
      opts.onProgress?.(written)
    }
    opts.signal?.throwIfAborted()
  })
  return written
}

// --- reading ---

/**
 * The text of a CSV file: UTF-8 (with or without a BOM), or GB18030 when it is not valid UTF-8
 * (Excel on a Chinese Windows saves CSV in the ANSI code page).
 */
export function decodeCsv(bytes: Uint8Array): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return new TextDecoder('utf-8').decode(bytes.subarray(3))
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return new TextDecoder('gb18030').decode(bytes)
  }
}

/**
 * RFC 4180 records: quoted fields may hold commas, doubled quotes and line breaks; records end
 * with CRLF, LF or CR. Yields one string array per record.
 */
export function* parseCsv(text: string): Generator<string[]> {
  const n = text.length
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0
  let field = ''
  let record: string[] = []
  let quoted = false
  let started = false
  while (i < n) {
    const ch = text.charCodeAt(i)
    if (quoted) {
      if (ch === 34 /* " */) {
        if (text.charCodeAt(i + 1) === 34) {
          field += '"'
          i += 2
          continue
        }
        quoted = false
        i++
        continue
      }
      // copy up to the next quote in one go
      const next = text.indexOf('"', i)
      const end = next === -1 ? n : next
      field += text.slice(i, end)
      i = end
      continue
    }
    if (ch === 44 /* , */) {
      record.push(field)
      field = ''
      started = true
      i++
    } else if (ch === 13 || ch === 10) {
      record.push(field)
      yield record
      record = []
      field = ''
      started = false
      i += ch === 13 && text.charCodeAt(i + 1) === 10 ? 2 : 1
    } else if (ch === 34 && field === '') {
      quoted = true
      started = true
      i++
    } else {
      // an unquoted run up to the next separator
      let j = i + 1
      while (j < n) {
        const c = text.charCodeAt(j)
        if (c === 44 || c === 13 || c === 10) break
        j++
      }
      field += text.slice(i, j)
      started = true
      i = j
    }
  }
  if (quoted) {
    throw new AppError('invalid-args', 'CSV 文件不完整：最后一个带引号的内容没有结束', {
      field: 'file',
      code: 'bad-csv',
    })
  }
  if (started || field !== '' || record.length > 0) {
    record.push(field)
    yield record
  }
}

/** Reads a call-log CSV (as this app writes it) into rows; refuses a file without the id column. */
export async function readCallLogCsv(file: string): Promise<ParsedCallLogRow[]> {
  const text = decodeCsv(await fsp.readFile(file))
  const records = parseCsv(text)
  const header = records.next()
  if (header.done) {
    throw new AppError('invalid-args', '文件是空的，没有可导入的通话记录', {
      field: 'file',
      code: 'empty',
    })
  }
  const at = headerColumns(header.value)
  const rows: ParsedCallLogRow[] = []
  let rowNumber = 1
  for (const fields of records) {
    rowNumber++
    const row = rowFromCells(at, (i) => fields[i], rowNumber, true)
    if (!row) continue
    if (rows.length >= MAX_IMPORT_ROWS) throw tooManyRowsError()
    rows.push(row)
  }
  return rows
}
