import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import v8 from 'node:v8'
import vm from 'node:vm'
import { WeixinClient } from '../electron/core/weixin/client'
import { SandboxServer } from '../electron/sandbox/framework'
import { createSeedWorld } from '../electron/sandbox/seed'
import { createWeixinServerDef } from '../electron/sandbox/weixin'
import { openDatabase } from '../electron/services/db/database'
import { assembleOutbox, createOutbox } from '../electron/services/outbox'
import type { EnqueueInput } from '../electron/services/outbox/types'
import type { Logger } from '../electron/services/ports'

/**
 * The outbox figures:
 * - durable enqueue: one call's writes (savecallback + report_call) committed in one
 *   transaction with synchronous=FULL, p50 and p99 (goal p99 ≤ 5 ms);
 * - flush: a 10,000-item savecallback backlog delivered to the weixin sandbox at 0 ms latency,
 *   with the default concurrency (4) and with 8 (goal ≥ 1,000 items/s), and the memory: RSS
 *   after a full GC at each quarter of the backlog, and the JS heap (goal: flat). The sandbox
 *   runs in a child process so its request log is not counted. Each write opens a new
 *   connection (the transport's rule for non-idempotent requests), which costs RSS of its own
 *   until the allocator settles: the quarters show whether it keeps growing;
 * - database open + the first screen of the call log (the newest 50 rows of one agent) with
 *   100,000 rows seeded beforehand (goal ≤ 100 ms).
 */

const quiet: Logger = { info: () => {}, warn: () => {}, error: () => {} }

// A full GC before each memory reading, so the figure is what stays, not garbage not yet
// collected (tsx gives no --expose-gc; this is the documented way to get gc at run time).
v8.setFlagsFromString('--expose-gc')
const gc = vm.runInNewContext('gc') as () => void
const world = createSeedWorld(1, '2026-11-22')
const project = world.projects[0]!
const pkg = project.packages[0]!

function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[i] ?? Number.NaN
}

function callItems(i: number): EnqueueInput[] {
  const phone = `139${String(i % 100_000_000).padStart(8, '0')}`
  return [
    {
      kind: 'weixin.savecallback',
      phone,
      title: `保存反馈 · 王先生 ${phone}`,
      payload: {
        user_id: 29,
        phone_no: phone,
        owner_name: '王先生',
        package_id: pkg.package_id,
        pro_id: project.pro_id,
        call_back_item_name: '继续跟进',
      },
    },
    {
      kind: 'datacenter.report_call',
      phone,
      title: `数据中心跟进 · 王先生 ${phone}`,
      payload: {
        userNum: '00006',
        mobile: phone,
        customerName: '王先生',
        gender: 1,
        projectId: project.pro_id,
        projectName: project.pro_name,
        followTime: '2026-11-22 10:15:00',
        followContent: '继续跟进：客户关注学位和交楼时间，周末再联系',
        cstWill: 'B',
      },
    },
  ]
}

const noConnections = { get: () => Promise.reject(new Error('no network in this bench')) }

async function benchEnqueue(dir: string): Promise<{ p50: number; p99: number; n: number }> {
  const db = openDatabase(path.join(dir, 'enqueue.db'))
  const outbox = createOutbox({ db, connections: noConnections, log: quiet, autoStart: false })
  try {
    for (let i = 0; i < 200; i++) outbox.enqueue(callItems(i))
    const n = 3000
    const times: number[] = []
    for (let i = 0; i < n; i++) {
      const items = callItems(1000 + i)
      const t = performance.now()
      outbox.enqueue(items)
      times.push(performance.now() - t)
    }
    times.sort((a, b) => a - b)
    return { p50: percentile(times, 50), p99: percentile(times, 99), n }
  } finally {
    db.close()
  }
}

/** The weixin sandbox in a child process; resolves with its base URL and a stop function. */
async function startChildSandbox(): Promise<{ url: string; stop(): void }> {
  const self = fileURLToPath(import.meta.url)
  const child = spawn(process.execPath, ['--import', 'tsx', self, '--sandbox-child'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    cwd: path.resolve(path.dirname(self), '..'),
  })
  const url = await new Promise<string>((resolve, reject) => {
    let buf = ''
    child.stdout.on('data', (c: Buffer) => {
      buf += c.toString()
      const m = /^URL (\S+)$/m.exec(buf)
      if (m?.[1]) resolve(m[1])
    })
    child.once('exit', (code) => reject(new Error(`sandbox child exited (${code})`)))
  })
  return { url, stop: () => child.kill() }
}

