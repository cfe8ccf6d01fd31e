/**
 * The fleet: one sandbox and N desktops as separate processes (desktop.ts), all with the same
 * Data Center appid and started in the same second, running the call loop at once while faults
 * are injected and desktops are SIGKILLed and restarted; one more desktop works in training
 * (a second sandbox) and switches to production with training items queued. At the end every
 * desktop drains and the sandboxes' records and state are checked:
 *
 * - every acknowledged save is at weixin exactly once (a second copy only where the desktop's
 *   own outbox says 结果不确定: weixin has no idempotency key, and the agent was told), and its
 *   follow-up at the Data Center exactly once;
 * - no opportunity twice for one customer and project;
 * - no SID answered 1013 for another command than the one first sent under it;
 * - nothing the training desktop saved in training reached the production sandbox.
 *
 * Faults: weixin gets only faults that refuse before processing (http500, offline); the Data
 * Center also gets `drop` (processed, answer lost), which its SIDs make safe.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { startSandbox, type RunningSandbox } from '../../electron/sandbox'
import type { DataCenterState } from '../../electron/sandbox/datacenter/state'
import type { DesktopConfig } from './desktop'
import { enlargedWorld, packagesFor } from './world'

export interface FleetOptions {
  desktops: number
  calls: number
  /** SIGKILL and restart desktops at random */
  kills?: boolean
  faults?: boolean
  /** progress lines (stderr) */
  log?: (line: string) => void
  /** give up after this long */
  timeoutMs?: number
  /**
   * Let every desktop draw its SID lane at random, as an installation nobody numbered does;
   * by default the harness numbers the desktops as a site does (`{"lane": n}`), which makes
   * their SIDs disjoint, so any 1013 for another desktop's command is a defect.
   */
  randomLanes?: boolean
}

export interface FleetResult {
  desktops: number
  saves: number
  lost: number
  duplicated: number
  /** weixin copies of saves the desktop itself marked 结果不确定 */
  uncertainDuplicates: number
  sidCollisions: number
  opportunityDuplicates: number
  trainingLeaks: number
  trainingSaves: number
  kills: number
  faults: number
  drainMs: number
  problems: string[]
}

interface Ack {
  desk: number
  profile: 'A' | 'B'
  phone: string
  id: string
}

interface DoneItem {
  id: string
  kind: string
  phone: string
  state: string
  uncertain: boolean
}

interface Desk {
  cfg: DesktopConfig
  child: ChildProcess | null
  acks: number
  startedAt: number
  killed: boolean
  done: DoneItem[] | null
  exited: Promise<number | null> | null
  onPhase?: (line: string) => void
}

