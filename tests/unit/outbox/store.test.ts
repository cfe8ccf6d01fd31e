import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { AppError } from '../../../electron/core/app-error'
import { openDatabase, type AppDatabase } from '../../../electron/services/db/database'
import { OutboxStore } from '../../../electron/services/outbox/outbox-store'
import {
  toOutboxItem,
  type OutboxError,
  type OutboxRow,
} from '../../../electron/services/outbox/rows'
import { createSyncService } from '../../../electron/services/outbox/sync-service'
import { outboxItemSchema, syncStatusSchema } from '../../../shared/domain'
import { createOutbox } from '../../../electron/services/outbox'
import { memoryLog, reportCall, saveToCustomer, savecallback, tempDir } from './helpers'

let db: AppDatabase
let store: OutboxStore
let t: number

beforeEach(() => {
  db = openDatabase(path.join(tempDir(), 'callcenter.db'))
  t = Date.parse('2026-11-22T02:00:00Z')
  store = new OutboxStore(db, { now: () => t })
})
afterEach(() => db.close())

const err: OutboxError = { kind: 'network', message: '置业外呼服务：无法连接服务器' }

function thrown(f: () => unknown): AppError {
  try {
    f()
  } catch (e) {
    expect(e).toBeInstanceOf(AppError)
    return e as AppError
  }
  throw new Error('expected a failure')
}

/** claim one batch in a transaction, as the engine does */
const claim = (limit = 10, kinds?: Parameters<OutboxStore['claim']>[0]['kinds']): OutboxRow[] =>
  store.transaction(() => store.claim({ limit, ...(kinds ? { kinds } : {}) }))
const ids = (rows: OutboxRow[]): string[] => rows.map((r) => r.id)

describe('enqueue', () => {
  it('commits all items in order with increasing seq and returns them pending', () => {
    const a = store.enqueue([savecallback('13900000001'), reportCall('13900000001')])
    const b = store.enqueue([saveToCustomer('13900000001')])
    expect(a.map((r) => r.state)).toEqual(['pending', 'pending'])
    expect(a[0]!.seq).toBeLessThan(a[1]!.seq)
    expect(a[1]!.seq).toBeLessThan(b[0]!.seq)
    expect(a[0]!.createdAt).toBe(t)
    expect(a[0]!.nextAttemptAt).toBe(t)
    const item = toOutboxItem(a[0]!)
    expect(item).toMatchObject({
      kind: 'weixin.savecallback',
      state: 'pending',
      uncertain: false,
      attempts: 0,
      createdAt: '2026-11-22T02:00:00.000Z',
      lastAttemptAt: null,
      deliveredAt: null,
      lastError: null,
      fields: { owner_name: '王先生', call_back_item_name: '继续跟进' },
    })
  })

  it('checks payloads and names the field in Chinese; nothing of the batch is kept', () => {
    const e = thrown(() =>
      store.enqueue([
        savecallback('13900000002'),
        reportCall('13900000002', { cstWill: 'F' as 'A' }),
      ]),
    )
    expect(e.kind).toBe('invalid-args')
    expect(e.field).toBe('cstWill')
    expect(e.message).toContain('客户意向')
    expect(store.list()).toHaveLength(0)
    // an unknown project name is not a reason to lose the save: the delivery parks it
    expect(store.enqueue([reportCall('13900000002', { projectName: '' })])).toHaveLength(1)
  })
})

