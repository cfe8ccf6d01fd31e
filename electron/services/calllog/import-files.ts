import fsp from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { ImportSummary, PauseImport } from '../../../shared/calllog'
import { AppError } from '../../core/app-error'
import type { CellValue } from './cells'
import type { ParsedCallLogRow } from './columns'
import { decodeCsv, parseCsv, readCallLogCsv } from './csv'
import { fileErrorText, yieldToLoop } from './files'
import {
  isPauseCompanion,
  pauseCompanion,
  pauseFromCells,
  pauseHeaderOf,
  pausesFromCsv,
  type PauseHeader,
} from './pause-file'
import type { PauseRecord } from './pauses'
import type { CallLogStore } from './store'
import { readCallLogXlsx } from './xlsx'

/**
 * Importing the team's files: one file, several, the files of folders, or files dropped on the
 * window (their bytes). Each file is read whole (CSV or XLSX, by its first bytes) and added in
 * batches, each its own transaction; ids already here are counted as duplicates, so a file
 * imported twice, or two files holding the same rows, add each row once.
 */

const IMPORT_BATCH = 2_000
const FORMATS = new Set(['.csv', '.xlsx'])

/** What a file holds: call-log rows, and the pause periods when it carries them (else null). */
export interface FileContents {
  rows: ParsedCallLogRow[]
  pauses: PauseRecord[] | null
}

/** The first line of a CSV's text (enough to tell a pause file from a call log). */
function firstLine(head: Buffer): string[] {
  const end = head.indexOf(0x0a)
  const line = decodeCsv(end === -1 ? head : head.subarray(0, end))
  return parseCsv(line.replace(/\r$/, '')).next().value ?? []
}

/** An XLSX's rows, and its 暂停记录 sheet's periods read in the same pass. */
async function readXlsx(file: string): Promise<FileContents> {
  let pauses: PauseRecord[] | null = null
  let sheet = 0
  let header: PauseHeader | null = null
  const rows = await readCallLogXlsx(file, (cells: CellValue[], rowNumber, at) => {
    if (at !== sheet) {
      // a sheet's first row is its header
      sheet = at
      header = pauseHeaderOf(cells.map((c) => (typeof c === 'string' ? c : '')))
      if (header) pauses ??= []
      return
    }
    const p = header ? pauseFromCells(header, (i) => cells[i], rowNumber, false) : null
    if (p) pauses?.push(p)
  })
  return { rows, pauses }
}

/** A CSV: a call log (with its companion pause file when one lies beside it), or a pause file. */
async function readCsv(file: string, head: Buffer): Promise<FileContents> {
  if (pauseHeaderOf(firstLine(head))) {
    return { rows: [], pauses: pausesFromCsv(parseCsv(decodeCsv(await fsp.readFile(file)))) }
  }
  const rows = await readCallLogCsv(file)
  const companion = pauseCompanion(file)
  const bytes = await fsp.readFile(companion).catch(() => null)
  return { rows, pauses: bytes ? pausesFromCsv(parseCsv(decodeCsv(bytes))) : null }
}

export async function readFileContents(file: string): Promise<FileContents> {
  let head: Buffer
  try {
    const handle = await fsp.open(file, 'r')
    try {
      // the first line of a CSV is its header: 4 KB holds any this app writes
      head = Buffer.alloc(4096)
      const { bytesRead } = await handle.read(head, 0, head.length, 0)
      head = head.subarray(0, bytesRead)
    } finally {
      await handle.close()
    }
  } catch (e) {
    throw new AppError('storage', `无法读取所选文件：${readErrorText(e)}`, {
      field: 'file',
      cause: e,
    })
  }
  // an .xlsx is a zip whatever its name says
  const isZip = head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04
  try {
    return isZip ? await readXlsx(file) : await readCsv(file, head)
  } catch (e) {
    if (e instanceof AppError) throw e
    throw new AppError('storage', `无法读取所选文件：${readErrorText(e)}`, {
      field: 'file',
      cause: e,
    })
  }
}

