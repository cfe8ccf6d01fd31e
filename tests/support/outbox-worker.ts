/**
 * The crash harness's worker (tests/unit/outbox/crash.test.ts): an app-like process over one
 * outbox database. The parent starts it, SIGKILLs it at a random moment, and starts it again.
 *
 * enqueue: opens the database, resumes (printing what a kill left 'sending'), then commits one
 * call's writes at a time (savecallback + Data Center report, and every third call a
 * save_to_customer), printing `ACK <n> <ids>` after each commit returns — the moment the screen
 * would say "saved" — while the engine delivers in the background.
 *
 * drain: delivers everything left, retrying items parked as uncertain the way the agent would,
 * prints `DONE <status>` and exits.
 *
 * Configuration comes as JSON in OUTBOX_WORKER.
 */
import path from 'node:path'
import { DataCenterClient } from '../../electron/core/datacenter/client'
import { createSidGenerator, FileSidStateStore } from '../../electron/core/datacenter/sid'
import { WeixinClient } from '../../electron/core/weixin/client'
import { openDatabase } from '../../electron/services/db/database'
import { createOutbox, OutboxStore } from '../../electron/services/outbox'
import type { EnqueueInput } from '../../electron/services/outbox/types'

export interface WorkerConfig {
  mode: 'enqueue' | 'drain'
  dbPath: string
  dataDir: string
  weixinBase: string
  datacenter: {
    endpoint: string
    appid: string
    token: string
    appkey: string
    dataCenterAppid: string
  }
  project: { id: number; name: string; packageId: number }
  /** the first call number and how many to enqueue */
  start: number
  count: number
  /** the most a pause between two calls lasts, ms */
  pauseMs: number
}

export const crashPhone = (n: number): string => `147${String(n).padStart(8, '0')}`
export const crashOwner = (n: number): string => `客户${n}先生`
export const crashMarker = (n: number): string => `crash-${n}`

export function callItems(n: number, project: WorkerConfig['project']): EnqueueInput[] {
  const phone = crashPhone(n)
  const items: EnqueueInput[] = [
    {
      kind: 'weixin.savecallback',
      phone,
      title: `保存反馈 · ${crashOwner(n)}`,
      payload: {
        user_id: 29,
        phone_no: phone,
        owner_name: crashOwner(n),
        package_id: project.packageId,
        pro_id: project.id,
        call_back_item_name: '继续跟进',
      },
    },
    {
      kind: 'datacenter.report_call',
      phone,
      title: `数据中心跟进 · ${crashOwner(n)}`,
      payload: {
        userNum: '00006',
        mobile: phone,
        customerName: crashOwner(n),
        gender: 1,
        projectId: project.id,
        projectName: project.name,
        followTime: '2026-11-22 10:15:00',
        followContent: crashMarker(n),
        cstWill: 'B',
      },
    },
  ]
  if (n % 3 === 0) {
    items.push({
      kind: 'weixin.save_to_customer',
      phone,
      title: `保存客户 · ${crashOwner(n)}`,
      payload: {
        reg_user_id: 29,
        customer_name: crashOwner(n),
        customer_phone: phone,
        gender_type: 'M',
        customer_type: '01',
        recommend: project.name,
        follow_content: crashMarker(n),
      },
    })
  }
  return items
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))
const out = (line: string): void => {
  process.stdout.write(`${line}\n`)
}

async function main(): Promise<void> {
  const cfg = JSON.parse(process.env.OUTBOX_WORKER ?? '{}') as WorkerConfig
  const log = {
    info: () => {},
    warn: () => {},
    error: (m: string, e?: unknown) => process.stderr.write(`${m} ${String(e)}\n`),
  }
  const db = openDatabase(cfg.dbPath, { log })
  const weixin = new WeixinClient({ baseUrl: cfg.weixinBase, timeoutMs: 3_000 })
  const datacenter = new DataCenterClient({
    ...cfg.datacenter,
    sid: createSidGenerator({
      appid: cfg.datacenter.appid,
      store: new FileSidStateStore(path.join(cfg.dataDir, `sid-${cfg.datacenter.appid}.json`)),
    }),
    timeoutMs: 3_000,
  })
  const outbox = createOutbox({
    db,
    connections: { get: async () => ({ weixin, datacenter }) },
    log,
    autoStart: false,
    // short back-offs: the harness has seconds, not minutes
    engine: { baseDelayMs: 20, maxDelayMs: 300, maxProbeDelayMs: 150, stopTimeoutMs: 1_000 },
  })
  // what the crash left, reported before the engine starts (its own recovery then finds none)
  const recovered = new OutboxStore(db).recoverInterrupted()
  outbox.start()
  out(`READY ${JSON.stringify(recovered)}`)

  if (cfg.mode === 'enqueue') {
    for (let n = cfg.start; n < cfg.start + cfg.count; n++) {
      const items = outbox.enqueue(callItems(n, cfg.project))
      out(`ACK ${n} ${items.map((i) => i.id).join(',')}`)
      await sleep(Math.random() * cfg.pauseMs)
    }
    // Keep delivering until the parent kills us. A pending promise alone keeps no handle open:
    // once the engine is idle Node would exit by itself, and the kill would find no process.
    setInterval(() => {}, 60_000)
    await new Promise(() => {})
    return
  }

  outbox.flush()
  for (;;) {
    for (const item of outbox.list({ states: ['uncertain'], limit: 500 })) {
      if (item.nextAttemptAt === null) outbox.retry(item.id)
    }
    outbox.kick()
    const s = outbox.status()
    if (s.failed > 0) {
      const failed = outbox.list({ states: ['failed'], limit: 20 })
      out(`FAILED ${JSON.stringify(failed.map((f) => [f.kind, f.lastError]))}`)
      process.exit(2)
    }
    if (s.pending + s.sending + s.uncertain === 0) {
      await outbox.stop()
      db.close()
      out(`DONE ${JSON.stringify(s)}`)
      process.exit(0)
    }
    await sleep(30)
  }
}

// only as the worker process (the test imports the helpers above)
if (process.env.OUTBOX_WORKER) {
  void main().catch((e: unknown) => {
    process.stderr.write(`worker failed: ${e instanceof Error ? e.stack : String(e)}\n`)
    process.exit(3)
  })
}
