import type ExcelJSModule from 'exceljs'
import type { CallLogColumn } from '../../../shared/calllog'
import { AppError } from '../../core/app-error'
import type { RowBatch } from './rows'

/**
 * What an export or import does around the file format: the writers' options, letting the
 * event loop run between batches, and the reason shown when the file cannot be written. The
 * write itself (temp file, then rename) is files/atomic-file's replaceFile.
 */

/** What the writers need: where, which columns, and the rows in batches. */
export interface ExportWriteOptions {
  file: string
  columns: readonly CallLogColumn[]
  /** 138****1234 */
  maskPhones: boolean
  /** row objects, or the arrays the store reads (rows.ts: cheaper over 100,000 rows) */
  batches: Iterable<RowBatch> | AsyncIterable<RowBatch>
  /** a cancel: the writer stops between batches and the temp file is removed */
  signal?: AbortSignal
  /** rows written so far, after each batch */
  onProgress?: (written: number) => void
  /** XLSX: sheets after the call log's (the pause periods, pause-file.ts) */
  appendSheets?: (wb: ExcelJSModule.stream.xlsx.WorkbookWriter) => void
}

/**
 * Rows per batch of an export. An XLSX batch's bytes stay in the zip until deflated: 150 rows
 * (about 120 KB of XML) halved the export's memory growth against 500 (36–40 MB against
 * 73–83 MB over 100,000 rows, `npm run bench`) and were no slower.
 */
export const EXPORT_BATCH_ROWS = { csv: 2_000, xlsx: 150 } as const

/**
 * A batch's UTF-8 bytes, built line by line in one buffer used again for every batch. Measured
 * over 100,000 rows of Chinese text: a batch's text joined into one string and then encoded
 * spent most of its time flattening that string (254–425 ms); each line encoded as it is made
 * takes 86–95 ms, and fresh memory per batch (Buffer.from) cost more than the encode itself.
 */
export class Utf8Batch {
  private buffer = Buffer.allocUnsafeSlow(1 << 22)
  private length = 0

  /** starts the next batch: the bytes handed out before are overwritten */
  reset(): void {
    this.length = 0
  }

  append(text: string): void {
    // a UTF-16 code unit takes at most 3 bytes of UTF-8 (a surrogate pair 4 for 2 units)
    const need = this.length + text.length * 3
    if (need > this.buffer.length) {
      const bigger = Buffer.allocUnsafeSlow(Math.max(need, this.buffer.length * 2))
      this.buffer.copy(bigger, 0, 0, this.length)
      this.buffer = bigger
    }
    this.length += this.buffer.write(text, this.length, 'utf8')
  }

  /** the batch's bytes so far, valid until the next reset */
  bytes(): Buffer {
    return this.buffer.subarray(0, this.length)
  }
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
