import path from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { DataCenterClient } from '../../../electron/core/datacenter/client'
import { AppError } from '../../../electron/core/app-error'
import { dataCenterError } from '../../../electron/core/datacenter/codes'
import { SequentialSidGenerator } from '../../../electron/core/datacenter/sid'
import {
  httpStatusError,
  invalidRequestError,
  networkError,
  notJsonError,
  RemoteError,
  remoteBusinessError,
  shapeError,
} from '../../../electron/core/errors'
import { WeixinClient } from '../../../electron/core/weixin/client'
import { consultantGuid, type DataCenterState } from '../../../electron/sandbox/datacenter'
import { startSandbox, type RunningSandbox } from '../../../electron/sandbox'
import { openDatabase, type AppDatabase } from '../../../electron/services/db/database'
import { RefCache } from '../../../electron/services/db/ref-cache'
import {
  customerGender,
  dataCenterTime,
  leadGender,
} from '../../../electron/services/outbox/datacenter-values'
import { createDeliverer } from '../../../electron/services/outbox/deliverer'
import type { DeliveryResult, OutboxConnections } from '../../../electron/services/outbox/delivery'
import {
  classifyDataCenterFailure,
  classifyWeixinFailure,
} from '../../../electron/services/outbox/failures'
import { OutboxStore } from '../../../electron/services/outbox/outbox-store'
import { ConsultantResolver } from '../../../electron/services/outbox/consultant-resolver'
import { ProjectResolver } from '../../../electron/services/outbox/project-resolver'
import { reportSteps, type ReportSteps } from '../../../electron/services/outbox/report-steps'
import type { OutboxRow } from '../../../electron/services/outbox/rows'
import type { EnqueueInput } from '../../../electron/services/outbox/types'
import { reportCall, savecallback, tempDir, unknownMobile } from './helpers'

describe('weixin failures', () => {
  const cases: [string, unknown, DeliveryResult['type'], 'online' | 'offline' | undefined][] = [
    ['refused (never arrived)', networkError('weixin', 'refused', false), 'retry', 'offline'],
    ['timeout before sending', networkError('weixin', 'timeout', false), 'retry', 'offline'],
    ['reset before sending', networkError('weixin', 'reset', false), 'retry', 'online'],
    ['answer lost (reset)', networkError('weixin', 'reset', true), 'maybe-delivered', 'online'],
    [
      'timeout after sending',
      networkError('weixin', 'timeout', true),
      'maybe-delivered',
      'offline',
    ],
    // an error page is an answer from a server that did not process the request
    ['HTTP 500', httpStatusError('weixin', 500), 'retry', 'online'],
    ['HTTP 502', httpStatusError('weixin', 502), 'retry', 'online'],
    ['an HTML page', notJsonError('weixin', '<html>'), 'retry', 'online'],
    // JSON cut short came from a server that did the work
    ['a truncated answer', notJsonError('weixin', '{"errmsg'), 'maybe-delivered', 'online'],
    [
      'a damaged answer',
      shapeError('weixin', 'errmsg', 'is not text'),
      'maybe-delivered',
      'online',
    ],
    [
      'signature',
      new RemoteError({ kind: 'signature', system: 'weixin', message: 'x' }),
      'maybe-delivered',
      'online',
    ],
    [
      'rate-limited',
      new RemoteError({ kind: 'rate-limited', system: 'weixin', message: '请求过于频繁' }),
      'retry',
      'online',
    ],
    ['传入数据错误', remoteBusinessError('weixin', '传入数据错误', 'bad-data'), 'failed', 'online'],
    [
      'invalid request',
      invalidRequestError('weixin', 'phone_no', '应为 11 位手机号码'),
      'failed',
      undefined,
    ],
    ['not a RemoteError', new Error('boom'), 'maybe-delivered', undefined],
  ]
  for (const [name, error, type, reach] of cases) {
    it(`${name} → ${type}`, () => {
      const r = classifyWeixinFailure(error)
      expect(r.type).toBe(type)
      expect(r.reach).toBe(reach)
      if (r.type !== 'delivered') expect(r.error.message).toBeTruthy()
    })
  }

  it('keeps the remote code and field for the agent', () => {
    const r = classifyWeixinFailure(remoteBusinessError('weixin', '传入数据错误', 'bad-data'))
    expect(r).toMatchObject({
      error: { kind: 'remote', message: '传入数据错误', code: 'bad-data' },
    })
  })
})

