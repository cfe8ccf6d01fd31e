import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase, type AppDatabase } from '../../../electron/services/db/database'
import { DncStore } from '../../../electron/services/calling/dnc-store'
import { RefCache } from '../../../electron/services/db/ref-cache'
import { OutboxStore } from '../../../electron/services/outbox/outbox-store'
import { memoryLog, savecallback, tempDir } from '../outbox/helpers'

const SUPERVISOR_KEY = 'supervisor.passwordHash'
const HASH = { v: 1, algo: 'scrypt', N: 131072, r: 8, p: 1, salt: 'c2FsdA==', hash: 'aGFzaA==' }

const open: AppDatabase[] = []
afterEach(() => {
  for (const db of open.splice(0)) db.close()
})

function openDb(file: string): AppDatabase {
  const db = openDatabase(file, { log: memoryLog().log })
  open.push(db)
  return db
}

function close(db: AppDatabase): void {
  db.close()
  open.splice(open.indexOf(db), 1)
}

const journalOf = (file: string) => path.join(path.dirname(file), 'callcenter.dnc.log')

/** A database with a bit of everything: unsent items, 勿扰 numbers, the supervisor hash, a call log. */
function filled(file: string, callRows = 0) {
  const db = openDb(file)
  const unsent = new OutboxStore(db).enqueue([
    savecallback('13900000004'),
    savecallback('13900000005'),
  ])
  const dnc = new DncStore(db)
  dnc.mark('13900000111', '客户要求不再来电', '00006')
  dnc.mark('13900000222', '投诉', '00006')
  new RefCache(db).put(SUPERVISOR_KEY, HASH)
  new RefCache(db).put('projects:29', [{ id: 1 }])
  const ins = db.connection.prepare(
    `INSERT INTO call_log (id, user_num, phone, created_at, notes) VALUES (?, '00006', ?, ?, ?)`,
  )
  db.transaction(() => {
    for (let i = 0; i < callRows; i++) {
      ins.run(
        `log-${i}`,
        '13900000004',
        `2026-11-22T10:00:${String(i % 60).padStart(2, '0')}Z`,
        'x'.repeat(80),
      )
    }
  })
  db.connection.exec('PRAGMA wal_checkpoint(TRUNCATE)')
  close(db)
  return { unsent }
}