describe('claim: per-phone order', () => {
  it('an item goes only after every earlier item of its phone is delivered or discarded', () => {
    const [a1, a2, a3] = store.enqueue([
      savecallback('13900000011'),
      reportCall('13900000011'),
      saveToCustomer('13900000011'),
    ])
    const [b1] = store.enqueue([savecallback('13900000012')])
    expect(ids(claim())).toEqual([a1!.id, b1!.id])
    // a1 in flight (sending) holds a2 back
    expect(claim()).toEqual([])
    store.applyOutcome(a1!.id, { type: 'delivered' })
    expect(ids(claim())).toEqual([a2!.id])
    // a failed item holds back the later ones of its phone …
    store.applyOutcome(a2!.id, { type: 'failed', error: err })
    expect(claim()).toEqual([])
    // … until the agent discards it
    store.discard(a2!.id)
    expect(ids(claim())).toEqual([a3!.id])
  })

  it('a parked uncertain item holds its phone back; other phones go on', () => {
    const [a1, a2] = store.enqueue([savecallback('13900000013'), saveToCustomer('13900000013')])
    const [b1] = store.enqueue([savecallback('13900000014')])
    claim(1)
    store.applyOutcome(a1!.id, { type: 'maybe-delivered', error: err, delayMs: 0 })
    expect(ids(claim(1))).toEqual([a1!.id]) // its one automatic retry
    store.applyOutcome(a1!.id, { type: 'maybe-delivered', error: err, delayMs: 0 })
    expect(store.get(a1!.id)).toMatchObject({ state: 'uncertain', nextAttemptAt: null })
    expect(ids(claim())).toEqual([b1!.id])
    expect(store.get(a2!.id)?.state).toBe('pending')
  })

  it('respects next_attempt_at, the limit and the kinds asked for', () => {
    const rows = store.enqueue([
      savecallback('13900000015'),
      reportCall('13900000016'),
      savecallback('13900000017'),
    ])
    claim(1)
    store.applyOutcome(rows[0]!.id, { type: 'retry', error: err, delayMs: 5_000 })
    expect(ids(claim(10, ['weixin.savecallback']))).toEqual([rows[2]!.id])
    expect(ids(claim(10, ['datacenter.report_call']))).toEqual([rows[1]!.id])
    expect(claim()).toEqual([])
    expect(store.nextDueAfter(t)).toBe(t + 5_000)
    t += 5_000
    expect(ids(claim())).toEqual([rows[0]!.id])
  })

  it('claim marks sending, counts the attempt and stores the prepared steps', () => {
    const [r] = store.enqueue([reportCall('13900000018')])
    const [c] = store.transaction(() =>
      store.claim({ limit: 1, prepare: () => ({ follow: { sid: 'S1', done: false } }) }),
    )
    expect(c).toMatchObject({ state: 'sending', attempts: 1, lastAttemptAt: t })
    expect(store.get(r!.id)).toMatchObject({
      state: 'sending',
      attempts: 1,
      steps: { follow: { sid: 'S1', done: false } },
    })
    expect(store.counts()).toEqual({ pending: 0, sending: 1, uncertain: 0, failed: 0 })
  })
})

describe('outcomes', () => {
  function sending(): OutboxRow {
    const [r] = store.enqueue([savecallback('13900000021')])
    claim()
    return r!
  }

  it('delivered: time, result and steps kept', () => {
    const r = sending()
    const after = store.applyOutcome(r.id, {
      type: 'delivered',
      result: { ok: 1 },
      steps: { s: 1 },
    })
    expect(after).toMatchObject({
      state: 'delivered',
      deliveredAt: t,
      nextAttemptAt: null,
      result: { ok: 1 },
      steps: { s: 1 },
    })
    expect(store.lastDeliveredAt()).toBe(t)
  })

  it('retry: pending with the back-off and the error', () => {
    const r = sending()
    const after = store.applyOutcome(r.id, { type: 'retry', error: err, delayMs: 1234 })
    expect(after).toMatchObject({ state: 'pending', nextAttemptAt: t + 1234, lastError: err })
  })

  it('maybe-delivered: uncertain with one automatic retry, parked after a second; a later success keeps the flag', () => {
    const r = sending()
    expect(
      store.applyOutcome(r.id, { type: 'maybe-delivered', error: err, delayMs: 10 }),
    ).toMatchObject({
      state: 'uncertain',
      uncertain: true,
      nextAttemptAt: t + 10,
    })
    t += 10
    claim()
    // the retry could not connect: it did not go out, so it is still the one retry
    expect(store.applyOutcome(r.id, { type: 'retry', error: err, delayMs: 20 })).toMatchObject({
      state: 'uncertain',
      nextAttemptAt: t + 20,
    })
    t += 20
    claim()
    expect(
      store.applyOutcome(r.id, { type: 'maybe-delivered', error: err, delayMs: 10 }),
    ).toMatchObject({
      state: 'uncertain',
      nextAttemptAt: null,
    })
    expect(store.counts().uncertain).toBe(1)
    // the agent retries; it arrives: delivered, still flagged
    store.retry(r.id)
    claim()
    expect(store.applyOutcome(r.id, { type: 'delivered' })).toMatchObject({
      state: 'delivered',
      uncertain: true,
    })
  })

  it('failed: parked with the reason; an outcome for a row not sending is ignored', () => {
    const r = sending()
    const reason: OutboxError = { kind: 'remote', message: '传入数据错误', code: 'bad-data' }
    expect(store.applyOutcome(r.id, { type: 'failed', error: reason })).toMatchObject({
      state: 'failed',
      lastError: reason,
      nextAttemptAt: null,
    })
    expect(store.applyOutcome(r.id, { type: 'delivered' })).toBeNull()
    expect(store.get(r.id)?.state).toBe('failed')
  })

  it('release: a claimed item not sent goes back without counting the attempt', () => {
    const r = sending()
    store.release(r.id)
    expect(store.get(r.id)).toMatchObject({ state: 'pending', attempts: 0, nextAttemptAt: t })
  })
})

