import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DataCenterState } from '../../../electron/sandbox/datacenter'
import { startSandbox, type RunningSandbox } from '../../../electron/sandbox'
import type { FaultSpec } from '../../../electron/sandbox/framework'
import type { WeixinSandboxState } from '../../../electron/sandbox/weixin'
import { crashMarker, crashOwner, crashPhone, type WorkerConfig } from '../../support/outbox-worker'
import { tempDir } from './helpers'

/**
 * The crash harness. One long-lived sandbox (weixin + Data Center) runs here, with some latency
 * and random faults: `drop` (processed, answer lost) on the writes, HTTP 500s, and whole
 * servers offline. A worker process enqueues calls and prints each id the moment its commit
 * returns; the test SIGKILLs it at a random moment (before it is ready, while it enqueues,
 * while sends are in flight) and starts it again, RUNS times. Then everything comes online, a
 * last worker drains the outbox, and the sandbox's records must show:
 *
 * - every acknowledged item arrived: Data Center follow-ups exactly once (counted by each call's
 *   marker in the processed cst_follow_update records), one customer, lead and opportunity per
 *   call; weixin savecallback / save_to_customer at least once;
 * - a weixin duplicate only for an item the database marks uncertain;
 * - per-phone order: the save_to_customer and the Data Center follow-up after the savecallback.
 *
 * The worker is bundled with esbuild first, so each start costs ~0.2 s instead of ~0.5 s.
 */

const RUNS = 60
const PER_RUN = 5

let sb: RunningSandbox
let dir: string
let bundle: string

beforeAll(async () => {
  sb = await startSandbox({ seed: 11, today: '2026-11-22' })
  dir = tempDir('outbox-crash-')
  bundle = path.join(dir, 'worker.mjs')
  await build({
    entryPoints: [fileURLToPath(new URL('../../support/outbox-worker.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    outfile: bundle,
    logLevel: 'error',
  })
})
afterAll(async () => {
  await sb?.close()
})

interface RunResult {
  acked: Map<number, string[]>
  recovered: { uncertain: number; parked: number; pending: number } | null
  lines: string[]
  stderr: string
  code: number | null
  signal: NodeJS.Signals | null
}

function config(mode: WorkerConfig['mode'], start: number, count: number): WorkerConfig {
  const project = sb.world.projects[0]!
  return {
    mode,
    dbPath: path.join(dir, 'data', 'callcenter.db'),
    dataDir: path.join(dir, 'data'),
    weixinBase: sb.profile.weixin.baseUrl,
    datacenter: sb.profile.datacenter!,
    project: {
      id: project.pro_id,
      name: project.pro_name,
      packageId: project.packages[0]!.package_id,
    },
    start,
    count,
    pauseMs: 6,
  }
}

/** Runs a worker; `killAt` decides when to SIGKILL it (undefined: let it finish). */
function runWorker(
  cfg: WorkerConfig,
  killAt?: { afterReady: boolean; ms: number },
  timeoutMs = 30_000,
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bundle], {
      env: { ...process.env, OUTBOX_WORKER: JSON.stringify(cfg) },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const result: RunResult = {
      acked: new Map(),
      recovered: null,
      lines: [],
      stderr: '',
      code: null,
      signal: null,
    }
    let buf = ''
    const kill = (): void => {
      child.kill('SIGKILL')
    }
    const guard = setTimeout(() => {
      kill()
      reject(new Error(`worker did not finish in ${timeoutMs} ms: ${result.lines.join(' | ')}`))
    }, timeoutMs)
    if (killAt && !killAt.afterReady) setTimeout(kill, killAt.ms)
    child.stdout.on('data', (chunk: Buffer) => {
      buf += chunk.toString('utf8')
      // only complete lines count: a half-written ACK was not seen by anyone
      for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
        const line = buf.slice(0, i)
        buf = buf.slice(i + 1)
        result.lines.push(line)
        const [word, a, b] = line.split(' ')
        if (word === 'READY') {
          result.recovered = JSON.parse(line.slice(6)) as RunResult['recovered']
          if (killAt?.afterReady) setTimeout(kill, killAt.ms)
        }
        if (word === 'ACK' && a && b) result.acked.set(Number(a), b.split(','))
      }
    })
    child.stderr.on('data', (c: Buffer) => (result.stderr += c.toString('utf8')))
    child.on('exit', (code, signal) => {
      clearTimeout(guard)
      result.code = code
      result.signal = signal
      resolve(result)
    })
  })
}