describe('Data Center failures', () => {
  const steps = (): ReportSteps =>
    reportSteps({
      projGUID: 'P',
      customer: { sid: 'S1', done: true, cstGUID: 'C' },
      lead: { sid: 'S2', done: false },
      opportunity: { sid: 'S3', done: false },
      follow: { sid: 'S4', done: false },
    })

  it('transport trouble retries under the same SIDs, never uncertain', () => {
    for (const e of [
      networkError('datacenter', 'reset', true),
      networkError('datacenter', 'refused', false),
      httpStatusError('datacenter', 502),
      notJsonError('datacenter', '{"trunc'),
      shapeError('datacenter', 'data', 'x'),
      dataCenterError(1009),
      new RemoteError({ kind: 'rate-limited', system: 'datacenter', message: 'x' }),
    ]) {
      const s = steps()
      const r = classifyDataCenterFailure(e, 'lead', s)
      expect([e.kind, r.type]).toEqual([e.kind, 'retry'])
      expect(s.lead.sid).toBe('S2')
    }
    expect(
      classifyDataCenterFailure(networkError('datacenter', 'refused', false), 'lead', steps())
        .reach,
    ).toBe('offline')
  })

  it('a §5 business error parks the item with the reason and retires that step SID', () => {
    const s = steps()
    const r = classifyDataCenterFailure(dataCenterError(9002), 'lead', s)
    expect(r).toMatchObject({ type: 'failed', error: { kind: 'remote', code: 9002 } })
    if (r.type === 'failed') expect(r.error.message).toBe('数据中心：非法手机号码（线索上报）')
    expect(s.lead.sid).toBeNull()
    expect(s.opportunity.sid).toBe('S3')
  })

  it('passing server trouble (1005) retries with a new SID for the step', () => {
    const s = steps()
    expect(classifyDataCenterFailure(dataCenterError(1005), 'follow', s).type).toBe('retry')
    expect(s.follow.sid).toBeNull()
  })

  it('4001: the project is looked up again', () => {
    const s = steps()
    let invalidated = 0
    const r = classifyDataCenterFailure(dataCenterError(4001), 'lead', s, {
      onUnknownProject: () => invalidated++,
    })
    expect(r.type).toBe('failed')
    expect(s.projGUID).toBeUndefined()
    expect(invalidated).toBe(1)
  })

  it('a request rejected before sending parks it; a SID of another appid is replaced at once', () => {
    expect(
      classifyDataCenterFailure(
        dataCenterError(1002, { kind: 'invalid-request', field: 'x' }),
        'lead',
        steps(),
      ).type,
    ).toBe('failed')
    const s = steps()
    const bad = new RemoteError({
      ...dataCenterError(1015, { kind: 'invalid-request' }).toJSON(),
      field: 'sid',
    })
    const r = classifyDataCenterFailure(bad, 'lead', s)
    expect(r).toMatchObject({ type: 'retry', immediate: true })
    expect([s.customer.sid, s.lead.sid, s.opportunity.sid, s.follow.sid]).toEqual([
      'S1',
      null,
      null,
      null,
    ])
  })

  it('an unexpected exception retries; a step that could not be saved says why', () => {
    expect(classifyDataCenterFailure(new Error('boom'), 'follow', steps()).type).toBe('retry')
    const full = new AppError(
      'storage',
      '保存同步进度失败：磁盘空间已满，记录未能保存到本机。请清理磁盘空间后重试',
    )
    expect(classifyDataCenterFailure(full, 'follow', steps())).toMatchObject({
      type: 'retry',
      error: { kind: 'storage', message: `${full.message}（跟进信息上报）` },
    })
  })
})

describe('helpers', () => {
  it('gender: never guessed — cst_info_create gets 1/2 from the payload or the 称呼, else null (ask); the lead keeps 0', () => {
    expect(customerGender(2, '王先生')).toBe(2)
    expect(customerGender(1, '王女士')).toBe(1)
    expect(customerGender(0, '王女士')).toBe(2)
    expect(customerGender(0, '李小姐')).toBe(2)
    expect(customerGender(0, '王先生')).toBe(1)
    expect(customerGender(0, '王小明')).toBeNull()
    expect(leadGender(0, '王小明')).toBe(0)
    expect(leadGender(0, '王先生')).toBe(1)
    expect(leadGender(0, '王太太')).toBe(2)
    expect(leadGender(2, '王先生')).toBe(2)
  })

  it('followTime: the Data Center format, Beijing time', () => {
    expect(dataCenterTime('2026-11-22 10:15:00')).toBe('2026-11-22 10:15:00')
    expect(dataCenterTime('2026-11-22T02:15:00.000Z')).toBe('2026-11-22 10:15:00')
    expect(dataCenterTime('yesterday')).toBeNull()
  })
})

