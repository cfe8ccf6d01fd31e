import path from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { DataCenterClient } from '../../../electron/core/datacenter/client'
import { SequentialSidGenerator } from '../../../electron/core/datacenter/sid'
import { WeixinClient } from '../../../electron/core/weixin/client'
import { startSandbox, type RunningSandbox } from '../../../electron/sandbox'
import { consultantGuid, type DataCenterState } from '../../../electron/sandbox/datacenter'
import { openDatabase, type AppDatabase } from '../../../electron/services/db/database'
import { RefCache } from '../../../electron/services/db/ref-cache'
import { ConsultantResolver } from '../../../electron/services/outbox/consultant-resolver'
import { createDeliverer } from '../../../electron/services/outbox/deliverer'
import type { OutboxConnections } from '../../../electron/services/outbox/delivery'
import { OutboxStore } from '../../../electron/services/outbox/outbox-store'
import { ProjectResolver } from '../../../electron/services/outbox/project-resolver'
import { reportSteps, type ReportSteps } from '../../../electron/services/outbox/report-steps'
import type { OutboxRow } from '../../../electron/services/outbox/rows'
import { reportCall, tempDir, unknownMobile } from './helpers'

/**
 * The Data Center report as the document has it, against the sandbox: every 1013 confirmed by a
 * read (found → done; not there → a new SID), the opportunity looked up and updated rather than
 * created again, its status never moved back, the consultant mapped from the 工号, and a gender
 * that is not known never guessed.
 */

let sb: RunningSandbox
let db: AppDatabase
let store: OutboxStore
let conns: OutboxConnections
let dc: DataCenterClient
let sidGen: SequentialSidGenerator
let projects: ProjectResolver
let consultants: ConsultantResolver

beforeAll(async () => {
  sb = await startSandbox({ seed: 11, today: '2026-11-22' })
})
afterAll(async () => {
  await sb.close()
})
beforeEach(async () => {
  await sb.servers.datacenter.reset()
  db = openDatabase(path.join(tempDir(), 'callcenter.db'))
  store = new OutboxStore(db)
  const p = sb.profile
  sidGen = new SequentialSidGenerator({ appid: p.datacenter!.appid })
  dc = new DataCenterClient({
    ...p.datacenter!,
    sid: sidGen,
    timeoutMs: 3_000,
  })
  conns = {
    weixin: new WeixinClient({ baseUrl: p.weixin.baseUrl, timeoutMs: 3_000 }),
    datacenter: dc,
  }
  projects = new ProjectResolver({ cache: new RefCache(db), minRefreshMs: 60_000 })
  consultants = new ConsultantResolver({ cache: new RefCache(db), minRefreshMs: 60_000 })
})
afterEach(() => db.close())

const dcState = (): DataCenterState => sb.servers.datacenter.def.state() as DataCenterState
const cmds = (from = 0): string[] =>
  sb.servers.datacenter
    .getRecords()
    .slice(from)
    .map((r) => `${String(r.note?.cmd)}:${String(r.note?.errcode)}`)
const mark = (): number => sb.servers.datacenter.getRecords().length
const project = () => sb.world.projects[0]!
const customerOf = (mobile: string) => dcState().customers.find((c) => c.mobile === mobile)!

/**
 * One attempt the way the engine makes it; `meanwhile` runs between the claim (SIDs stored) and
 * the send, as another desktop's commands would.
 */
async function attempt(
  id: string,
  meanwhile?: (steps: ReportSteps) => Promise<void>,
): Promise<OutboxRow> {
  const d = createDeliverer({ projects, consultants })
  const [row] = store.transaction(() =>
    store.claim({ limit: 100, prepare: (r) => d.prepare?.(r, conns) }).filter((r) => r.id === id),
  )
  if (!row) throw new Error(`${id} is not deliverable`)
  await meanwhile?.(reportSteps(row.steps))
  const result = await d.deliver(row, { conns, saveSteps: (s) => store.saveSteps(row.id, s) })
  store.applyOutcome(
    row.id,
    result.type === 'delivered'
      ? { type: 'delivered', result: result.result, steps: result.steps }
      : result.type === 'failed'
        ? { type: 'failed', error: result.error, steps: result.steps }
        : { type: result.type, error: result.error, delayMs: 0, steps: result.steps },
  )
  return store.get(row.id)!
}

const enqueue = (...args: Parameters<typeof reportCall>): string =>
  store.enqueue([reportCall(...args)])[0]!.id

/** Another desktop's command under this SID: the Data Center has now seen it. */
async function occupy(sid: string | null): Promise<void> {
  if (!sid) throw new Error('the step has no SID')
  await dc.call('cst_info_get', { mobile: '13000000000' }, { sid }).catch(() => undefined)
}