const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)]!

/** Random trouble for one run. */
async function randomFaults(): Promise<string[]> {
  const { weixin, datacenter } = sb.servers
  await Promise.all([weixin.clearFaults(), datacenter.clearFaults()])
  const applied: string[] = []
  const add = (server: typeof weixin, spec: FaultSpec): void => {
    server.addFault(spec)
    applied.push(`${server.name}:${spec.mode}:${spec.match ?? '*'}`)
  }
  add(weixin, { mode: 'none', latencyMs: Math.floor(Math.random() * 8) })
  add(datacenter, { mode: 'none', latencyMs: Math.floor(Math.random() * 5) })
  if (Math.random() < 0.6) {
    add(weixin, { mode: 'drop', match: pick(['savecallback', 'save_to_customer']), count: 2 })
  }
  if (Math.random() < 0.6) {
    add(datacenter, {
      mode: 'drop',
      match: pick([
        'cst_info_create',
        's_lead_create',
        'opportunity_info_create',
        'cst_follow_update',
      ]),
      count: 1,
    })
  }
  if (Math.random() < 0.2) add(weixin, { mode: 'http500', match: 'savecallback', count: 1 })
  if (Math.random() < 0.15)
    add(datacenter, { mode: 'http500', match: 'cst_follow_update', count: 1 })
  // a whole server away for this run: weixin, the Data Center, or neither
  const away = Math.random()
  if (away < 0.1) {
    await weixin.setOffline(true)
    applied.push('weixin:offline')
  } else if (away < 0.2) {
    await datacenter.setOffline(true)
    applied.push('datacenter:offline')
  }
  return applied
}