// --- against the sandbox ---

let sb: RunningSandbox
let db: AppDatabase
let store: OutboxStore
let conns: OutboxConnections
let resolver: ProjectResolver
let consultants: ConsultantResolver
let listings = 0

beforeAll(async () => {
  sb = await startSandbox({ seed: 7, today: '2026-11-22' })
})
afterAll(async () => {
  await sb.close()
})

beforeEach(async () => {
  await sb.servers.datacenter.reset()
  await sb.servers.weixin.reset()
  db = openDatabase(path.join(tempDir(), 'callcenter.db'))
  store = new OutboxStore(db)
  const p = sb.profile
  const dc = new DataCenterClient({
    ...p.datacenter!,
    sid: new SequentialSidGenerator({ appid: p.datacenter!.appid }),
    timeoutMs: 3_000,
  })
  // counts base_project_list calls, to see the cache at work
  listings = 0
  const counting: OutboxConnections['datacenter'] = {
    nextSid: () => dc.nextSid(),
    call: ((cmd: string, data: unknown, opts: unknown) => {
      if (cmd === 'base_project_list') listings++
      return dc.call(cmd as never, data as never, opts as never)
    }) as DataCenterClient['call'],
  }
  conns = {
    weixin: new WeixinClient({ baseUrl: p.weixin.baseUrl, timeoutMs: 3_000 }),
    datacenter: counting,
  }
  resolver = new ProjectResolver({ cache: new RefCache(db), minRefreshMs: 60_000 })
  consultants = new ConsultantResolver({ cache: new RefCache(db), minRefreshMs: 60_000 })
})
afterEach(() => db.close())

const deliverer = () => createDeliverer({ projects: resolver, consultants })

/** One attempt the way the engine makes it: claim (SIDs stored), deliver, record. */
async function attempt(id: string): Promise<{ result: DeliveryResult; row: OutboxRow }> {
  const d = deliverer()
  const [row] = store.transaction(() =>
    store.claim({ limit: 100, prepare: (r) => d.prepare?.(r, conns) }).filter((r) => r.id === id),
  )
  if (!row) throw new Error(`${id} is not deliverable`)
  const result = await d.deliver(row, { conns, saveSteps: (s) => store.saveSteps(row.id, s) })
  const outcome =
    result.type === 'delivered'
      ? { type: 'delivered' as const, result: result.result, steps: result.steps }
      : result.type === 'failed'
        ? { type: 'failed' as const, error: result.error, steps: result.steps }
        : { type: result.type, error: result.error, delayMs: 0, steps: result.steps }
  store.applyOutcome(row.id, outcome)
  return { result, row: store.get(row.id)! }
}

function enqueue(item: EnqueueInput): string {
  return store.enqueue([item])[0]!.id
}

const dcState = (): DataCenterState => sb.servers.datacenter.def.state() as DataCenterState
const cmds = (from = 0): string[] =>
  sb.servers.datacenter
    .getRecords()
    .slice(from)
    .map((r) => `${String(r.note?.cmd)}:${String(r.note?.errcode)}`)
const project = () => sb.world.projects[0]!
/** agent 00006's Data Center consultant */
const agent = () => consultantGuid(sb.world.seed, '00006')

