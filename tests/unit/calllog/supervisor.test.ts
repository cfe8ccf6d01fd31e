import { randomBytes, scryptSync } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import type { SessionInfo } from '../../../shared/domain'
import { AppError } from '../../../electron/core/app-error'
import { RefCache } from '../../../electron/services/db/ref-cache'
import { SUPERVISOR_HASH_KEY, Supervisor } from '../../../electron/services/calllog/supervisor'
import { ATTEMPTS_KEY } from '../../../electron/services/session/password-guard'
import { openTestLog, type TestLog } from './helpers'

/** Tests hash at a low cost; one test checks the production parameters. */
const FAST = { N: 1024, r: 8, p: 1 }

function session(userNum = '00006', loggedInAt = '2026-11-22T01:00:00.000Z'): SessionInfo {
  return {
    userId: 29,
    userName: '冯依敏',
    userNum,
    machineNo: 'weixin',
    server: 'http://127.0.0.1/estate',
    loggedInAt,
    offline: false,
    notice: null,
    agentStatus: { state: 'ready', reason: '', since: loggedInAt },
    locked: false,
  }
}

async function failure(p: Promise<unknown>): Promise<AppError> {
  try {
    await p
  } catch (e) {
    expect(e).toBeInstanceOf(AppError)
    return e as AppError
  }
  throw new Error('expected a failure')
}

