/**
 * One export in a process that does nothing else, for its own memory figure: the parent seeds
 * the database and runs this with the file and format; it prints one JSON line with the RSS just
 * before the export, the peak during it, and the time.
 *
 * Format `floor`: the CSV export's floor on this machine. The same batches read the same way and
 * written the same way (one reused buffer, temp file, fsync, rename), each row's cells joined
 * with commas as node:sqlite returns them: no formatting, quoting, masking or local times. What
 * the real CSV export takes beyond it is the formatting's cost.
 */
import v8 from 'node:v8'
import vm from 'node:vm'
import { callLogColumns } from '../shared/calllog'
import { writeAll, writeCallLogCsv } from '../electron/services/calllog/csv'
import {
  EXPORT_BATCH_ROWS,
  Utf8Batch,
  type ExportWriteOptions,
} from '../electron/services/calllog/files'
import type { RawRow } from '../electron/services/calllog/rows'
import { CallLogStore } from '../electron/services/calllog/store'
import { loadExcel, writeCallLogXlsx } from '../electron/services/calllog/xlsx'
import { openDatabase } from '../electron/services/db/database'
import { replaceFileWithHandle } from '../electron/services/files/atomic-file'

v8.setFlagsFromString('--expose-gc')
const gc = vm.runInNewContext('gc') as () => void

async function writeFloor(opts: ExportWriteOptions): Promise<number> {
  const utf8 = new Utf8Batch()
  let written = 0
  await replaceFileWithHandle(opts.file, async (handle) => {
    for await (const batch of opts.batches) {
      utf8.reset()
      for (const row of batch as readonly RawRow[]) utf8.append(`${row.join(',')}\r\n`)
      await writeAll(handle, utf8.bytes())
      written += batch.length
      opts.onProgress?.(written)
    }
  })
  return written
}

const [dbFile, format, out] = process.argv.slice(2) as [string, 'csv' | 'xlsx' | 'floor', string]
const db = openDatabase(dbFile)
const store = new CallLogStore(db)
// the code is loaded before the baseline: the figure is the export's data, not its modules
await loadExcel()
gc()
await new Promise((r) => setTimeout(r, 50))
const before = process.memoryUsage().rss
let peak = before
const sample = (): void => {
  const rss = process.memoryUsage().rss
  if (rss > peak) peak = rss
}
const timer = setInterval(sample, 5)
const t = performance.now()
const write = { csv: writeCallLogCsv, xlsx: writeCallLogXlsx, floor: writeFloor }[format]
const rows = await write({
  file: out,
  columns: callLogColumns,
  maskPhones: true,
  batches: store.rawBatches({}, 'all', EXPORT_BATCH_ROWS[format === 'floor' ? 'csv' : format]),
  onProgress: sample,
})
const seconds = (performance.now() - t) / 1000
clearInterval(timer)
sample()
db.close()
console.log(JSON.stringify({ rows, seconds, before, peak }))
