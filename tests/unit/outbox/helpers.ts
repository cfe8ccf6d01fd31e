import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { AppError } from '../../../electron/core/app-error'
import type { SandboxServer } from '../../../electron/sandbox/framework'
import { openDatabase } from '../../../electron/services/db/database'
import { DncStore } from '../../../electron/services/calling/dnc-store'
import { RefCache } from '../../../electron/services/db/ref-cache'
import { createOutbox } from '../../../electron/services/outbox'
import type { SeedWorld } from '../../../electron/sandbox/seed'
import type { EnqueueInput, OutboxPayloads } from '../../../electron/services/outbox/types'
import type { Logger } from '../../../electron/services/ports'

export function tempDir(prefix = 'outbox-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix))
}

export function memoryLog(): { log: Logger; lines: [string, string, unknown][] } {
  const lines: [string, string, unknown][] = []
  return {
    lines,
    log: {
      info: (m, d) => lines.push(['info', m, d]),
      warn: (m, d) => lines.push(['warn', m, d]),
      error: (m, e) => lines.push(['error', m, e]),
    },
  }
}

export function savecallback(phone: string, owner = '王先生', item = '继续跟进'): EnqueueInput {
  return {
    kind: 'weixin.savecallback',
    phone,
    title: `保存反馈 · ${owner} ${phone}`,
    payload: {
      user_id: 29,
      phone_no: phone,
      owner_name: owner,
      package_id: 467,
      pro_id: 141,
      call_back_item_name: item,
    },
  }
}

export function saveToCustomer(phone: string, follow = '有意向，周末看房'): EnqueueInput {
  return {
    kind: 'weixin.save_to_customer',
    phone,
    title: `保存客户 · ${phone}`,
    payload: {
      reg_user_id: 29,
      customer_name: '王小明',
      customer_phone: phone,
      gender_type: 'M',
      customer_type: '01',
      recommend: '星汇云锦',
      follow_content: follow,
    },
  }
}

export function reportCall(
  phone: string,
  over: Partial<OutboxPayloads['datacenter.report_call']> = {},
): EnqueueInput<'datacenter.report_call'> {
  return {
    kind: 'datacenter.report_call',
    phone,
    title: `数据中心跟进 · ${phone}`,
    payload: {
      userNum: '00006',
      mobile: phone,
      customerName: '王先生',
      gender: 0,
      projectId: 141,
      projectName: '万科东荟城',
      followTime: '2026-11-22 10:15:00',
      followContent: '继续跟进：客户关注学位',
      cstWill: 'B',
      ...over,
    },
  }
}

/** A mobile number the seeded world does not know. */
export function unknownMobile(world: SeedWorld, from = 13_900_000_000): string {
  for (let n = from; ; n++) if (!world.people.has(String(n))) return String(n)
}

/** Records of one server whose note says the command was processed with this errcode. */
export function dcRecords(server: SandboxServer, cmd: string): Record<string, unknown>[] {
  return server
    .getRecords()
    .filter((r) => r.processed && r.note?.cmd === cmd)
    .map((r) => r.note ?? {})
}

export interface OpenReport {
  durable: boolean
  problem: string | null
  enqueue: { kind: string; message: string } | 'ok'
  dnc: { kind: string; message: string } | 'ok'
  cacheWorks: boolean
}

/**
 * Opens the database the way the app does and reports what the agent would see: the storage
 * problem, whether a save and a 勿扰 are accepted, and whether the reference cache still works.
 */
export function probeOpen(file: string): OpenReport {
  const quiet = { info() {}, warn() {}, error() {} }
  const db = openDatabase(file, { log: quiet })
  try {
    const outbox = createOutbox({
      db,
      connections: { get: () => Promise.reject(new Error('no network here')) },
      log: quiet,
      autoStart: false,
    })
    const attempt = (f: () => unknown): OpenReport['enqueue'] => {
      try {
        f()
        return 'ok'
      } catch (e) {
        if (e instanceof AppError) return { kind: e.kind, message: e.message }
        throw e
      }
    }
    const cache = new RefCache(db)
    cache.put('k', { a: 1 })
    return {
      durable: db.durable,
      problem: outbox.status().storageProblem,
      enqueue: attempt(() => outbox.enqueue([savecallback('13900000020')])),
      dnc: attempt(() => new DncStore(db).mark('13900000020', '客户要求勿扰', '00006')),
      cacheWorks: (cache.get('k') as { a: number } | undefined)?.a === 1,
    }
  } finally {
    db.close()
  }
}