interface FlushFigures {
  rate: number
  ms: number
  peak: number
  /** RSS and live JS heap after a full GC, MB above the start, at each quarter of the backlog */
  rssQuarters: number[]
  heapQuarters: number[]
  /** V8's committed heap at the end, MB above the start (pages it keeps after a busy spell) */
  heapTotalDeltaMb: number
}

async function benchFlush(dir: string, total: number, concurrency?: number): Promise<FlushFigures> {
  const sandbox = await startChildSandbox()
  const db = openDatabase(path.join(dir, `flush-${concurrency ?? 'default'}.db`))
  try {
    const weixin = new WeixinClient({ baseUrl: `${sandbox.url}/estate` })
    const { outbox, engine } = assembleOutbox({
      db,
      connections: { get: async () => ({ weixin, datacenter: null }) },
      log: quiet,
      autoStart: false,
      ...(concurrency ? { engine: { concurrency } } : {}),
    })
    // seeded outside the timed part, 500 to a transaction
    for (let i = 0; i < total; i += 500) {
      const batch: EnqueueInput[] = []
      for (let j = i; j < Math.min(total, i + 500); j++) batch.push(callItems(j)[0]!)
      outbox.enqueue(batch)
    }
    gc()
    const before = process.memoryUsage()
    const rssQuarters: number[] = []
    const heapQuarters: number[] = []
    const sample = (): void => {
      gc()
      const m = process.memoryUsage()
      rssQuarters.push((m.rss - before.rss) / 1024 / 1024)
      heapQuarters.push((m.heapUsed - before.heapUsed) / 1024 / 1024)
    }
    let sampling = false
    const sampler = setInterval(() => {
      if (sampling) return
      const left = outbox.status().pending
      if (left <= total * (1 - (rssQuarters.length + 1) / 4) && rssQuarters.length < 3) {
        sampling = true
        sample()
        sampling = false
      }
    }, 25)
    const t = performance.now()
    outbox.start()
    await engine.idle(1)
    const ms = performance.now() - t
    clearInterval(sampler)
    sample()
    const after = process.memoryUsage()
    const s = outbox.status()
    const delivered = total - s.pending - s.sending - s.uncertain - s.failed
    if (delivered !== total) throw new Error(`flush delivered ${delivered} of ${total}`)
    await outbox.stop()
    return {
      rate: (total / ms) * 1000,
      ms,
      peak: engine.peakInFlight,
      rssQuarters,
      heapQuarters,
      heapTotalDeltaMb: (after.heapTotal - before.heapTotal) / 1024 / 1024,
    }
  } finally {
    db.close()
    sandbox.stop()
  }
}

/** The ceiling: the weixin client alone, `concurrency` writes at a time, no outbox. */
async function benchRawWrites(n: number, concurrency: number): Promise<number> {
  const sandbox = await startChildSandbox()
  try {
    const weixin = new WeixinClient({ baseUrl: `${sandbox.url}/estate` })
    const payload = callItems(0)[0]!.payload as Parameters<WeixinClient['saveCallback']>[0]
    let next = 0
    const t = performance.now()
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < n) {
          next++
          await weixin.saveCallback(payload)
        }
      }),
    )
    return (n / (performance.now() - t)) * 1000
  } finally {
    sandbox.stop()
  }
}

async function benchOpen(dir: string, rows: number): Promise<{ median: number; first: number }> {
  const file = path.join(dir, 'calllog.db')
  const db = openDatabase(file)
  const c = db.connection
  const insert = c.prepare(
    `INSERT INTO call_log (id, user_num, user_name, machine_no, project_id, project_name,
       package_id, package_name, phone, owner_name, dispensed_at, dialled_at, ended_at,
       duration_s, callback_item, notes, next_follow_date, next_follow_content,
       saved_to_customer, dnc, outbox_id, created_at)
     VALUES (?, ?, ?, 'weixin', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, 0, 0, NULL, ?)`,
  )
  const start = Date.parse('2026-01-01T00:00:00Z')
  db.transaction(() => {
    for (let i = 0; i < rows; i++) {
      const at = new Date(start + i * 60_000).toISOString()
      const agent = `000${String(6 + (i % 20)).padStart(2, '0')}`
      insert.run(
        randomUUID(),
        agent,
        '冯依敏',
        project.pro_id,
        project.pro_name,
        pkg.package_id,
        pkg.package_name,
        `139${String(i).padStart(8, '0')}`,
        '王先生',
        at,
        at,
        at,
        95,
        '继续跟进',
        '客户关注学位和交楼时间',
        at,
      )
    }
  })
  db.close()
  const times: number[] = []
  for (let run = 0; run < 7; run++) {
    const t = performance.now()
    const d = openDatabase(file)
    const page = d.connection
      .prepare(
        `SELECT * FROM call_log WHERE user_num = ? ORDER BY created_at DESC, id DESC LIMIT 50`,
      )
      .all('00006')
    times.push(performance.now() - t)
    if (page.length !== 50) throw new Error(`first page has ${page.length} rows`)
    d.close()
  }
  const first = times[0]!
  times.sort((a, b) => a - b)
  return { median: percentile(times, 50), first }
}