describe('report_call against the sandbox', () => {
  it('a new customer: project looked up, customer, lead, opportunity and follow-up created', async () => {
    const mobile = unknownMobile(sb.world)
    const id = enqueue(reportCall(mobile, { customerName: '赵女士', followContent: '新客户跟进' }))
    const { result, row } = await attempt(id)
    expect(result.type).toBe('delivered')
    expect(row.state).toBe('delivered')
    expect(cmds()).toEqual([
      'base_project_list:0',
      'base_consultant_list:0',
      'cst_info_get:1012',
      'cst_info_create:0',
      's_lead_identify:0',
      's_lead_create:0',
      'opportunity_info_query:0',
      'opportunity_info_create:0',
      'cst_follow_update:0',
    ])
    const st = dcState()
    const customer = st.customers.find((c) => c.mobile === mobile)!
    // the agent's 工号 00006 reported as its Data Center consultant
    expect(customer).toMatchObject({ customerName: '赵女士', gender: 2, userGUID: agent() })
    expect(st.leads.filter((l) => l.cstTel === mobile)).toEqual([
      expect.objectContaining({
        projGUID: project().projGUID,
        consultantId: agent(),
        cstType: '个人',
        cstGender: 2,
        leadSource: '来电',
        topic: '外呼跟进',
      }),
    ])
    const opp = st.opportunities.find((o) => o.cstGUID === customer.cstGUID)!
    expect(opp).toMatchObject({ status: '问询', cstWill: 'B', projGUID: project().projGUID })
    expect(st.followUps.filter((f) => f.cstGUID === customer.cstGUID)).toEqual([
      expect.objectContaining({
        oppGUID: opp.oppGUID,
        followType: 1,
        followContent: '新客户跟进',
        followTime: '2026-11-22 10:15:00',
        userGUID: agent(),
      }),
    ])
    expect(row.result).toMatchObject({ cstGUID: customer.cstGUID, oppGUID: opp.oppGUID })
  })

  it('an existing customer, then a second call: no create; the lead and opportunity are reused', async () => {
    const known = [...sb.world.people.values()].find((p) => p.cstGUID)!
    const first = await attempt(enqueue(reportCall(known.phone)))
    expect(first.result.type).toBe('delivered')
    expect(cmds()).not.toContain('cst_info_create:0')
    expect(cmds()).toContain('s_lead_create:0')
    const from = sb.servers.datacenter.getRecords().length
    const second = await attempt(enqueue(reportCall(known.phone, { followContent: '第二次' })))
    expect(second.result.type).toBe('delivered')
    // the project and consultant maps came from the cache: no second listing; the opportunity
    // is found and, the 客户意向 being the same, left as it is
    expect(cmds(from)).toEqual([
      'cst_info_get:0',
      's_lead_identify:0',
      'opportunity_info_query:0',
      'cst_follow_update:0',
    ])
    expect(listings).toBe(1)
    const st = dcState()
    expect(st.leads.filter((l) => l.cstTel === known.phone)).toHaveLength(1)
    const opps = st.opportunities.filter(
      (o) => o.cstGUID === known.cstGUID && o.projGUID === project().projGUID,
    )
    expect(opps).toHaveLength(1)
    expect((second.row.result as { oppGUID: string }).oppGUID).toBe(opps[0]!.oppGUID)
  })

  const drops: [string, (st: DataCenterState, mobile: string) => number][] = [
    ['cst_info_create', (st, m) => st.customers.filter((c) => c.mobile === m).length],
    ['s_lead_create', (st, m) => st.leads.filter((l) => l.cstTel === m).length],
    [
      'opportunity_info_create',
      (st, m) => {
        const c = st.customers.find((x) => x.mobile === m)
        return st.opportunities.filter((o) => o.cstGUID === c?.cstGUID).length
      },
    ],
    [
      'cst_follow_update',
      (st, m) => {
        const c = st.customers.find((x) => x.mobile === m)
        return st.followUps.filter((f) => f.cstGUID === c?.cstGUID).length
      },
    ],
  ]
  for (const [cmd, count] of drops) {
    it(`${cmd}: the answer is lost (drop) → retried under the same SID → 1013 → done once`, async () => {
      const mobile = unknownMobile(sb.world, 13_800_000_000 + cmd.length * 1000)
      const id = enqueue(reportCall(mobile, { followContent: `drop ${cmd}` }))
      sb.servers.datacenter.addFault({ mode: 'drop', match: cmd, count: 1 })
      const first = await attempt(id)
      expect(first.result).toMatchObject({ type: 'retry', error: { kind: 'network' } })
      expect(first.row.state).toBe('pending') // never uncertain
      const steps = reportSteps(first.row.steps)
      const stepOf: Record<string, keyof ReportSteps> = {
        cst_info_create: 'customer',
        s_lead_create: 'lead',
        opportunity_info_create: 'opportunity',
        cst_follow_update: 'follow',
      }
      const step = steps[stepOf[cmd]!] as { sid: string | null; done: boolean }
      expect(step.done).toBe(false)
      const sentSid = sb.servers.datacenter
        .getRecords()
        .filter((r) => r.note?.cmd === cmd)
        .map((r) => r.note?.sid)
      expect(sentSid).toEqual([step.sid])
      const from = sb.servers.datacenter.getRecords().length

      const second = await attempt(id)
      expect(second.result.type).toBe('delivered')
      expect(count(dcState(), mobile)).toBe(1)
      const again = cmds(from)
      // resumed at the unfinished step: the finished ones are not asked again
      // 1013 alone proves nothing: each is confirmed by a read that finds the record
      const confirmedBy: Record<string, string> = {
        cst_info_create: 'cst_info_get:0',
        s_lead_create: 's_lead_identify:0',
        cst_follow_update: 'cst_identify:0',
      }
      if (cmd === 'opportunity_info_create') {
        // the opportunity is looked up before any create: the lost one is found, not re-sent
        expect(again).toEqual(['opportunity_info_query:0', 'cst_follow_update:0'])
      } else {
        expect(again.slice(0, 2)).toEqual([`${cmd}:1013`, confirmedBy[cmd]])
      }
      if (cmd === 'cst_follow_update') expect(again).toHaveLength(2)
    })
  }

  it('after a crash the unanswered mark is lost: the lookups find what the lost tries created', async () => {
    const mobile = unknownMobile(sb.world, 13_700_000_000)
    const id = enqueue(reportCall(mobile))
    sb.servers.datacenter.addFault({ mode: 'drop', match: 'cst_info_create', count: 1 })
    const first = await attempt(id)
    // as if the retry outcome had never been committed: the steps as stored at the claim
    const steps = reportSteps(first.row.steps)
    expect(steps.customer.sent).toBe(true)
    delete steps.customer.sent
    store.saveSteps(id, steps)
    const from = sb.servers.datacenter.getRecords().length
    await attempt(id)
    expect(cmds(from).slice(0, 2)).toEqual(['cst_info_get:0', 's_lead_identify:0'])
    expect(dcState().customers.filter((c) => c.mobile === mobile)).toHaveLength(1)
  })

  it('an unknown project parks the item with its name; corrected by the agent, it goes', async () => {
    const mobile = unknownMobile(sb.world, 13_600_000_000)
    const id = enqueue(reportCall(mobile, { projectName: '不存在的楼盘' }))
    const { result, row } = await attempt(id)
    expect(result).toMatchObject({
      type: 'failed',
      error: { message: '数据中心没有名为「不存在的楼盘」的项目', field: 'projectName' },
    })
    expect(row.state).toBe('failed')
    expect(cmds()).toEqual(['base_project_list:0'])
    // an agent retry soon after does not list the projects again
    store.retry(id)
    await attempt(id)
    expect(listings).toBe(1)
    store.edit(id, { projectName: project().pro_name })
    expect((await attempt(id)).row.state).toBe('delivered')
  })

  it('a projGUID the Data Center does not know (4001, an old map): parked, then looked up again', async () => {
    new RefCache(db).put('datacenter.projects:301', {
      fetchedAt: Date.now(),
      byName: { [project().pro_name]: 'f0000000-0000-4000-8000-000000000000' },
    })
    const id = enqueue(reportCall(unknownMobile(sb.world, 13_400_000_000)))
    const first = await attempt(id)
    expect(first.row).toMatchObject({ state: 'failed', lastError: { code: 4001 } })
    expect(listings).toBe(0)
    store.retry(id)
    const second = await attempt(id)
    expect(second.row.state).toBe('delivered')
    expect(listings).toBe(1)
    expect((second.row.result as { projGUID: string }).projGUID).toBe(project().projGUID)
  })

  it('a business error parks the item with the Chinese reason (9002 非法手机号码)', async () => {
    const id = enqueue(reportCall('1234567'))
    const { result, row } = await attempt(id)
    expect(row.state).toBe('failed')
    expect(result).toMatchObject({ type: 'failed', error: { kind: 'remote', code: 9002 } })
    expect(row.lastError?.message).toBe('数据中心：非法手机号码（客户资料）')
    // the SID the Data Center answered is retired: a retry is a new request, not a 1013
    const answered = sb.servers.datacenter
      .getRecords()
      .find((r) => r.note?.cmd === 'cst_info_create')
    store.retry(id)
    const d = deliverer()
    const [again] = store.transaction(() =>
      store.claim({ limit: 1, prepare: (r) => d.prepare?.(r, conns) }),
    )
    expect(reportSteps(again!.steps).customer.sid).not.toBe(answered?.note?.sid)
  })

  it('the Data Center offline: retried later under the same SIDs', async () => {
    const id = enqueue(reportCall(unknownMobile(sb.world, 13_500_000_000)))
    await sb.servers.datacenter.setOffline(true)
    try {
      const { result, row } = await attempt(id)
      expect(result).toMatchObject({ type: 'retry', reach: 'offline' })
      expect(row.state).toBe('pending')
      const sids = reportSteps(row.steps)
      await sb.servers.datacenter.setOffline(false)
      const second = await attempt(id)
      expect(second.row.state).toBe('delivered')
      expect(reportSteps(second.row.steps).follow.sid).toBe(sids.follow.sid)
    } finally {
      await sb.servers.datacenter.setOffline(false)
    }
  })

  it('no Data Center configured: parked with a reason', async () => {
    const id = enqueue(reportCall('13900000099'))
    conns = { ...conns, datacenter: null }
    const { result } = await attempt(id)
    expect(result).toMatchObject({ type: 'failed', error: { kind: 'config' } })
  })
})