describe('a database file lost or damaged: every readable table comes back, the agent is told', () => {
  it('an emptied file (zero bytes) after this machine had data is reported; the 勿扰 list comes back', () => {
    const file = path.join(tempDir('db-recovery-'), 'callcenter.db')
    filled(file)
    fs.truncateSync(file, 0)
    const db = openDb(file)
    expect(db.durable).toBe(true)
    expect(db.recovery).toMatchObject({ cause: 'emptied', dncRestoredFromJournal: 2, dncTotal: 2 })
    expect(db.problem).toContain('空文件')
    expect(db.problem).toContain('勿扰名单已从备份清单补回 2 个号码')
    expect(db.problem).toContain('未能找回')
    expect(db.problem).toContain('请重新设置')
    const dnc = new DncStore(db)
    expect(dnc.isDnc('13900000111')).toBe(true)
    expect(dnc.isDnc('13900000222')).toBe(true)
    // told once: the next start is an ordinary one
    close(db)
    expect(openDb(file).problem).toBeNull()
  })

  it('a missing file after this machine had data is reported too; a first start is not', () => {
    const dir = tempDir('db-recovery-')
    const file = path.join(dir, 'callcenter.db')
    const first = openDb(file)
    expect(first.problem).toBeNull()
    expect(first.recovery).toBeNull()
    new DncStore(first).mark('13900000111', '投诉')
    close(first)
    for (const s of ['', '-wal', '-shm']) fs.rmSync(file + s, { force: true })
    const db = openDb(file)
    expect(db.recovery?.cause).toBe('missing')
    expect(db.problem).toContain('不见了')
    expect(new DncStore(db).isDnc('13900000111')).toBe(true)
  })

  it('a damaged call-log page: the 勿扰 list, the supervisor hash, the cache, the unsent items and the readable calls are salvaged', () => {
    const file = path.join(tempDir('db-recovery-'), 'callcenter.db')
    const { unsent } = filled(file, 3000)
    // the salvage alone, without the journal's help
    fs.rmSync(journalOf(file))
    const bytes = fs.readFileSync(file)
    bytes.fill(0x5a, bytes.length - 4096 * 4, bytes.length - 4096)
    fs.writeFileSync(file, bytes)
    const damaged = openDb(file)
    try {
      damaged.connection
        .prepare('SELECT COUNT(*), SUM(LENGTH(notes)) FROM call_log NOT INDEXED')
        .get()
    } catch (e) {
      damaged.storageError(e)
    }
    close(damaged)

    const db = openDb(file)
    expect(db.movedAside).not.toBeNull()
    const r = db.recovery!
    expect(r.cause).toBe('damaged')
    expect(r.supervisorPassword).toBe(true)
    const t = Object.fromEntries(r.tables.map((x) => [x.table, x]))
    expect(t.outbox).toMatchObject({ open: 2, complete: true })
    expect(t.dnc).toMatchObject({ recovered: 2, complete: true })
    expect(t.ref_cache).toMatchObject({ complete: true })
    expect(t.call_log!.complete).toBe(false)
    expect(t.call_log!.recovered).toBeGreaterThan(2000)
    expect(t.call_log!.recovered).toBeLessThan(3000)

    const dnc = new DncStore(db)
    expect(dnc.isDnc('13900000111')).toBe(true)
    expect(dnc.isDnc('13900000222')).toBe(true)
    expect(new RefCache(db).get(SUPERVISOR_KEY)).toEqual(HASH)
    expect(new RefCache(db).get('projects:29')).toEqual([{ id: 1 }])
    expect(
      new OutboxStore(db)
        .list()
        .map((x) => x.id)
        .sort(),
    ).toEqual(unsent.map((x) => x.id).sort())
    const calls = db.connection.prepare('SELECT COUNT(*) AS n FROM call_log').get() as { n: number }
    expect(calls.n).toBe(t.call_log!.recovered)
    // the text says what came back and what did not
    expect(db.problem).toContain('找回 2 条尚未同步的记录')
    expect(db.problem).toContain('2 个勿扰号码')
    expect(db.problem).toContain(`${t.call_log!.recovered} 条通话记录`)
    expect(db.problem).toContain('主管密码')
    expect(db.problem).toContain('未能找回：部分通话记录')
    expect(db.problem).not.toContain('请重新设置')
    // the journal was started again from what was salvaged
    expect(fs.readFileSync(journalOf(file), 'utf8')).toContain('13900000222')
  })

  it('a truncated file (shorter than its header says) is found at open and salvaged', () => {
    const file = path.join(tempDir('db-recovery-'), 'callcenter.db')
    filled(file, 3000)
    const size = fs.statSync(file).size
    fs.truncateSync(file, Math.floor(size / 2 / 4096) * 4096)
    const db = openDb(file)
    expect(db.movedAside).not.toBeNull()
    expect(db.recovery?.cause).toBe('damaged')
    expect(db.problem).toContain('已损坏')
    expect(new DncStore(db).isDnc('13900000111')).toBe(true)
    expect(new OutboxStore(db).list()).toHaveLength(2)
  })
})

describe('the 勿扰 journal (append-only, beside the database)', () => {
  it('every mark is a fsynced JSON line; numbers missing from the table come back at open', () => {
    const file = path.join(tempDir('db-recovery-'), 'callcenter.db')
    const db = openDb(file)
    new DncStore(db).mark('13900000333', '客户要求', '00006')
    const lines = fs.readFileSync(journalOf(file), 'utf8').trim().split('\n')
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({
      op: 'add',
      phone: '13900000333',
      reason: '客户要求',
      userNum: '00006',
    })
    // lost from the table by whatever means
    db.connection.exec('DELETE FROM dnc')
    close(db)
    // a line torn by a crash is skipped
    fs.appendFileSync(journalOf(file), '{"op":"add","phone":"1390')
    const again = openDb(file)
    expect(new DncStore(again).isDnc('13900000333')).toBe(true)
    expect(again.problem).toBeNull()
  })

  it('a removal is journalled too and stays removed', () => {
    const file = path.join(tempDir('db-recovery-'), 'callcenter.db')
    const db = openDb(file)
    const dnc = new DncStore(db)
    dnc.mark('13900000444', '误标')
    expect(dnc.remove('13900000444')).toBe(true)
    close(db)
    expect(new DncStore(openDb(file)).isDnc('13900000444')).toBe(false)
  })

  it('a database from before the journal starts one from its table', () => {
    const file = path.join(tempDir('db-recovery-'), 'callcenter.db')
    const db = openDb(file)
    db.connection
      .prepare(
        `INSERT INTO dnc (phone, reason, created_at) VALUES ('13900000555', '旧的', '2026-01-01T00:00:00Z')`,
      )
      .run()
    close(db)
    fs.rmSync(journalOf(file), { force: true })
    openDb(file)
    expect(fs.readFileSync(journalOf(file), 'utf8')).toContain('13900000555')
  })
})