describe('1013 is never taken alone as delivery', () => {
  const cases: [keyof ReportSteps & string, string, string][] = [
    ['customer', 'cst_info_create', 'cst_info_get:1012'],
    ['lead', 's_lead_create', 's_lead_identify:0'],
    ['opportunity', 'opportunity_info_create', 'opportunity_info_query:0'],
    ['follow', 'cst_follow_update', 'cst_identify:0'],
  ]
  for (const [step, cmd, read] of cases) {
    it(`${cmd}: its SID taken by another desktop → 1013 → ${read.split(':')[0]} finds nothing → re-sent under a new SID`, async () => {
      const mobile = unknownMobile(sb.world, 13_300_000_000 + cmd.length * 100)
      const id = enqueue(mobile, { customerName: '钱先生', followContent: `撞号 ${cmd}` })
      let taken = ''
      const lane = sidGen.lane
      const from = mark()
      const row = await attempt(id, async (steps) => {
        const s = steps[step] as { sid: string | null }
        taken = s.sid!
        await occupy(s.sid)
      })
      expect(row.state).toBe('delivered')
      const seen = cmds(from)
      const at = seen.indexOf(`${cmd}:1013`)
      expect(seen.slice(at, at + 3)).toEqual([`${cmd}:1013`, read, `${cmd}:0`])
      const steps = reportSteps(row.steps)
      const s = steps[step] as { sid: string; resent?: number; duplicate?: boolean }
      expect(s.sid).not.toBe(taken)
      expect([s.resent, s.duplicate]).toEqual([1, undefined])
      // the installation moved off the lane it shared with the other desktop
      expect(sidGen.lane).not.toBe(lane)
      // the record exists once, sent under the new SID
      const sent = sb.servers.datacenter
        .getRecords()
        .filter((r) => r.note?.cmd === cmd && r.note.errcode === 0)
      expect(sent.map((r) => r.note?.sid)).toEqual([s.sid])
      const c = customerOf(mobile)
      const st = dcState()
      expect(st.customers.filter((x) => x.mobile === mobile)).toHaveLength(1)
      expect(st.leads.filter((l) => l.cstTel === mobile)).toHaveLength(1)
      expect(st.opportunities.filter((o) => o.cstGUID === c.cstGUID)).toHaveLength(1)
      expect(st.followUps.filter((f) => f.cstGUID === c.cstGUID)).toHaveLength(1)
    })
  }

  it('opportunity_info_update: its SID taken → 1013 → the query by oppGUID shows the old 意向 → re-sent', async () => {
    const mobile = unknownMobile(sb.world, 13_310_000_000)
    expect((await attempt(enqueue(mobile, { cstWill: 'C' }))).state).toBe('delivered')
    const id = enqueue(mobile, { cstWill: 'A', followContent: '第二通' })
    const from = mark()
    const row = await attempt(id, (steps) => occupy(steps.opportunity.sid))
    expect(row.state).toBe('delivered')
    expect(cmds(from)).toEqual([
      'cst_info_get:1012', // the occupying command
      'cst_info_get:0',
      's_lead_identify:0',
      'opportunity_info_query:0',
      'opportunity_info_update:1013',
      'opportunity_info_query:0',
      'opportunity_info_update:0',
      'cst_follow_update:0',
    ])
    const c = customerOf(mobile)
    expect(dcState().opportunities.filter((o) => o.cstGUID === c.cstGUID)).toEqual([
      expect.objectContaining({ cstWill: 'A', status: '问询' }),
    ])
  })

  it('a 1013 whose record is there (an earlier try arrived) is delivered once, no re-send', async () => {
    const mobile = unknownMobile(sb.world, 13_320_000_000)
    const id = enqueue(mobile)
    sb.servers.datacenter.addFault({ mode: 'drop', match: 'cst_follow_update', count: 1 })
    expect((await attempt(id)).state).toBe('pending')
    const from = mark()
    const row = await attempt(id)
    expect(row.state).toBe('delivered')
    expect(cmds(from)).toEqual(['cst_follow_update:1013', 'cst_identify:0'])
    expect(reportSteps(row.steps).follow).toMatchObject({ duplicate: true, done: true })
    const c = customerOf(mobile)
    expect(dcState().followUps.filter((f) => f.cstGUID === c.cstGUID)).toHaveLength(1)
  })

  it('a read whose fresh SID was taken is asked again under another one', async () => {
    const id = enqueue(unknownMobile(sb.world, 13_330_000_000))
    // the customer lookup's fresh SID is one another desktop has just used
    const taken = dc.nextSid()
    await occupy(taken)
    let first = true
    conns = {
      ...conns,
      datacenter: {
        nextSid: () => dc.nextSid(),
        call: ((cmd: string, data: never, opts: { sid?: string }) => {
          const steal = cmd === 'cst_info_get' && first
          if (steal) first = false
          return dc.call(cmd as never, data, steal ? { ...opts, sid: taken } : opts)
        }) as DataCenterClient['call'],
      },
    }
    const from = mark()
    const row = await attempt(id)
    expect(row.state).toBe('delivered')
    const seen = cmds(from)
    expect(seen.slice(2, 4)).toEqual(['cst_info_get:1013', 'cst_info_get:1012'])
    expect(seen).toContain('cst_info_create:0')
  })
})

