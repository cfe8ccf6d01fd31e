import { scryptSync } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import type { SessionInfo } from '../../../shared/domain'
import { AppError } from '../../../electron/core/app-error'
import { RefCache } from '../../../electron/services/db/ref-cache'
import { SUPERVISOR_HASH_KEY, Supervisor } from '../../../electron/services/calllog/supervisor'
import { openTestLog, type TestLog } from './helpers'

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

  it('keeps a salted scrypt hash (N ≥ 16384) in the database, never the password', async () => {
    log = openTestLog()
    const cache = new RefCache(log.db)
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
    expect(stored.N).toBeGreaterThanOrEqual(16_384)
    expect(Buffer.from(stored.salt, 'base64').length).toBeGreaterThanOrEqual(16)
    // it is scrypt of the password with that salt
    const again = scryptSync('主管密码 2026', Buffer.from(stored.salt, 'base64'), 32, {
      N: stored.N,
      r: stored.r,
      p: stored.p,
    })
    expect(again.toString('base64')).toBe(stored.hash)
    // a second machine-wide set uses a new salt: equal passwords do not give equal hashes
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
    await new Supervisor(cache).setPassword(me, { next: 'secret-1' })
    // a new app start: locked, but configured (the hash is on disk)
    const sup = new Supervisor(cache)
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
    const sup = new Supervisor(new RefCache(log.db))
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
    const sup = new Supervisor(new RefCache(log.db), { now: () => t })
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
})