describe('weixin against the sandbox', () => {
  const pkg = () => project().packages[0]!
  const item = (phone: string, callbackItem = '继续跟进'): EnqueueInput => {
    const s = savecallback(phone, '王先生', callbackItem)
    return {
      ...s,
      payload: { ...s.payload, package_id: pkg().package_id, pro_id: project().pro_id },
    } as EnqueueInput
  }

  it('delivered; 传入数据错误 parks it; a lost answer is maybe-delivered; refused is a plain retry', async () => {
    expect((await attempt(enqueue(item('13900000101')))).row.state).toBe('delivered')
    const bad = await attempt(enqueue(item('13900000102', '不在列表里')))
    expect(bad.row).toMatchObject({
      state: 'failed',
      lastError: { kind: 'remote', message: '传入数据错误' },
    })
    sb.servers.weixin.addFault({ mode: 'drop', match: 'savecallback', count: 1 })
    const lost = await attempt(enqueue(item('13900000103')))
    expect(lost.row).toMatchObject({ state: 'uncertain', uncertain: true })
    // an HTTP 500 proves the server did not process it: a plain retry, never uncertain
    sb.servers.weixin.addFault({ mode: 'http500', match: 'savecallback', count: 1 })
    expect((await attempt(enqueue(item('13900000104')))).row).toMatchObject({
      state: 'pending',
      uncertain: false,
    })
    await sb.servers.weixin.setOffline(true)
    try {
      const refused = await attempt(enqueue(item('13900000105')))
      expect(refused.result).toMatchObject({ type: 'retry', reach: 'offline' })
      expect(refused.row).toMatchObject({ state: 'pending', uncertain: false })
    } finally {
      await sb.servers.weixin.setOffline(false)
    }
    const callbacks = sb.servers.weixin.def.state() as { callbacks: { phone_no: string }[] }
    expect(callbacks.callbacks.map((c) => c.phone_no)).toEqual(['13900000101', '13900000103'])
  })
})

describe('base_project_list', () => {
  it('the client reads every page; the sandbox serves the seeded projects', async () => {
    const p = sb.profile
    const dc = new DataCenterClient({
      ...p.datacenter!,
      sid: new SequentialSidGenerator({ appid: p.datacenter!.appid }),
    })
    const page1 = await dc.baseProjectList({ page: 1, pageSize: 5 })
    expect(page1.page).toBe(1)
    expect(page1.totalPage).toBe(Math.ceil(sb.world.projects.length / 5))
    expect(page1.list[0]).toMatchObject({
      projGUID: project().projGUID,
      projName: project().pro_name,
      status: 1,
    })
    const later = await dc.baseProjectList({ syncTime: '2026-11-22 00:00:00' })
    expect(later.list).toEqual([])
    const r = new ProjectResolver({ pageSize: 5 })
    const last = sb.world.projects[sb.world.projects.length - 1]!
    expect(await r.resolve(dc, '301', ` ${last.pro_name} `)).toBe(last.projGUID)
    expect(await r.resolve(dc, '301', '万科')).toBeNull() // exact names only
  })
})