describe('supervisor password', () => {
  let log: TestLog
  afterEach(() => log.close())

  it('keeps a salted scrypt hash (OWASP: N ≥ 2^17, r = 8, p = 1) in the database, never the password', async () => {
    log = openTestLog()
    const cache = new RefCache(log.db)
    // the production parameters: no `params` given
    const sup = new Supervisor(cache)
    const me = session()
    expect(sup.status(me)).toEqual({ configured: false, unlocked: false })
    const status = await sup.setPassword(me, { next: '主管密码 2026' })
    expect(status).toEqual({ configured: true, unlocked: true })
    expect(JSON.stringify(status)).not.toContain('2026')
    const raw = (
      log.db.connection
        .prepare('SELECT json FROM ref_cache WHERE key = ?')
        .get(SUPERVISOR_HASH_KEY) as {
        json: string
      }
    ).json
    expect(raw).not.toContain('主管密码')
    expect(raw).not.toContain('2026')
    const stored = JSON.parse(raw) as {
      N: number
      r: number
      p: number
      salt: string
      hash: string
    }
    expect(stored.N).toBeGreaterThanOrEqual(2 ** 17)
    expect(stored.r).toBe(8)
    expect(stored.p).toBe(1)
    expect(Buffer.from(stored.salt, 'base64').length).toBeGreaterThanOrEqual(16)
    // it is scrypt of the password with that salt
    const again = scryptSync('主管密码 2026', Buffer.from(stored.salt, 'base64'), 32, {
      N: stored.N,
      r: stored.r,
      p: stored.p,
      maxmem: 256 * stored.N * stored.r,
    })
    expect(again.toString('base64')).toBe(stored.hash)
  })

  it('a second set uses a new salt: equal passwords do not give equal hashes', async () => {
    log = openTestLog()
    const cache = new RefCache(log.db)
    const sup = new Supervisor(cache, { params: FAST })
    const me = session()
    await sup.setPassword(me, { next: '主管密码 2026' })
    const stored = JSON.parse(
      (
        log.db.connection
          .prepare('SELECT json FROM ref_cache WHERE key = ?')
          .get(SUPERVISOR_HASH_KEY) as { json: string }
      ).json,
    ) as { salt: string; hash: string }
    await sup.setPassword(me, { current: '主管密码 2026', next: '主管密码 2026' })
    const second = JSON.parse(
      (
        log.db.connection
          .prepare('SELECT json FROM ref_cache WHERE key = ?')
          .get(SUPERVISOR_HASH_KEY) as {
          json: string
        }
      ).json,
    ) as { salt: string; hash: string }
    expect(second.salt).not.toBe(stored.salt)
    expect(second.hash).not.toBe(stored.hash)
  })

  it('unlocks with the right password only, for this session only', async () => {
    log = openTestLog()
    const cache = new RefCache(log.db)
    const me = session()
    await new Supervisor(cache, { params: FAST }).setPassword(me, { next: 'secret-1' })
    // a new app start: locked, but configured (the hash is on disk)
    const sup = new Supervisor(cache, { params: FAST })
    expect(sup.status(me)).toEqual({ configured: true, unlocked: false })
    const wrong = await failure(sup.unlock(me, 'secret-2'))
    expect(wrong).toMatchObject({ kind: 'forbidden', field: 'password', message: '主管密码不正确' })
    expect(sup.isUnlocked(me)).toBe(false)
    expect(await sup.unlock(me, 'secret-1')).toEqual({ configured: true, unlocked: true })
    expect(sup.isUnlocked(me)).toBe(true)
    // another login (another agent, or the same one again) is not in supervisor mode
    expect(sup.isUnlocked(session('00007'))).toBe(false)
    expect(sup.isUnlocked(session('00006', '2026-11-22T05:00:00.000Z'))).toBe(false)
    expect(sup.lock(me)).toEqual({ configured: true, unlocked: false })
    expect(() => sup.require(me, '导入通话记录')).toThrow(/导入通话记录需要主管模式/)
  })

  it('changing it needs the current password', async () => {
    log = openTestLog()
    const sup = new Supervisor(new RefCache(log.db), { params: FAST })
    const me = session()
    await sup.setPassword(me, { next: 'first-pass' })
    sup.lock(me)
    expect(await failure(sup.setPassword(me, { next: 'second-pass' }))).toMatchObject({
      kind: 'forbidden',
      field: 'current',
    })
    expect(
      await failure(sup.setPassword(me, { current: 'not-it', next: 'second-pass' })),
    ).toMatchObject({ kind: 'forbidden', field: 'current', message: '当前主管密码不正确' })
    expect(sup.isUnlocked(me)).toBe(false)
    await failure(sup.unlock(me, 'second-pass'))
    await sup.setPassword(me, { current: 'first-pass', next: 'second-pass' })
    sup.lock(me)
    await failure(sup.unlock(me, 'first-pass'))
    expect((await sup.unlock(me, 'second-pass')).unlocked).toBe(true)
  })

  it('without a password set, unlocking says so; wrong guesses in a row lock it out a while', async () => {
    log = openTestLog()
    let t = 1_000_000
    const sup = new Supervisor(new RefCache(log.db), { now: () => t, params: FAST })
    const me = session()
    expect(await failure(sup.unlock(me, 'anything'))).toMatchObject({ code: 'not-configured' })
    await sup.setPassword(me, { next: 'right-one' })
    sup.lock(me)
    for (let i = 0; i < 5; i++) {
      expect((await failure(sup.unlock(me, `guess-${i}`))).code).toBe('wrong-password')
    }
    // even the right password waits now
    const out = await failure(sup.unlock(me, 'right-one'))
    expect(out.code).toBe('too-many-attempts')
    expect(out.message).toContain('30 秒')
    t += 30_001
    expect((await sup.unlock(me, 'right-one')).unlocked).toBe(true)
  })

  it('changing the password counts against the same lockout: no bypass through setPassword', async () => {
    log = openTestLog()
    let t = 1_000_000
    const sup = new Supervisor(new RefCache(log.db), { now: () => t, params: FAST })
    const me = session()
    await sup.setPassword(me, { next: 'right-one' })
    sup.lock(me)
    for (let i = 0; i < 5; i++) await failure(sup.unlock(me, `guess-${i}`))
    // locked out: the current password given to a change is refused, right or not
    const change = await failure(sup.setPassword(me, { current: 'right-one', next: 'mine-now' }))
    expect(change).toMatchObject({ code: 'too-many-attempts', field: 'current' })
    expect(sup.isUnlocked(me)).toBe(false)
    t += 30_001
    expect((await sup.unlock(me, 'right-one')).unlocked).toBe(true)
  })

  it('fifty guesses at once through setPassword, then the right one: all refused after the fifth', async () => {
    log = openTestLog()
    const t = 1_000_000
    const sup = new Supervisor(new RefCache(log.db), { now: () => t, params: FAST })
    const me = session()
    await sup.setPassword(me, { next: 'right-one' })
    sup.lock(me)
    const guesses = Array.from({ length: 50 }, (_, i) =>
      failure(sup.setPassword(me, { current: `guess-${i}`, next: 'taken-over' })),
    )
    const right = sup.setPassword(me, { current: 'right-one', next: 'taken-over' }).then(
      () => null,
      (e: unknown) => e as AppError,
    )
    const codes = (await Promise.all(guesses)).map((e) => e.code)
    expect(codes.filter((c) => c === 'wrong-password')).toHaveLength(5)
    expect(codes.filter((c) => c === 'too-many-attempts')).toHaveLength(45)
    expect((await right)?.code).toBe('too-many-attempts')
    expect(sup.isUnlocked(me)).toBe(false)
    // the hash is still the first password's
    expect((await failure(sup.unlock(me, 'taken-over'))).code).toBe('too-many-attempts')
  })

  it('the counter is kept in the database: a restart does not reset it; the delay grows', async () => {
    log = openTestLog()
    let t = 1_000_000
    const cache = new RefCache(log.db)
    const me = session()
    const first = new Supervisor(cache, { now: () => t, params: FAST })
    await first.setPassword(me, { next: 'right-one' })
    first.lock(me)
    for (let i = 0; i < 5; i++) await failure(first.unlock(me, `guess-${i}`))
    expect(cache.get(ATTEMPTS_KEY)).toMatchObject({ failures: 5 })
    // a new app start over the same database
    const second = new Supervisor(cache, { now: () => t, params: FAST })
    expect((await failure(second.unlock(me, 'right-one'))).code).toBe('too-many-attempts')
    // after the first lockout, one more wrong password locks it for twice as long
    t += 30_001
    expect((await failure(second.unlock(me, 'guess-6'))).code).toBe('wrong-password')
    t += 30_001
    const longer = await failure(second.unlock(me, 'right-one'))
    expect(longer.code).toBe('too-many-attempts')
    expect(longer.message).toMatch(/30 秒|29 秒/)
    t += 30_000
    expect((await second.unlock(me, 'right-one')).unlocked).toBe(true)
    // a success clears the counter
    expect(cache.get(ATTEMPTS_KEY)).toMatchObject({ failures: 0, lockedUntil: 0 })
  })

  it("a hash made with older parameters still opens, and is replaced by one at today's cost", async () => {
    log = openTestLog()
    const cache = new RefCache(log.db)
    const salt = randomBytes(16)
    const old = { N: 16_384, r: 8, p: 1 }
    cache.put(SUPERVISOR_HASH_KEY, {
      v: 1,
      algo: 'scrypt',
      ...old,
      salt: salt.toString('base64'),
      hash: scryptSync('old-secret', salt, 32, old).toString('base64'),
    })
    const target = { N: 32_768, r: 8, p: 1 }
    const sup = new Supervisor(cache, { params: target })
    const me = session()
    expect((await sup.unlock(me, 'old-secret')).unlocked).toBe(true)
    const now = cache.get(SUPERVISOR_HASH_KEY) as { N: number; salt: string; hash: string }
    expect(now.N).toBe(target.N)
    expect(now.salt).not.toBe(salt.toString('base64'))
    sup.lock(me)
    expect((await sup.unlock(me, 'old-secret')).unlocked).toBe(true)
  })
})