/** One file into the log; `name` is what the rows record as their source (the file's name). */
export async function importOne(
  store: CallLogStore,
  file: string,
  name = file,
): Promise<{ read: number; added: number; duplicates: number; pauses: PauseImport | null }> {
  const { rows, pauses } = await readFileContents(file)
  const paused = pauses ? { read: pauses.length, ...store.pauses.importPeriods(pauses) } : null
  const importer = store.beginImport({ file: name })
  let added = 0
  let duplicates = 0
  for (let i = 0; i < rows.length; i += IMPORT_BATCH) {
    const r = importer.add(rows.slice(i, i + IMPORT_BATCH))
    added += r.added
    duplicates += r.duplicates
    await yieldToLoop()
  }
  return { read: rows.length, added, duplicates, pauses: paused }
}

/** The call-log files of the chosen paths: files as they are, folders' CSV/XLSX files (nested too). */
export async function expandPaths(paths: readonly string[]): Promise<string[]> {
  const out: string[] = []
  for (const p of paths) {
    const stat = await fsp.stat(p).catch(() => null)
    if (!stat) continue
    if (!stat.isDirectory()) {
      out.push(p)
      continue
    }
    const entries = await fsp.readdir(p, { recursive: true, withFileTypes: true })
    out.push(
      ...entries
        .filter((e) => e.isFile() && FORMATS.has(path.extname(e.name).toLowerCase()))
        // Excel's lock files (~$name.xlsx) are not call logs
        .filter((e) => !e.name.startsWith('~$'))
        .map((e) => path.join(e.parentPath, e.name))
        .sort(),
    )
  }
  return [...new Set(out)]
}

/** Imports each file; a file that cannot be read is reported and the rest go on. */
export async function importMany(
  store: CallLogStore,
  files: readonly { path: string; name: string }[],
): Promise<ImportSummary> {
  const summary: ImportSummary = { files: [], read: 0, added: 0, duplicates: 0 }
  // a call log's companion pause file comes in with it, not a second time on its own
  const paths = new Set(files.map((f) => f.path))
  const own = files.filter(
    (f) =>
      !isPauseCompanion(f.path) ||
      ![...paths].some((p) => p !== f.path && pauseCompanion(p) === f.path),
  )
  for (const f of own) {
    try {
      const r = await importOne(store, f.path, f.name)
      summary.files.push({ file: f.name, ...r, error: null })
      summary.read += r.read
      summary.added += r.added
      summary.duplicates += r.duplicates
      if (r.pauses) {
        const p = (summary.pauses ??= { read: 0, added: 0, duplicates: 0 })
        p.read += r.pauses.read
        p.added += r.pauses.added
        p.duplicates += r.pauses.duplicates
      }
    } catch (e) {
      summary.files.push({
        file: f.name,
        read: 0,
        added: 0,
        duplicates: 0,
        error: fileErrorText(e),
      })
    }
  }
  return summary
}

/** Dropped files: written to a private temp folder, imported, and removed. */
export async function importDropped(
  store: CallLogStore,
  dropped: readonly { name: string; data: string }[],
): Promise<ImportSummary> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'calllog-drop-'))
  try {
    const files: { path: string; name: string }[] = []
    for (const [i, d] of dropped.entries()) {
      const name = path.basename(d.name)
      const file = path.join(dir, `${i}${path.extname(name).toLowerCase() || '.csv'}`)
      await fsp.writeFile(file, Buffer.from(d.data, 'base64'), { mode: 0o600 })
      files.push({ path: file, name })
    }
    return await importMany(store, files)
  } finally {
    await fsp.rm(dir, { recursive: true, force: true })
  }
}

function readErrorText(e: unknown): string {
  switch ((e as { code?: unknown })?.code) {
    case 'ENOENT':
      return '文件不存在或已被移走'
    case 'EACCES':
    case 'EPERM':
      return '没有权限读取该文件'
    case 'EISDIR':
      return '所选的是一个文件夹'
    case 'EBUSY':
      return '文件正被其他程序占用'
    default: {
      const m = (e as { message?: unknown })?.message
      return typeof m === 'string' && m ? m : '未知错误'
    }
  }
}