export async function benchOutbox(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'outbox-bench-'))
  try {
    const enq = await benchEnqueue(dir)
    const flush = await benchFlush(dir, 10_000)
    const flush8 = await benchFlush(dir, 10_000, 8)
    const ceiling = await benchRawWrites(3_000, 4)
    const open = await benchOpen(dir, 100_000)
    const mb = (v: number): string => `${v >= 0 ? '+' : ''}${v.toFixed(1)}`
    console.log('\nOutbox (SQLite, WAL, synchronous=FULL)')
    console.log(
      `  durable enqueue (2 items, 1 tx)   p50 ${enq.p50.toFixed(3)} ms   p99 ${enq.p99.toFixed(3)} ms   (n=${enq.n}; goal p99 ≤ 5 ms)`,
    )
    for (const [name, f] of [
      ['concurrency 4 (default)', flush],
      ['concurrency 8', flush8],
    ] as const) {
      console.log(
        `  flush 10,000 savecallbacks, ${name.padEnd(23)} ${f.rate.toFixed(0)} items/s (${(f.ms / 1000).toFixed(2)} s, peak in flight ${f.peak}; goal ≥ 1,000 items/s)`,
      )
    }
    console.log(
      `  the weixin client alone, 4 at a time (no outbox)     ${ceiling.toFixed(0)} items/s: the ceiling on this machine`,
    )
    console.log(
      `  memory over the default flush     live JS heap after GC at ¼ ½ ¾ end: ${flush.heapQuarters.map(mb).join(' ')} MB`,
    )
    console.log(
      `                                    RSS after GC at ¼ ½ ¾ end: ${flush.rssQuarters.map(mb).join(' ')} MB (V8 keeps ${mb(flush.heapTotalDeltaMb)} MB of committed heap pages)`,
    )
    console.log(
      `  open + first page (100k rows)     median ${open.median.toFixed(2)} ms, first ${open.first.toFixed(2)} ms (goal ≤ 100 ms)`,
    )
    const rss = flush.rssQuarters
    console.log(`BENCH outbox_enqueue_p50 ${enq.p50.toFixed(3)} ms`)
    console.log(`BENCH outbox_enqueue_p99 ${enq.p99.toFixed(3)} ms`)
    console.log(`BENCH outbox_flush_10k ${flush.rate.toFixed(0)} items/s`)
    console.log(`BENCH outbox_flush_10k_c8 ${flush8.rate.toFixed(0)} items/s`)
    console.log(`BENCH outbox_flush_ceiling_client_c4 ${ceiling.toFixed(0)} items/s`)
    console.log(`BENCH outbox_flush_rss_delta ${(rss[rss.length - 1] ?? 0).toFixed(1)} MB`)
    console.log(
      `BENCH outbox_flush_rss_second_half ${((rss[rss.length - 1] ?? 0) - (rss[1] ?? 0)).toFixed(1)} MB`,
    )
    const heap = flush.heapQuarters
    console.log(`BENCH outbox_flush_heap_delta ${(heap[heap.length - 1] ?? 0).toFixed(1)} MB`)
    console.log(`BENCH db_open_first_page_100k ${open.median.toFixed(2)} ms`)
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

async function sandboxChild(): Promise<void> {
  const server = new SandboxServer(createWeixinServerDef(world))
  const url = await server.listen(0)
  process.stdout.write(`URL ${url}\n`)
  process.on('SIGTERM', () => void server.close().then(() => process.exit(0)))
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  if (process.argv.includes('--sandbox-child')) await sandboxChild()
  else await benchOutbox()
}
