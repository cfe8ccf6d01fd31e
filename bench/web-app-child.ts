/**
 * Main's services behind the web bridge in a process of their own, for the shift's memory
 * figures: the bench process also runs the sandbox servers and Playwright, whose memory is not
 * main's. Argument: one JSON object { rendererDir, dataDir, profile }. Prints one JSON line with
 * the URL once serving; then answers each `gc` line on stdin with one JSON line (MainMemory of
 * workspace-shift.ts), and exits on `close`.
 */
import { createInterface } from 'node:readline'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { startWebApp, type WebAppOptions } from '../electron/bridge/web-app'

setFlagsFromString('--expose-gc')
/** V8's gc(): with flavor 'last-resort', the memory-reducing collection */
const gc = runInNewContext('gc') as (opts?: { type: 'major'; flavor: 'last-resort' }) => void

const opts = JSON.parse(process.argv[2] ?? '{}') as Pick<
  WebAppOptions,
  'rendererDir' | 'dataDir' | 'profile'
>
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined }
const app = await startWebApp({ ...opts, port: 0, log: quiet })
console.log(JSON.stringify({ url: app.url, origin: app.origin }))

function sample(): { rss: number; heapUsed: number; heapTotal: number } {
  const { rss, heapUsed, heapTotal } = process.memoryUsage()
  return { rss, heapUsed, heapTotal }
}

for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'gc') {
    gc()
    gc()
    const full = sample()
    // what V8 does once the process is idle: spare heap pages handed back to the system
    gc({ type: 'major', flavor: 'last-resort' })
    console.log(JSON.stringify({ full, reduced: sample() }))
  } else if (line === 'close') {
    break
  }
}
await app.close()
process.exit(0)