describe('recovering items a crash left sending', () => {
  it('weixin: uncertain with one retry (parked if it already was); Data Center: pending, steps kept', () => {
    const [w1, w2, d1] = store.enqueue([
      savecallback('13900000031'),
      savecallback('13900000032'),
      reportCall('13900000033'),
    ])
    claim()
    store.applyOutcome(w2!.id, { type: 'maybe-delivered', error: err, delayMs: 0 })
    store.saveSteps(d1!.id, { customer: { sid: 'S9', done: true } })
    claim() // w2's retry goes out
    expect(store.recoverInterrupted()).toEqual({ uncertain: 1, parked: 1, pending: 1 })
    expect(store.get(w1!.id)).toMatchObject({
      state: 'uncertain',
      uncertain: true,
      nextAttemptAt: t,
    })
    expect(store.get(w1!.id)?.lastError?.message).toContain('不确定')
    expect(store.get(w2!.id)).toMatchObject({ state: 'uncertain', nextAttemptAt: null })
    expect(store.get(d1!.id)).toMatchObject({
      state: 'pending',
      uncertain: false,
      steps: { customer: { sid: 'S9', done: true } },
    })
  })
})

describe('the agent: retry, discard, edit', () => {
  it('retry: failed/uncertain/pending only; due now, attempts from zero', () => {
    const [r] = store.enqueue([savecallback('13900000041')])
    claim()
    expect(thrown(() => store.retry(r!.id)).message).toContain('正在发送')
    store.applyOutcome(r!.id, { type: 'failed', error: err })
    t += 60_000
    expect(store.retry(r!.id)).toMatchObject({ state: 'pending', attempts: 0, nextAttemptAt: t })
    claim()
    store.applyOutcome(r!.id, { type: 'delivered' })
    expect(thrown(() => store.retry(r!.id)).message).toContain('已同步')
    expect(thrown(() => store.discard(r!.id)).message).toContain('不能放弃')
    expect(thrown(() => store.retry('no-such-id')).message).toContain('找不到')
  })

  it('edit: only a failed or parked item, only its editable fields, each checked and named', () => {
    const [r] = store.enqueue([savecallback('13900000042')])
    expect(thrown(() => store.edit(r!.id, { owner_name: '李先生' })).message).toContain('不能修改')
    claim()
    store.applyOutcome(r!.id, {
      type: 'failed',
      error: { kind: 'remote', message: '传入数据错误' },
    })
    const unknown = thrown(() => store.edit(r!.id, { phone_no: '13900000000' }))
    expect([unknown.kind, unknown.field]).toEqual(['invalid-args', 'phone_no'])
    const empty = thrown(() => store.edit(r!.id, { call_back_item_name: '  ' }))
    expect([empty.field, empty.message]).toEqual(['call_back_item_name', '请填写反馈结果'])
    const edited = store.edit(r!.id, { call_back_item_name: '接受邀请' })
    expect(edited).toMatchObject({
      state: 'pending',
      attempts: 0,
      lastError: null,
      nextAttemptAt: t,
    })
    expect(toOutboxItem(edited).fields.call_back_item_name).toBe('接受邀请')
    expect((edited.payload as { owner_name: string }).owner_name).toBe('王先生')
  })

  it('edit of a Data Center report: each field checked; a new project redoes the steps after the customer', () => {
    const [r] = store.enqueue([reportCall('13900000043', { projectName: '没有这个项目' })])
    claim()
    store.saveSteps(r!.id, {
      projGUID: 'old',
      customer: { sid: 'A', done: true, cstGUID: 'C1' },
      lead: { sid: 'B', done: true },
      opportunity: { sid: null, done: false },
      follow: { sid: 'D', done: false },
    })
    store.applyOutcome(r!.id, {
      type: 'failed',
      error: { kind: 'remote', message: '数据中心没有名为「没有这个项目」的项目' },
    })
    const cases: [Record<string, string>, string, string][] = [
      [{ cstWill: 'F' }, 'cstWill', '客户意向'],
      [{ gender: '3' }, 'gender', '性别'],
      [{ nextDate: '2026/12/01' }, 'nextDate', '下次跟进日期'],
      [{ projectName: ' ' }, 'projectName', '项目名称'],
      [{ followContent: '长'.repeat(201) }, 'followContent', '跟进内容'],
    ]
    for (const [fields, field, label] of cases) {
      const e = thrown(() => store.edit(r!.id, fields))
      expect([e.kind, e.field]).toEqual(['invalid-args', field])
      expect(e.message).toContain(label)
    }
    const fixed = store.edit(r!.id, {
      projectName: '万科东荟城',
      cstWill: 'a',
      nextDate: '2026-12-01',
    })
    expect(fixed.payload).toMatchObject({
      projectName: '万科东荟城',
      cstWill: 'A',
      nextDate: '2026-12-01',
    })
    expect(fixed.steps).toEqual({ customer: { sid: 'A', done: true, cstGUID: 'C1' } })
    expect(toOutboxItem(fixed).fields).toEqual({
      customerName: '王先生',
      gender: '0',
      projectName: '万科东荟城',
      followContent: '继续跟进：客户关注学位',
      nextDate: '2026-12-01',
      nextContent: '',
      cstWill: 'A',
    })
    // clearing an optional field removes it
    store.applyOutcome(r!.id, { type: 'failed', error: err }) // not sending: ignored
    claim()
    store.applyOutcome(r!.id, { type: 'failed', error: err })
    expect(store.edit(r!.id, { nextDate: '' }).payload).not.toHaveProperty('nextDate')
  })
})