describe('SIGKILL at random moments', () => {
  it(`${RUNS} kills: every acknowledged item arrives, the Data Center exactly once`, async () => {
    const acked = new Map<number, string[]>()
    const recovered = { uncertain: 0, parked: 0, pending: 0 }
    let kills = 0
    let next = 0
    for (let run = 0; run < RUNS; run++) {
      await randomFaults()
      // mostly after start-up (while enqueuing and sending); sometimes during it
      const killAt =
        Math.random() < 0.15
          ? { afterReady: false, ms: 20 + Math.random() * 150 }
          : { afterReady: true, ms: Math.random() * 220 }
      const r = await runWorker(config('enqueue', next, PER_RUN), killAt)
      next += PER_RUN
      expect(r.signal, r.stderr).toBe('SIGKILL')
      kills++
      for (const [n, ids] of r.acked) acked.set(n, ids)
      if (r.recovered) {
        recovered.uncertain += r.recovered.uncertain
        recovered.parked += r.recovered.parked
        recovered.pending += r.recovered.pending
      }
    }

    await Promise.all([sb.servers.weixin.clearFaults(), sb.servers.datacenter.clearFaults()])
    const drain = await runWorker(config('drain', 0, 0), undefined, 40_000)
    expect(drain.code, `${drain.lines.join('\n')}\n${drain.stderr}`).toBe(0)
    expect(drain.lines.at(-1)).toMatch(/^DONE /)

    // the harness did what it says: many kills, some mid-send, calls acknowledged
    expect(kills).toBeGreaterThanOrEqual(50)
    expect(acked.size).toBeGreaterThanOrEqual(RUNS)
    expect(recovered.uncertain + recovered.parked + recovered.pending).toBeGreaterThan(0)

    const db = new DatabaseSync(config('drain', 0, 0).dbPath, { readOnly: true })
    const rows = new Map(
      (
        db.prepare('SELECT id, kind, state, uncertain FROM outbox').all() as {
          id: string
          kind: string
          state: string
          uncertain: number
        }[]
      ).map((r) => [r.id, r]),
    )
    db.close()

    const wx = sb.servers.weixin.def.state() as WeixinSandboxState
    const dcRecords = sb.servers.datacenter.getRecords()
    const dc = sb.servers.datacenter.def.state() as DataCenterState
    const okNotes = (cmd: string) =>
      dcRecords.filter((r) => r.processed && r.note?.cmd === cmd && r.note?.errcode === 0)

    const problems: string[] = []
    let uncertainSeen = 0
    for (const [n, ids] of acked) {
      const phone = crashPhone(n)
      for (const id of ids) {
        const row = rows.get(id)
        if (row?.state !== 'delivered') problems.push(`${n}: ${id} is ${row?.state ?? 'missing'}`)
        if (row?.uncertain) uncertainSeen++
      }
      const [cbId, , custId] = ids
      // weixin: at least once; more only when marked uncertain
      const callbacks = wx.callbacks.filter((c) => c.owner_name === crashOwner(n))
      if (callbacks.length === 0) problems.push(`${n}: savecallback never arrived`)
      if (callbacks.length > 1 && !rows.get(cbId!)?.uncertain) {
        problems.push(`${n}: savecallback ×${callbacks.length} but not marked uncertain`)
      }
      const customers = wx.customers.filter((c) => c.follow_content === crashMarker(n))
      if (custId) {
        if (customers.length === 0) problems.push(`${n}: save_to_customer never arrived`)
        if (customers.length > 1 && !rows.get(custId)?.uncertain) {
          problems.push(`${n}: save_to_customer ×${customers.length} but not marked uncertain`)
        }
        const firstCallback = callbacks.map((c) => c.received_at).sort()[0]
        const firstCustomer = customers.map((c) => c.received_at).sort()[0]
        if (firstCallback && firstCustomer && firstCustomer < firstCallback) {
          problems.push(`${n}: save_to_customer arrived before its savecallback`)
        }
      }
      // Data Center: exactly once, step by step
      const follows = okNotes('cst_follow_update').filter(
        (r) => (r.note?.data as { followContent?: string })?.followContent === crashMarker(n),
      )
      if (follows.length !== 1) problems.push(`${n}: cst_follow_update ×${follows.length}`)
      const followUps = dc.followUps.filter((f) => f.followContent === crashMarker(n))
      if (followUps.length !== 1) problems.push(`${n}: ${followUps.length} follow-ups stored`)
      const customersDc = dc.customers.filter((c) => c.mobile === phone)
      if (customersDc.length !== 1) problems.push(`${n}: ${customersDc.length} DC customers`)
      const created = okNotes('cst_info_create').filter(
        (r) => (r.note?.data as { mobile?: string })?.mobile === phone,
      )
      if (created.length !== 1) problems.push(`${n}: cst_info_create ×${created.length}`)
      const leads = dc.leads.filter((l) => l.cstTel === phone)
      if (leads.length !== 1) problems.push(`${n}: ${leads.length} leads`)
      const opps = dc.opportunities.filter((o) => o.cstGUID === customersDc[0]?.cstGUID)
      if (opps.length !== 1) problems.push(`${n}: ${opps.length} opportunities`)
      const followAt = follows[0]?.at
      const firstCallback = callbacks.map((c) => c.received_at).sort()[0]
      if (followAt && firstCallback && followAt < firstCallback) {
        problems.push(`${n}: the Data Center follow-up came before the savecallback`)
      }
    }
    expect(problems).toEqual([])
    // the faults made some sends ambiguous, and they were shown as such
    expect(uncertainSeen).toBeGreaterThan(0)
    // nothing was sent that no worker enqueued
    const known = new Set([...Array(next).keys()].map(crashOwner))
    expect(wx.callbacks.filter((c) => !known.has(c.owner_name))).toEqual([])
    // (items committed but killed before their ACK was printed are delivered too)
    expect(fs.existsSync(bundle)).toBe(true)
  }, 90_000)
})
