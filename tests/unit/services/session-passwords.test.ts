import { randomBytes, scryptSync } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { SessionInfo } from '../../../shared/domain'
import { AppError } from '../../../electron/core/app-error'
import { RemoteError } from '../../../electron/core/errors'
import { ACTIVE_USER_STATUS } from '../../../electron/core/weixin/schemas'
import { Supervisor } from '../../../electron/services/calllog/supervisor'
import type { ConnectionManager } from '../../../electron/services/connections/connections'
import type { KeyValueCache } from '../../../electron/services/db/ref-cache'
import { createSessionService } from '../../../electron/services/session/session-service'
import { SessionState } from '../../../electron/services/session/session-state'
import { PasswordGuard } from '../../../electron/services/session/password-guard'
import { PASSWORD_SCRYPT } from '../../../electron/services/session/password-hash'
import { MemoryVault } from '../../../electron/services/vault/vault'

/** Tests hash at a low cost (the supervisor test checks the production parameters once). */
const FAST = { N: 1024, r: 8, p: 1 }

class MapCache implements KeyValueCache {
  readonly map = new Map<string, unknown>()
  get(key: string): unknown {
    return this.map.get(key)
  }
  put(key: string, value: unknown): void {
    this.map.set(key, JSON.parse(JSON.stringify(value)))
  }
  entry<T>(key: string, parse?: (v: unknown) => T): { value: T } | null {
    if (!this.map.has(key)) return null
    const v = this.map.get(key)
    return { value: parse ? parse(v) : (v as T) }
  }
}

const quiet = { info: () => {}, warn: () => {}, error: () => {} }

function setup(opts: { online?: boolean; params?: typeof FAST } = {}) {
  let online = opts.online ?? true
  let t = 1_000_000
  const weixin = {
    currentServer: 'http://127.0.0.1/estate',
    resetServer: () => {},
    useLeastLoadedServer: async () => {},
    getUserStatus: async () => ACTIVE_USER_STATUS,
    login: async ({ pwd }: { user_num: string; pwd: string }) => {
      if (!online) {
        throw new RemoteError({ kind: 'network', system: 'weixin', message: '无法连接服务器' })
      }
      if (pwd !== 'agent-pass') {
        throw new RemoteError({ kind: 'remote', system: 'weixin', message: '用户名或者密码错误' })
      }
      return { user_id: 29, user_name: '冯依敏' }
    },
  }
  const connections = {
    get: async () => ({ weixin, machineNo: 'weixin' }),
  } as unknown as ConnectionManager
  const cache = new MapCache()
  const state = new SessionState()
  const passwords = new PasswordGuard(cache, { now: () => t, params: opts.params ?? FAST })
  const session = createSessionService({
    connections,
    vault: new MemoryVault(),
    state,
    cache,
    log: quiet,
    passwords,
  })
  return {
    session,
    state,
    cache,
    passwords,
    goOffline: () => void (online = false),
    advance: (ms: number) => void (t += ms),
    now: () => t,
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

const login = (pw = 'agent-pass') => ({ userNum: '00006', password: pw, remember: false })

describe('local password checks: idle lock, offline login, supervisor', () => {
  it('the production cost is OWASP scrypt (N = 2^17, r = 8, p = 1) unless a test lowers it', () => {
    expect(PASSWORD_SCRYPT.N).toBeGreaterThanOrEqual(2 ** 17)
    expect(PASSWORD_SCRYPT).toMatchObject({ r: 8, p: 1 })
    expect(new PasswordGuard(new MapCache()).params).toEqual(PASSWORD_SCRYPT)
  })

  it('the offline verifier keeps its scrypt parameters with the hash', async () => {
    const s = setup()
    await s.session.login(login())
    const kept = s.cache.get('login:00006') as Record<string, unknown>
    expect(kept).toMatchObject({ v: 1, algo: 'scrypt', ...FAST, userId: 29, machineNo: 'weixin' })
    expect(JSON.stringify(kept)).not.toContain('agent-pass')
  })

  it('the idle lock is checked off the main thread: timers keep running while it hashes', async () => {
    const s = setup({ params: { N: 2 ** 15, r: 8, p: 1 } })
    await s.session.login(login())
    await s.session.lock()
    let ticks = 0
    const timer = setInterval(() => ticks++, 1)
    try {
      expect(await s.session.unlock({ password: 'agent-pass' })).toBe(true)
    } finally {
      clearInterval(timer)
    }
    expect(ticks).toBeGreaterThan(0)
  })

  it('wrong idle-lock passwords lock out the idle lock, and the supervisor password too', async () => {
    const s = setup()
    const me = await s.session.login(login())
    const sup = new Supervisor(s.cache, { guard: s.passwords })
    await sup.setPassword(me as SessionInfo, { next: 'boss-pass' })
    sup.lock(me as SessionInfo)
    await s.session.lock()
    for (let i = 0; i < 5; i++) {
      expect(await s.session.unlock({ password: `guess-${i}` })).toBe(false)
    }
    // the right password waits now, wherever it is typed
    expect((await failure(s.session.unlock({ password: 'agent-pass' }))).code).toBe(
      'too-many-attempts',
    )
    expect((await failure(sup.unlock(me as SessionInfo, 'boss-pass'))).code).toBe(
      'too-many-attempts',
    )
    expect(
      (await failure(sup.setPassword(me as SessionInfo, { current: 'boss-pass', next: 'x1234' })))
        .code,
    ).toBe('too-many-attempts')
    s.advance(30_001)
    expect(await s.session.unlock({ password: 'agent-pass' })).toBe(true)
  })

  it('offline login counts its guesses against the cached verifier', async () => {
    const s = setup()
    await s.session.login(login())
    await s.session.logout()
    s.goOffline()
    for (let i = 0; i < 5; i++) {
      const e = await failure(s.session.login(login(`guess-${i}`)))
      expect(e.code).toBe('bad-credentials')
    }
    expect((await failure(s.session.login(login()))).code).toBe('too-many-attempts')
    s.advance(30_001)
    expect((await s.session.login(login())).offline).toBe(true)
  })

  it('a legacy verifier (N = 2^14, no parameters stored) still logs in offline and is upgraded', async () => {
    const s = setup({ params: { N: 2 ** 15, r: 8, p: 1 } })
    const salt = randomBytes(16)
    s.cache.put('login:00006', {
      salt: salt.toString('base64'),
      hash: scryptSync('agent-pass', salt, 32, { N: 16_384, r: 8, p: 1 }).toString('base64'),
      userId: 29,
      userName: '冯依敏',
      machineNo: 'weixin',
    })
    s.goOffline()
    const info = await s.session.login(login())
    expect(info).toMatchObject({ offline: true, userId: 29 })
    expect(s.cache.get('login:00006')).toMatchObject({ v: 1, N: 2 ** 15, r: 8, p: 1, userId: 29 })
    // the new verifier opens the idle lock and the next offline login
    await s.session.lock()
    expect(await s.session.unlock({ password: 'agent-pass' })).toBe(true)
    await s.session.logout()
    expect((await s.session.login(login())).offline).toBe(true)
  })
})