async function bundleDesktop(outDir: string): Promise<string> {
  const out = path.join(outDir, 'desktop.mjs')
  await build({
    entryPoints: [fileURLToPath(new URL('./desktop.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    outfile: out,
    // node_modules resolve from the repository at run time (the bundle sits inside it)
    packages: 'external',
    logLevel: 'error',
  })
  return out
}

export async function runFleet(opts: FleetOptions): Promise<FleetResult> {
  const log = opts.log ?? (() => {})
  const kills = opts.kills ?? true
  const faults = opts.faults ?? true
  const problems: string[] = []
  const repo = path.resolve(fileURLToPath(new URL('../..', import.meta.url)))
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-fleet-'))
  const cacheDir = path.join(repo, 'node_modules', '.cache', 'fleet')
  fs.mkdirSync(cacheDir, { recursive: true })
  const bundle = await bundleDesktop(cacheDir)

  const perPackage = Math.ceil(opts.calls / 2) + 30
  const worldA = enlargedWorld(41, Math.max(perPackage, opts.calls + 30))
  const prod = await startSandbox({ world: worldA })
  const training = await startSandbox({ world: enlargedWorld(42, 40) })
  let result: FleetResult | null = null
  const desks: Desk[] = []
  const acks: Ack[] = []
  // a desktop that failed by itself (not killed): the run cannot finish
  let fatal = false
  try {
    const pkgs = packagesFor(worldA, opts.desktops)
    for (let d = 0; d < opts.desktops; d++) {
      desks.push(newDesk(d, 'production', pkgs[d]!, opts.calls))
    }
    // 万科东荟城 (141) and its first two packages are in every seeded world
    const trainingDesk = newDesk(
      opts.desktops,
      'training-switch',
      [
        { projectId: 141, packageId: 468 },
        { projectId: 141, packageId: 469 },
      ],
      3,
    )
    desks.push(trainingDesk)

    function newDesk(
      d: number,
      mode: DesktopConfig['mode'],
      packages: DesktopConfig['packages'],
      calls: number,
    ): Desk {
      const dataDir = path.join(work, `desk-${d}`)
      if (!opts.randomLanes) {
        fs.mkdirSync(dataDir, { recursive: true })
        for (const appid of new Set([prod, training].map((sb) => sb.profile.datacenter?.appid))) {
          if (appid) fs.writeFileSync(path.join(dataDir, `sid-${appid}.json`), `{"lane":${d}}`)
        }
      }
      return {
        cfg: {
          desk: d,
          dataDir,
          production: prod.profile,
          training: training.profile,
          mode,
          packages,
          calls,
          pauseMs: 40,
        },
        child: null,
        acks: 0,
        startedAt: 0,
        killed: false,
        done: null,
        exited: null,
      }
    }

    const start = (desk: Desk): void => {
      const remaining =
        desk.cfg.mode === 'production' ? Math.max(0, opts.calls - desk.acks) : desk.cfg.calls
      const child = spawn(process.execPath, [bundle], {
        cwd: repo,
        env: { ...process.env, FLEET_DESKTOP: JSON.stringify({ ...desk.cfg, calls: remaining }) },
        stdio: ['pipe', 'pipe', 'pipe'],
      })
      desk.child = child
      desk.startedAt = Date.now()
      let stderr = ''
      child.stderr!.on('data', (c: Buffer) => {
        stderr = (stderr + c.toString()).slice(-4000)
      })
      createInterface({ input: child.stdout! }).on('line', (line) => {
        const [word, ...rest] = line.split(' ')
        if (word === 'ACK') {
          const [profile, phone, id] = rest as ['A' | 'B', string, string]
          acks.push({ desk: desk.cfg.desk, profile, phone, id })
          desk.acks++
          // every desktop once, halfway through its calls (others at random below)
          const half = Math.ceil(opts.calls / 2)
          if (kills && desk.cfg.mode === 'production' && !desk.killed && desk.acks >= half) {
            kill(desk)
          }
        } else if (word === 'DONE') {
          desk.done = JSON.parse(rest.join(' ')) as DoneItem[]
        } else if (word === 'FAILED') {
          problems.push(`desk ${desk.cfg.desk}: refused ${rest.join(' ').slice(0, 300)}`)
        } else if (word === 'PHASE') {
          desk.onPhase?.(rest.join(' '))
        }
      })
      desk.exited = new Promise((resolve) => {
        child.once('exit', (code, signal) => {
          if (desk.child === child) desk.child = null
          if (code !== 0 && signal !== 'SIGKILL') {
            problems.push(`desk ${desk.cfg.desk} exited ${String(code ?? signal)}: ${stderr}`)
            fatal = true
          }
          resolve(code)
        })
      })
    }

    // training refuses saves at first (login still works): the training desk's saves wait
    training.servers.weixin.addFault({ mode: 'http500', match: 'savecallback' })
    await training.servers.datacenter.setOffline(true)
    trainingDesk.onPhase = (line) => {
      log(`training desk: ${line}`)
      if (line.startsWith('production-drained')) {
        const other = JSON.parse(line.slice('production-drained '.length)) as {
          training: number
        } | null
        if (!other || other.training === 0) {
          problems.push(`training items not waiting while in production: ${line}`)
        }
        void (async () => {
          await training.servers.weixin.clearFaults()
          await training.servers.datacenter.setOffline(false)
          trainingDesk.child?.stdin?.write('GO\n')
        })()
      }
    }

    // every desktop in the same second
    for (const desk of desks) start(desk)

    const deadline = Date.now() + (opts.timeoutMs ?? 600_000)
    const production = desks.filter((d) => d.cfg.mode === 'production')
    const callsDone = (): boolean => production.every((d) => d.acks >= opts.calls)
    let killCount = 0
    function kill(victim: Desk): void {
      const child = victim.child
      if (!child) return
      victim.killed = true
      killCount++
      lastFaultAt = Date.now()
      child.kill('SIGKILL')
      void victim.exited?.then(() =>
        setTimeout(
          () => {
            if (!victim.child && !victim.done) start(victim)
          },
          100 + rnd(300),
        ),
      )
    }
    let faultCount = 0
    let lastFaultAt = Date.now()
    const rnd = (n: number): number => Math.floor(Math.random() * n)

    // the storm: faults and kills until every desktop has made its calls
    while (!callsDone()) {
      if (Date.now() > deadline) throw new Error('fleet: calls not made in time')
      if (fatal) throw new Error(`fleet: a desktop failed\n${problems.join('\n')}`)
      await new Promise((r) => setTimeout(r, 250 + rnd(250)))
      if (faults && Math.random() < 0.6) {
        faultCount++
        lastFaultAt = Date.now()
        switch (rnd(5)) {
          case 0:
            prod.servers.weixin.addFault({ mode: 'http500', count: 2 + rnd(3) })
            break
          case 1:
            prod.servers.datacenter.addFault({ mode: 'drop', count: 1 + rnd(3) })
            break
          case 2:
            prod.servers.datacenter.addFault({ mode: 'http500', count: 2 + rnd(3) })
            break
          case 3: {
            const s = Math.random() < 0.5 ? prod.servers.weixin : prod.servers.datacenter
            await s.setOffline(true)
            setTimeout(() => void s.setOffline(false), 300 + rnd(700))
            break
          }
          default:
            prod.servers.datacenter.addFault({ mode: 'drop', count: 1, match: 'cst_follow_update' })
        }
      }
      if (kills && Math.random() < 0.2) {
        // others at random: one that has had time to get going and still has calls to make
        const ripe = production.filter(
          (d) => d.child && d.acks < opts.calls && Date.now() - d.startedAt > 2_500,
        )
        const victim = ripe[rnd(ripe.length)]
        if (victim) kill(victim)
      }
    }
    // the storm is over: no more faults; every desktop drains
    await prod.servers.weixin.clearFaults()
    await prod.servers.datacenter.clearFaults()
    await prod.servers.weixin.setOffline(false)
    await prod.servers.datacenter.setOffline(false)
    const quietFrom = Date.now()
    lastFaultAt = Math.max(lastFaultAt, quietFrom)
    await new Promise((r) => setTimeout(r, 500))
    // a desktop killed at the very end is started again to drain
    for (const desk of desks) if (!desk.done && !desk.child) start(desk)
    for (const desk of desks) {
      const left = deadline - Date.now()
      const exited = await Promise.race([
        desk.exited,
        new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), Math.max(1, left))),
      ])
      if (exited === 'timeout') throw new Error(`fleet: desk ${desk.cfg.desk} did not drain`)
      if (!desk.done) problems.push(`desk ${desk.cfg.desk} ended without draining`)
    }
    const drainMs = Date.now() - lastFaultAt

    result = {
      ...check(prod, training, desks, acks, problems),
      desktops: opts.desktops,
      kills: killCount,
      faults: faultCount,
      drainMs,
      problems,
    }
    return result
  } finally {
    for (const d of desks) d.child?.kill('SIGKILL')
    await prod.close()
    await training.close()
    if (result && result.problems.length === 0) fs.rmSync(work, { recursive: true, force: true })
    else log(`fleet: data dirs kept in ${work}`)
  }
}

