import { execFileSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { fileURLToPath } from 'node:url'
import { buildSync } from 'esbuild'
import { afterEach, describe, expect, it } from 'vitest'
import { AppError } from '../../../electron/core/app-error'
import {
  classifyStorageError,
  migrate,
  openDatabase,
  type AppDatabase,
} from '../../../electron/services/db/database'
import {
  migrations,
  SCHEMA_VERSION,
  type Migration,
} from '../../../electron/services/db/migrations'
import { DncStore } from '../../../electron/services/calling/dnc-store'
import { RefCache } from '../../../electron/services/db/ref-cache'
import { createOutbox } from '../../../electron/services/outbox'
import { OutboxStore } from '../../../electron/services/outbox/outbox-store'
import { memoryLog, probeOpen, savecallback, tempDir, type OpenReport } from './helpers'

const open: AppDatabase[] = []
const cleanups: (() => void)[] = []
afterEach(() => {
  for (const db of open.splice(0)) db.close()
  for (const c of cleanups.splice(0).reverse()) c()
})

function openDb(file: string): AppDatabase {
  const db = openDatabase(file, { log: memoryLog().log })
  open.push(db)
  return db
}

const noConnections = { get: () => Promise.reject(new Error('offline test')) }

function thrown(f: () => unknown): AppError {
  try {
    f()
  } catch (e) {
    expect(e).toBeInstanceOf(AppError)
    return e as AppError
  }
  throw new Error('expected a failure')
}

describe('opening and migrating', () => {
  it('creates the schema with WAL, synchronous=FULL, foreign keys and a busy timeout', () => {
    const file = path.join(tempDir(), 'sub', 'callcenter.db')
    const db = openDb(file)
    expect(db.durable).toBe(true)
    expect(db.problem).toBeNull()
    expect(db.schemaVersion).toBe(SCHEMA_VERSION)
    const c = db.connection
    const one = (sql: string): unknown => Object.values(c.prepare(sql).get() ?? {})[0]
    expect(one('PRAGMA journal_mode')).toBe('wal')
    expect(one('PRAGMA synchronous')).toBe(2) // FULL
    expect(one('PRAGMA foreign_keys')).toBe(1)
    expect(one('PRAGMA busy_timeout')).toBe(5000)
    const tables = (
      c.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]
    ).map((r) => r.name)
    expect(tables).toEqual(
      expect.arrayContaining(['call_log', 'dnc', 'outbox', 'ref_cache', 'schema_version']),
    )
    const versions = (
      c.prepare('SELECT version FROM schema_version ORDER BY version').all() as {
        version: number
      }[]
    ).map((r) => r.version)
    expect(versions).toEqual(migrations.map((m) => m.version).sort((a, b) => a - b))
  })

  it('v1: the outbox, ref_cache, dnc and call_log tables with their indexes', () => {
    const db = openDatabase(path.join(tempDir(), 'callcenter.db'), {
      migrations: migrations.filter((m) => m.version === 1),
    })
    open.push(db)
    const c = db.connection
    const cols = (table: string): string[] =>
      (c.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((r) => r.name)
    const indexCols = (index: string): string[] =>
      (c.prepare(`PRAGMA index_info(${index})`).all() as { name: string }[]).map((r) => r.name)
    expect(cols('outbox')).toEqual([
      'id',
      'seq',
      'kind',
      'phone',
      'title',
      'payload',
      'state',
      'uncertain',
      'attempts',
      'steps',
      'result',
      'last_error',
      'created_at',
      'last_attempt_at',
      'next_attempt_at',
      'delivered_at',
    ])
    expect(indexCols('outbox_due')).toEqual(['state', 'next_attempt_at'])
    expect(indexCols('outbox_phone')).toEqual(['phone', 'seq'])
    expect(cols('ref_cache')).toEqual(['key', 'json', 'updated_at'])
    expect(cols('dnc')).toEqual(['phone', 'reason', 'created_at', 'user_num'])
    expect(cols('call_log')).toEqual([
      'id',
      'user_num',
      'user_name',
      'machine_no',
      'project_id',
      'project_name',
      'package_id',
      'package_name',
      'phone',
      'owner_name',
      'dispensed_at',
      'dialled_at',
      'ended_at',
      'duration_s',
      'callback_item',
      'notes',
      'next_follow_date',
      'next_follow_content',
      'saved_to_customer',
      'dnc',
      'outbox_id',
      'created_at',
    ])
    expect(indexCols('call_log_created')).toEqual(['created_at'])
    expect(indexCols('call_log_user')).toEqual(['user_num', 'created_at'])
    expect(indexCols('call_log_project')).toEqual(['project_id'])
    expect(indexCols('call_log_phone')).toEqual(['phone'])
    // the outbox's states are the domain's, enforced by the table
    expect(() =>
      c
        .prepare(
          `INSERT INTO outbox (id, seq, kind, phone, title, payload, state, created_at)
           VALUES ('x', 1, 'k', 'p', 't', '{}', 'lost', 0)`,
        )
        .run(),
    ).toThrow(/CHECK/)
  })

  it('reopening applies nothing twice and keeps the data', () => {
    const file = path.join(tempDir(), 'callcenter.db')
    const db = openDb(file)
    const [row] = new OutboxStore(db).enqueue([savecallback('13900000001')])
    db.close()
    const again = openDb(file)
    const versions = again.connection.prepare('SELECT version FROM schema_version').all()
    expect(versions).toHaveLength(migrations.length)
    expect(new OutboxStore(again).get(row!.id)?.state).toBe('pending')
  })

  it('runs later migrations in order, each once, and rolls back a failing one', () => {
    const c = new DatabaseSync(':memory:')
    const seen: number[] = []
    const list: Migration[] = [
      { version: 2, name: 'b', up: (d) => (seen.push(2), d.exec('CREATE TABLE b (x)')) },
      { version: 1, name: 'a', up: (d) => (seen.push(1), d.exec('CREATE TABLE a (x)')) },
    ]
    expect(migrate(c, list)).toBe(2)
    expect(migrate(c, list)).toBe(2)
    expect(seen).toEqual([1, 2])
    const broken: Migration[] = [
      ...list,
      {
        version: 3,
        name: 'broken',
        up: (d) => {
          d.exec('CREATE TABLE c (x)')
          d.exec('THIS IS NOT SQL')
        },
      },
    ]
    expect(() => migrate(c, broken)).toThrow()
    // version 3 left nothing behind and is not recorded
    expect(c.prepare(`SELECT name FROM sqlite_master WHERE name = 'c'`).get()).toBeUndefined()
    expect(c.prepare('SELECT MAX(version) AS v FROM schema_version').get()).toEqual({ v: 2 })
  })
})

describe('a damaged database file', () => {
  it('garbage: moved aside with its -wal/-shm, a fresh database, the problem reported', () => {
    const dir = tempDir()
    const file = path.join(dir, 'callcenter.db')
    fs.writeFileSync(file, 'this is not a database '.repeat(500))
    fs.writeFileSync(`${file}-wal`, 'stale wal')
    const db = openDb(file)
    expect(db.durable).toBe(true)
    expect(db.movedAside).toMatch(/callcenter\.db\.corrupt-/)
    expect(db.problem).toContain('已损坏')
    expect(db.problem).toContain(path.basename(db.movedAside!))
    expect(fs.readFileSync(db.movedAside!, 'utf8')).toContain('this is not a database')
    expect(fs.readFileSync(`${db.movedAside!}-wal`, 'utf8')).toBe('stale wal')
    // the app works on: the fresh database takes writes, and the agent is told
    const outbox = createOutbox({
      db,
      connections: noConnections,
      log: memoryLog().log,
      autoStart: false,
    })
    expect(outbox.enqueue([savecallback('13900000002')])).toHaveLength(1)
    expect(outbox.status().storageProblem).toBe(db.problem)
  })

  it('a damaged header (page 1) is found at open', () => {
    const file = path.join(tempDir(), 'callcenter.db')
    const db = openDb(file)
    new OutboxStore(db).enqueue([savecallback('13900000003')])
    db.connection.exec('PRAGMA wal_checkpoint(TRUNCATE)')
    db.close()
    const bytes = fs.readFileSync(file)
    bytes.fill(0xff, 100, 4096)
    fs.writeFileSync(file, bytes)
    const again = openDb(file)
    expect(again.movedAside).not.toBeNull()
    expect(again.problem).toContain('已损坏')
    expect(new OutboxStore(again).counts().pending).toBe(0)
  })

  it('damage deeper in the file: a clear error when read, then moved aside at the next start with the readable unsent rows', () => {
    const file = path.join(tempDir(), 'callcenter.db')
    const db = openDb(file)
    const store = new OutboxStore(db)
    const kept = store.enqueue([savecallback('13900000004'), savecallback('13900000005')])
    // a call log big enough that its pages come last in the file
    const ins = db.connection.prepare(
      `INSERT INTO call_log (id, user_num, phone, created_at, notes) VALUES (?, '00006', ?, ?, ?)`,
    )
    db.transaction(() => {
      for (let i = 0; i < 3000; i++) {
        ins.run(
          `log-${i}`,
          '13900000004',
          `2026-11-22T10:${String(i % 60).padStart(2, '0')}:00Z`,
          'x'.repeat(80),
        )
      }
    })
    db.connection.exec('PRAGMA wal_checkpoint(TRUNCATE)')
    db.close()
    const bytes = fs.readFileSync(file)
    bytes.fill(0x5a, bytes.length - 4096 * 4, bytes.length - 4096)
    fs.writeFileSync(file, bytes)

    const damaged = openDb(file)
    expect(damaged.problem).toBeNull() // not visible from the schema
    const e = thrownAny(() =>
      damaged.connection
        .prepare('SELECT COUNT(*), SUM(LENGTH(notes)) FROM call_log NOT INDEXED')
        .get(),
    )
    expect(classifyStorageError(e)).toBe('corrupt')
    // through the database it becomes the agent's message, and is remembered for the next start
    const viaDb = damaged.storageError(e)
    expect(viaDb.kind).toBe('storage')
    expect(viaDb.message).toContain('已损坏')
    expect(fs.existsSync(`${file}.damaged`)).toBe(true)
    damaged.close()

    const next = openDb(file)
    expect(next.movedAside).not.toBeNull()
    expect(next.problem).toContain('找回 2 条')
    const rows = new OutboxStore(next).list()
    expect(rows.map((r) => r.id).sort()).toEqual(kept.map((r) => r.id).sort())
    expect(fs.existsSync(`${file}.damaged`)).toBe(false)
  })
})

function thrownAny(f: () => unknown): unknown {
  try {
    f()
  } catch (e) {
    return e
  }
  throw new Error('expected a failure')
}

describe('a full disk (max_page_count on a small database)', () => {
  it('refuses the enqueue with a clear error, commits none of it, and recovers', () => {
    const db = openDb(path.join(tempDir(), 'callcenter.db'))
    const outbox = createOutbox({
      db,
      connections: noConnections,
      log: memoryLog().log,
      autoStart: false,
    })
    outbox.enqueue([savecallback('13900000010')])
    const pages = (db.connection.prepare('PRAGMA page_count').get() as { page_count: number })
      .page_count
    db.connection.exec(`PRAGMA max_page_count = ${pages}`)
    const many = Array.from({ length: 200 }, (_, i) =>
      savecallback(`1390000${String(100 + i).padStart(4, '0')}`, `王先生${'长'.repeat(40)}`),
    )
    const e = thrown(() => outbox.enqueue(many))
    expect(e.kind).toBe('storage')
    expect(e.message).toContain('磁盘空间已满')
    expect(classifyStorageError(e.cause)).toBe('full')
    // all or nothing: not even the rows that fitted
    expect(outbox.list({ limit: 500 })).toHaveLength(1)
    expect(outbox.status().storageProblem).toContain('磁盘空间已满')

    db.connection.exec('PRAGMA max_page_count = 1000000')
    expect(outbox.enqueue(many)).toHaveLength(200)
    expect(outbox.status().storageProblem).toBeNull()
  })
})

/**
 * A folder the process cannot write. chmod 0555 is enough for an ordinary user; tests often run
 * as root, whom permission bits do not stop, so then the folder is made immutable (chattr +i,
 * which stops root too); where that is not possible either, the check runs in a child process
 * as the unprivileged user `nobody` (uid 65534) against the chmod-0555 folder.
 */
type ReadOnly = { dir: string; how: 'chmod' | 'chattr' | 'nobody'; undo(): void }

function canWrite(dir: string): boolean {
  const probe = path.join(dir, `.probe-${process.pid}`)
  try {
    fs.writeFileSync(probe, 'x')
    fs.rmSync(probe)
    return true
  } catch {
    return false
  }
}

function readOnlyDir(dir: string): ReadOnly {
  fs.chmodSync(dir, 0o555)
  if (!canWrite(dir)) return { dir, how: 'chmod', undo: () => fs.chmodSync(dir, 0o755) }
  if (process.env.OUTBOX_TEST_RO !== 'nobody') {
    try {
      execFileSync('chattr', ['+i', dir], { stdio: 'ignore' })
      if (!canWrite(dir)) {
        return {
          dir,
          how: 'chattr',
          undo: () => {
            execFileSync('chattr', ['-i', dir], { stdio: 'ignore' })
            fs.chmodSync(dir, 0o755)
          },
        }
      }
      execFileSync('chattr', ['-i', dir], { stdio: 'ignore' })
    } catch {
      // no chattr, or a file system without the immutable flag
    }
  }
  return { dir, how: 'nobody', undo: () => fs.chmodSync(dir, 0o755) }
}

/**
 * The same check as an unprivileged user: the probe is bundled (esbuild) into a temp folder
 * that `nobody` can read, and run there with uid/gid 65534.
 */
function probeOpenAsNobody(file: string): OpenReport {
  const dir = tempDir('outbox-ro-probe-')
  fs.chmodSync(dir, 0o755)
  const entry = path.join(dir, 'entry.ts')
  const helpers = fileURLToPath(new URL('./helpers.ts', import.meta.url))
  fs.writeFileSync(
    entry,
    `import { probeOpen } from ${JSON.stringify(helpers)}\n` +
      `process.stdout.write(JSON.stringify(probeOpen(process.argv[2])))\n`,
  )
  const bundle = path.join(dir, 'probe.mjs')
  buildSync({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: bundle,
    logLevel: 'error',
  })
  fs.chmodSync(bundle, 0o644)
  const r = spawnSync(process.execPath, [bundle, file], {
    uid: 65534,
    gid: 65534,
    encoding: 'utf8',
    cwd: dir,
  })
  if (r.status !== 0) throw new Error(`probe as nobody failed: ${r.stderr || r.error}`)
  return JSON.parse(r.stdout) as OpenReport
}

describe('a read-only data folder', () => {
  it('new database: the app starts on an in-memory database; writes are refused, not faked', () => {
    const parent = tempDir()
    const ro = readOnlyDir(parent)
    cleanups.push(ro.undo)
    const file = path.join(parent, 'callcenter.db')
    const r = ro.how === 'nobody' ? probeOpenAsNobody(file) : probeOpen(file)
    expect(r.durable).toBe(false)
    expect(r.problem).toContain('数据文件夹不可写')
    expect(r.enqueue).toEqual({ kind: 'storage', message: r.problem })
    expect(r.dnc).toEqual({ kind: 'storage', message: r.problem })
    expect(r.cacheWorks).toBe(true)
    expect(fs.existsSync(file)).toBe(false)
  })

  it('existing database in a folder that became read-only: same, and nothing is lost', () => {
    const parent = tempDir()
    const file = path.join(parent, 'callcenter.db')
    const db = openDatabase(file)
    const [row] = new OutboxStore(db).enqueue([savecallback('13900000021')])
    db.close()
    const ro = readOnlyDir(parent)
    cleanups.push(ro.undo)
    const r = ro.how === 'nobody' ? probeOpenAsNobody(file) : probeOpen(file)
    expect(r.durable).toBe(false)
    expect(r.problem).toContain('数据文件夹不可写')
    expect(r.enqueue).toMatchObject({ kind: 'storage' })
    ro.undo()
    const back = openDb(file)
    expect(back.durable).toBe(true)
    expect(new OutboxStore(back).get(row!.id)?.state).toBe('pending')
  })
})

describe('ref_cache and dnc', () => {
  it('ref_cache: put/get JSON by key, replace, entry with its time, unparsable → absent', () => {
    const db = openDb(path.join(tempDir(), 'callcenter.db'))
    const cache = new RefCache(db, () => new Date('2026-11-22T02:00:00Z'))
    expect(cache.get('projects')).toBeUndefined()
    cache.put('projects', [{ id: 141, name: '万科东荟城' }])
    cache.put('projects', [{ id: 123, name: '星汇云锦' }])
    expect(cache.get('projects')).toEqual([{ id: 123, name: '星汇云锦' }])
    expect(cache.entry('projects')?.updatedAt).toBe('2026-11-22T02:00:00.000Z')
    const parse = (v: unknown): string[] => {
      if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw new Error('shape')
      return v
    }
    expect(cache.entry('projects', parse)).toBeNull()
    db.connection.prepare(`UPDATE ref_cache SET json = '{not json' WHERE key = 'projects'`).run()
    expect(cache.get('projects')).toBeUndefined()
  })

  it('dnc: mark (twice keeps the first time, takes the new reason), isDnc, list, remove', () => {
    const db = openDb(path.join(tempDir(), 'callcenter.db'))
    let t = Date.parse('2026-11-22T02:00:00Z')
    const dnc = new DncStore(db, () => new Date(t))
    expect(dnc.isDnc('13900000030')).toBe(false)
    dnc.mark('13900000030', '客户要求勿扰', '00006')
    t += 60_000
    dnc.mark('13900000031', '空号', '00007')
    const again = dnc.mark('13900000030', '投诉', '00007')
    expect(again).toEqual({
      phone: '13900000030',
      reason: '投诉',
      createdAt: '2026-11-22T02:00:00.000Z',
      userNum: '00006',
    })
    expect(dnc.isDnc('13900000030')).toBe(true)
    expect(dnc.list().map((d) => d.phone)).toEqual(['13900000031', '13900000030'])
    expect(dnc.remove('13900000031')).toBe(true)
    expect(dnc.isDnc('13900000031')).toBe(false)
  })
})
