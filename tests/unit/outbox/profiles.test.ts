import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase, type AppDatabase } from '../../../electron/services/db/database'
import { adoptLegacyRows, mergeTrainingDatabase } from '../../../electron/services/db/profile-data'
import { assembleOutbox } from '../../../electron/services/outbox'
import type { Deliverer, OutboxConnections } from '../../../electron/services/outbox/delivery'
import { OutboxStore } from '../../../electron/services/outbox/outbox-store'
import type { OutboxRow } from '../../../electron/services/outbox/rows'
import { memoryLog, savecallback, tempDir } from './helpers'

/**
 * Training and production never mix: an item is tagged with the profile in use when it is
 * saved and is delivered only through connections of that profile, whatever the app is switched
 * to before it goes.
 */

const dirs: string[] = []
const dbs: AppDatabase[] = []
afterEach(() => {
  for (const db of dbs.splice(0)) db.close()
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true })
})

function freshDb(file = 'callcenter.db'): AppDatabase {
  const dir = tempDir()
  dirs.push(dir)
  const db = openDatabase(path.join(dir, file))
  dbs.push(db)
  return db
}

describe('the outbox store keeps profiles apart', () => {
  it('tags items with the profile in use and claims only the asked profile', () => {
    let current: string | null = 'training'
    const store = new OutboxStore(freshDb(), { profile: () => current })
    store.enqueue([savecallback('13900000001')])
    current = 'p-prod'
    store.enqueue([savecallback('13900000002')])

    const prod = store.transaction(() => store.claim({ limit: 10, profile: 'p-prod' }))
    expect(prod.map((r) => [r.phone, r.profile])).toEqual([['13900000002', 'p-prod']])
    const training = store.transaction(() => store.claim({ limit: 10, profile: 'training' }))
    expect(training.map((r) => [r.phone, r.profile])).toEqual([['13900000001', 'training']])
  })

  it('a training item of a phone never holds back the production item of the same phone', () => {
    let current = 'training'
    const store = new OutboxStore(freshDb(), { profile: () => current })
    store.enqueue([savecallback('13900000003')])
    current = 'p-prod'
    store.enqueue([savecallback('13900000003')])
    const claimed = store.transaction(() => store.claim({ limit: 10, profile: 'p-prod' }))
    expect(claimed).toHaveLength(1)
    expect(claimed[0]?.profile).toBe('p-prod')
  })

  it('counts are the current profile’s; the other profile’s items are counted apart', () => {
    let current = 'training'
    const store = new OutboxStore(freshDb(), { profile: () => current })
    store.enqueue([savecallback('13900000004'), savecallback('13900000005')])
    current = 'p-prod'
    store.enqueue([savecallback('13900000006')])
    expect(store.counts().pending).toBe(1)
    expect(store.openCount()).toBe(1)
    expect(store.otherProfileCounts()).toEqual({ training: 2, production: 0 })
    current = 'training'
    expect(store.counts().pending).toBe(2)
    expect(store.otherProfileCounts()).toEqual({ training: 0, production: 1 })
  })
})

describe('the sync engine delivers an item only through its own profile', () => {
  it('a training item queued before a switch to production waits, then goes to training', async () => {
    const db = freshDb()
    const sent: { phone: string; via: string }[] = []
    const deliverer: Deliverer = {
      async deliver(row: OutboxRow, ctx) {
        sent.push({ phone: row.phone, via: ctx.conns.profile ?? '?' })
        return { type: 'delivered', reach: 'online' }
      },
    }
    let active = 'training'
    const conns = (): OutboxConnections => ({
      weixin: {} as OutboxConnections['weixin'],
      datacenter: null,
      profile: active,
    })
    // training has no connections while it is "offline": its items are saved and wait
    let trainingUp = false
    const { outbox, engine } = assembleOutbox({
      db,
      log: memoryLog().log,
      deliverer,
      autoStart: false,
      connections: {
        get: async () => {
          if (active === 'training' && !trainingUp) throw new Error('sandbox not started')
          return conns()
        },
        profile: () => active,
      },
      engine: { baseDelayMs: 5, maxDelayMs: 20 },
    })
    outbox.start()
    outbox.enqueue([savecallback('13900000010')])
    await engine.idle()
    expect(sent).toEqual([])

    // the agent imports a production profile: the training item must not go there
    active = 'p-prod'
    outbox.enqueue([savecallback('13900000011')])
    outbox.kick()
    await engine.idle()
    expect(sent).toEqual([{ phone: '13900000011', via: 'p-prod' }])
    const waiting = outbox.list({ states: ['pending'] })
    expect(waiting.map((i) => [i.phone, i.profile, i.otherProfile])).toEqual([
      ['13900000010', 'training', true],
    ])
    expect(outbox.status().otherProfile).toEqual({ training: 1, production: 0 })

    // back to training: now it goes, through training's connections
    active = 'training'
    trainingUp = true
    outbox.kick()
    await engine.idle()
    expect(sent).toEqual([
      { phone: '13900000011', via: 'p-prod' },
      { phone: '13900000010', via: 'training' },
    ])
    await outbox.stop()
  })
})

describe('data from before profiles were kept', () => {
  it('untagged rows are adopted by the first production profile, never by training', () => {
    const db = freshDb()
    const store = new OutboxStore(db)
    store.enqueue([savecallback('13900000020')])
    expect(adoptLegacyRows(db, 'training')).toBe(0)
    expect(adoptLegacyRows(db, 'p-prod')).toBe(1)
    expect(store.get(store.list()[0]!.id)?.profile).toBe('p-prod')
  })

  it('the old training database is merged in as training rows and set aside', () => {
    const db = freshDb()
    const dir = path.dirname(db.path)
    new OutboxStore(db, { profile: () => 'p-prod' }).enqueue([savecallback('13900000030')])
    const oldFile = path.join(dir, 'callcenter-training.db')
    const old = openDatabase(oldFile)
    new OutboxStore(old).enqueue([savecallback('13900000031'), savecallback('13900000032')])
    old.close()

    const { log } = memoryLog()
    expect(mergeTrainingDatabase(db, oldFile, log)).toMatchObject({ outbox: 2 })
    expect(fs.existsSync(oldFile)).toBe(false)
    expect(fs.existsSync(`${oldFile}.merged`)).toBe(true)
    const rows = new OutboxStore(db).list()
    expect(rows.map((r) => [r.phone, r.profile]).sort()).toEqual([
      ['13900000030', 'p-prod'],
      ['13900000031', 'training'],
      ['13900000032', 'training'],
    ])
    // a second start finds nothing to merge
    expect(mergeTrainingDatabase(db, oldFile, log)).toBeNull()
  })
})