describe('listing and housekeeping', () => {
  it('list: newest first, by state, with a limit; counts; skipBackoff; purge', () => {
    const rows = store.enqueue([
      savecallback('13900000051'),
      savecallback('13900000052'),
      savecallback('13900000053'),
    ])
    claim(2)
    store.applyOutcome(rows[0]!.id, { type: 'delivered' })
    store.applyOutcome(rows[1]!.id, { type: 'retry', error: err, delayMs: 60_000 })
    expect(ids(store.list())).toEqual([rows[2]!.id, rows[1]!.id, rows[0]!.id])
    expect(ids(store.list({ states: ['pending'] }))).toEqual([rows[2]!.id, rows[1]!.id])
    expect(store.list({ limit: 1 })).toHaveLength(1)
    expect(store.counts()).toEqual({ pending: 2, sending: 0, uncertain: 0, failed: 0 })
    expect(store.openCount()).toBe(2)
    expect(store.skipBackoff(t)).toBe(1)
    expect(store.get(rows[1]!.id)?.nextAttemptAt).toBe(t)
    expect(store.purge(t - 1)).toBe(0)
    expect(store.purge(t + 1)).toBe(1)
    expect(store.get(rows[0]!.id)).toBeNull()
  })
})

describe('the sync service over the outbox', () => {
  it('status, list, retry, discard, edit and flush', async () => {
    const { log } = memoryLog()
    const outbox = createOutbox({
      db,
      connections: { get: () => Promise.reject(new Error('offline')) },
      log,
      autoStart: false,
      now: () => t,
    })
    const sync = createSyncService({ outbox })
    const [a, b] = outbox.enqueue([savecallback('13900000061'), savecallback('13900000062')])
    expect((await sync.status()).pending).toBe(2)
    expect((await sync.list({ limit: 10 })).map((i) => i.id)).toEqual([b!.id, a!.id])
    // the engine's side, over the same database
    store.transaction(() => store.claim({ limit: 2 }))
    store.applyOutcome(a!.id, { type: 'failed', error: err })
    store.applyOutcome(b!.id, { type: 'retry', error: err, delayMs: 100_000 })
    expect((await sync.status()).failed).toBe(1)
    expect(
      (await sync.edit({ id: a!.id, fields: { owner_name: '李先生' } })).fields.owner_name,
    ).toBe('李先生')
    expect((await sync.discard({ id: a!.id })).state).toBe('discarded')
    const flushed = await sync.flush()
    expect(flushed.flush).toEqual({ total: 1, done: 0 })
    expect(store.get(b!.id)?.nextAttemptAt).toBe(t)
    expect((await sync.retry({ id: b!.id })).state).toBe('pending')
    await expect(sync.retry({ id: a!.id })).rejects.toMatchObject({ kind: 'invalid-args' })
    // what crosses IPC passes the contract's schemas
    for (const item of await sync.list({ limit: 10 })) outboxItemSchema.parse(item)
    syncStatusSchema.parse(await sync.status())
  })
})