describe('the opportunity as the document has it', () => {
  it('a second call finds the opportunity and updates its 意向; 签约 stays 签约', async () => {
    const mobile = unknownMobile(sb.world, 13_340_000_000)
    const first = await attempt(enqueue(mobile, { cstWill: 'C' }))
    const { oppGUID, cstGUID } = first.result as { oppGUID: string; cstGUID: string }
    // the sales office signs the customer meanwhile
    await dc.opportunityInfoUpdate({
      oppGUID,
      cstGUID,
      projGUID: project().projGUID,
      userGUID: consultantGuid(sb.world.seed, '00007'),
      status: '签约',
      cstWill: 'C',
    })
    const from = mark()
    const second = await attempt(enqueue(mobile, { cstWill: 'A', followContent: '签约后回访' }))
    expect(second.state).toBe('delivered')
    expect(cmds(from)).toContain('opportunity_info_update:0')
    expect(cmds(from)).not.toContain('opportunity_info_create:0')
    expect(dcState().opportunities.filter((o) => o.cstGUID === cstGUID)).toEqual([
      expect.objectContaining({
        oppGUID,
        status: '签约',
        cstWill: 'A',
        // the opportunity's own consultant is kept
        userGUID: consultantGuid(sb.world.seed, '00007'),
      }),
    ])
    expect((second.result as { oppGUID: string }).oppGUID).toBe(oppGUID)
    const follows = dcState().followUps.filter((f) => f.cstGUID === cstGUID)
    expect(follows.map((f) => f.oppGUID)).toEqual([oppGUID, oppGUID])
  })
})

describe('the consultant is a Data Center consultant', () => {
  it('an unknown 工号 is parked in plain Chinese before any write, and not listed again at once', async () => {
    const id = enqueue(unknownMobile(sb.world, 13_350_000_000), { userNum: '99999' })
    const row = await attempt(id)
    expect(row.state).toBe('failed')
    expect(row.lastError).toMatchObject({ code: 4002, field: 'userNum' })
    expect(row.lastError?.message).toBe(
      '数据中心没有工号 99999 的置业顾问（置业顾问不存在），跟进无法上报。请管理员在数据中心为该工号开通置业顾问后，在同步面板点“重试”',
    )
    expect(cmds()).toEqual(['base_project_list:0', 'base_consultant_list:0'])
    store.retry(id)
    await attempt(id)
    expect(cmds().filter((c) => c.startsWith('base_consultant_list'))).toHaveLength(1)
  })

  it('a disabled consultant (停用) is parked with that reason', async () => {
    const row = await attempt(
      enqueue(unknownMobile(sb.world, 13_360_000_000), { userNum: '00009' }),
    )
    expect(row.lastError?.message).toContain('工号 00009 的置业顾问已停用')
  })

  it('4002 from the Data Center (a stale map): parked, never retried blindly; the retry maps again', async () => {
    new RefCache(db).put('datacenter.consultants:301', {
      fetchedAt: Date.now(),
      byName: { '00006': 'f0000000-0000-4000-8000-00000000dead' },
    })
    const id = enqueue(unknownMobile(sb.world, 13_370_000_000))
    const first = await attempt(id)
    expect(first.state).toBe('failed')
    expect(first.lastError).toMatchObject({ code: 4002 })
    expect(first.lastError?.message).toContain('数据中心不认识这个工号对应的置业顾问')
    expect(reportSteps(first.steps).userGUID).toBeUndefined()
    expect(cmds().filter((c) => c === 'cst_follow_update:4002')).toHaveLength(1)
    store.retry(id)
    const second = await attempt(id)
    expect(second.state).toBe('delivered')
    expect(cmds()).toContain('base_consultant_list:0')
  })
})

describe('gender is never guessed', () => {
  it('a new customer of unknown gender is parked for the agent; with the gender picked, it goes', async () => {
    const mobile = unknownMobile(sb.world, 13_380_000_000)
    const id = enqueue(mobile, { customerName: '王小明', gender: 0 })
    const row = await attempt(id)
    expect(row.state).toBe('failed')
    expect(row.lastError).toMatchObject({ kind: 'invalid-request', field: 'gender' })
    expect(cmds()).not.toContain('cst_info_create:0')
    store.edit(id, { gender: '2' })
    expect((await attempt(id)).state).toBe('delivered')
    expect(customerOf(mobile).gender).toBe(2)
  })

  it('a known customer of unknown gender goes as it is; the lead says 0 未知', async () => {
    const known = [...sb.world.people.values()].find((p) => p.cstGUID)!
    const row = await attempt(enqueue(known.phone, { customerName: '王小明', gender: 0 }))
    expect(row.state).toBe('delivered')
    expect(dcState().leads.filter((l) => l.cstTel === known.phone)).toEqual([
      expect.objectContaining({ cstGender: 0 }),
    ])
  })

  it('the gender the agent picked (in the payload) wins over the 称呼', async () => {
    const mobile = unknownMobile(sb.world, 13_390_000_000)
    expect((await attempt(enqueue(mobile, { customerName: '李先生', gender: 2 }))).state).toBe(
      'delivered',
    )
    expect(customerOf(mobile).gender).toBe(2)
    expect(dcState().leads.find((l) => l.cstTel === mobile)?.cstGender).toBe(2)
  })
})