type Checked = Omit<FleetResult, 'desktops' | 'kills' | 'faults' | 'drainMs' | 'problems'>

function check(
  prod: RunningSandbox,
  training: RunningSandbox,
  desks: Desk[],
  acks: Ack[],
  problems: string[],
): Checked {
  const wx = prod.servers.weixin.def.state() as { callbacks: { phone_no: string }[] }
  const dc = prod.servers.datacenter.def.state() as DataCenterState
  const uncertainIds = new Set(
    desks.flatMap((d) => (d.done ?? []).filter((i) => i.uncertain).map((i) => i.id)),
  )
  const callbacksOf = new Map<string, number>()
  for (const c of wx.callbacks) callbacksOf.set(c.phone_no, (callbacksOf.get(c.phone_no) ?? 0) + 1)
  const mobileOf = new Map(dc.customers.map((c) => [c.cstGUID, c.mobile]))
  const followsOf = new Map<string, number>()
  for (const f of dc.followUps) {
    if (!f.followContent.includes('fleet ')) continue
    const m = mobileOf.get(f.cstGUID) ?? '?'
    followsOf.set(m, (followsOf.get(m) ?? 0) + 1)
  }

  const prodAcks = acks.filter((a) => a.profile === 'A')
  const reported = new Set(
    desks.flatMap((d) =>
      (d.done ?? [])
        .filter((i) => i.kind === 'datacenter.report_call')
        .map((i) => `${d.cfg.desk}|${i.phone}`),
    ),
  )
  let lost = 0
  let duplicated = 0
  let uncertainDuplicates = 0
  for (const a of prodAcks) {
    const copies = callbacksOf.get(a.phone) ?? 0
    if (copies === 0) {
      lost++
      problems.push(`lost at weixin: desk ${a.desk} ${a.phone}`)
    } else if (copies > 1) {
      if (uncertainIds.has(a.id)) uncertainDuplicates += copies - 1
      else {
        duplicated += copies - 1
        const saves = prodAcks.filter((b) => b.phone === a.phone).length
        problems.push(
          `weixin ×${copies}, not marked uncertain: desk ${a.desk} ${a.phone}` +
            (saves > 1 ? ` (the desktop saved the number ${saves} times)` : ''),
        )
      }
    }
    const follows = followsOf.get(a.phone) ?? 0
    // the desktop reports to the Data Center only what it can (a landline has no report)
    if (!reported.has(`${a.desk}|${a.phone}`)) continue
    if (follows === 0) {
      lost++
      problems.push(`follow-up lost at the Data Center: desk ${a.desk} ${a.phone}`)
    } else if (follows > 1) {
      duplicated += follows - 1
      problems.push(`follow-up ×${follows} at the Data Center: desk ${a.desk} ${a.phone}`)
    }
  }

  const opps = new Map<string, number>()
  for (const o of dc.opportunities) {
    const k = `${o.cstGUID}|${o.projGUID}`
    opps.set(k, (opps.get(k) ?? 0) + 1)
  }
  let opportunityDuplicates = 0
  for (const [k, n] of opps) {
    if (n > 1) {
      opportunityDuplicates += n - 1
      problems.push(`opportunity ×${n}: ${k}`)
    }
  }

  // a 1013 is a collision when the SID was first used for another command or other data
  const firstBySid = new Map<string, { cmd: unknown; data: string; seq: number }>()
  let sidCollisions = 0
  for (const r of prod.servers.datacenter.getRecords()) {
    const note = r.note as
      { sid?: string; cmd?: string; data?: unknown; errcode?: number } | undefined
    if (!note?.sid) continue
    const data = JSON.stringify(note.data ?? null)
    const first = firstBySid.get(note.sid)
    if (!first) {
      if (note.errcode !== 1013) firstBySid.set(note.sid, { cmd: note.cmd, data, seq: r.seq })
      continue
    }
    if (note.errcode === 1013 && (first.cmd !== note.cmd || first.data !== data)) {
      sidCollisions++
      if (sidCollisions <= 5) {
        problems.push(
          `SID ${note.sid} answered 1013 for another command: first ${String(first.cmd)} ` +
            `${first.data.slice(0, 120)} (record ${first.seq}), then ${String(note.cmd)} ` +
            `${data.slice(0, 120)} (record ${r.seq})`,
        )
      }
    }
  }

  // training: nothing the training desk saved in training reached production
  const trainingAcks = acks.filter((a) => a.profile === 'B')
  const prodPhones = new Set(prodAcks.map((a) => a.phone))
  const seenAtProd = new Set<string>()
  for (const r of [...prod.servers.weixin.getRecords(), ...prod.servers.datacenter.getRecords()]) {
    const text = JSON.stringify([r.body, r.note ?? null])
    for (const a of trainingAcks) if (text.includes(a.phone)) seenAtProd.add(a.phone)
  }
  const trainingLeaks = [...seenAtProd].filter((p) => !prodPhones.has(p)).length
  if (trainingLeaks > 0) problems.push(`training saves at production: ${trainingLeaks}`)
  const twx = training.servers.weixin.def.state() as { callbacks: { phone_no: string }[] }
  for (const a of trainingAcks) {
    if (!twx.callbacks.some((c) => c.phone_no === a.phone)) {
      problems.push(`training save never reached training: ${a.phone}`)
    }
  }

  return {
    saves: prodAcks.length,
    lost,
    duplicated,
    uncertainDuplicates,
    sidCollisions,
    opportunityDuplicates,
    trainingLeaks,
    trainingSaves: trainingAcks.length,
  }
}

/** The BENCH lines `npm run fleet` and `npm run bench` print. */
export function benchLines(r: FleetResult): string[] {
  return [
    `BENCH fleet_desktops ${r.desktops} desktops`,
    `BENCH fleet_saves ${r.saves} saves`,
    `BENCH fleet_lost ${r.lost} saves`,
    `BENCH fleet_duplicated ${r.duplicated + r.opportunityDuplicates} records`,
    `BENCH fleet_uncertain_duplicates ${r.uncertainDuplicates} records`,
    `BENCH fleet_sid_collisions ${r.sidCollisions} commands`,
    `BENCH fleet_training_leaks ${r.trainingLeaks} saves`,
    `BENCH fleet_kills ${r.kills} kills`,
    `BENCH fleet_faults ${r.faults} faults`,
    `BENCH fleet_drain_ms ${r.drainMs} ms`,
  ]
}
