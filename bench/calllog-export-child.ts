/**
 * One export in a process that does nothing else, for its own memory figure: the parent seeds
 * the database and runs this with the file and format; it prints one JSON line with the RSS just
 * before the export, the peak during it, and the time.
 */
import v8 from 'node:v8'
import vm from 'node:vm'
import { callLogColumns } from '../shared/calllog'
import { writeCallLogCsv } from '../electron/services/calllog/csv'
import { EXPORT_BATCH_ROWS } from '../electron/services/calllog/files'
import { CallLogStore } from '../electron/services/calllog/store'
import { loadExcel, writeCallLogXlsx } from '../electron/services/calllog/xlsx'
import { openDatabase } from '../electron/services/db/database'

v8.setFlagsFromString('--expose-gc')
const gc = vm.runInNewContext('gc') as () => void

const [dbFile, format, out] = process.argv.slice(2) as [string, 'csv' | 'xlsx', string]
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
const write = format === 'csv' ? writeCallLogCsv : writeCallLogXlsx
const rows = await write({
  file: out,
  columns: callLogColumns,
  maskPhones: true,
  batches: store.rawBatches({}, 'all', EXPORT_BATCH_ROWS[format]),
  onProgress: sample,
})
const seconds = (performance.now() - t) / 1000
clearInterval(timer)
sample()
db.close()
console.log(JSON.stringify({ rows, seconds, before, peak }))
