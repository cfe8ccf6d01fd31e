import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto'
import { z } from 'zod'
import type { SupervisorStatus } from '../../../shared/calllog'
import type { SessionInfo } from '../../../shared/domain'
import { AppError } from '../../core/app-error'

/**
 * The supervisor password of this machine. Only a salted scrypt hash is kept, in the local
 * database's reference store (never in the settings, which the renderer reads, and never
 * returned by any method). Supervisor mode is held in memory and belongs to the session that
 * opened it: a logout, another agent's login or an app restart closes it.
 */

/** Where the hash lives in the RefCache. */
export const SUPERVISOR_HASH_KEY = 'supervisor.passwordHash'

/** The part of RefCache this needs (the database's ref_cache table). */
export interface HashStore {
  entry<T>(key: string, parse?: (value: unknown) => T): { value: T } | null
  put(key: string, value: unknown): void
}

const storedSchema = z.object({
  v: z.literal(1),
  algo: z.literal('scrypt'),
  N: z.number().int().min(2),
  r: z.number().int().min(1),
  p: z.number().int().min(1),
  salt: z.string().min(1),
  hash: z.string().min(1),
})
type StoredHash = z.infer<typeof storedSchema>

/** N = 2^14 with r = 8: 16 MiB and some tens of milliseconds per try. */
export const SCRYPT_PARAMS = { N: 16_384, r: 8, p: 1 } as const
const KEY_LENGTH = 32

/** After this many wrong passwords in a row, unlocking waits LOCKOUT_MS. */
const MAX_FAILURES = 5
const LOCKOUT_MS = 30_000

function derive(password: string, salt: Buffer, params: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const maxmem = 256 * (params.N ?? 16_384) * (params.r ?? 8) + 1024 * 1024
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, { ...params, maxmem }, (err, key) =>
      err ? reject(err) : resolve(key),
    )
  })
}

export interface SupervisorOptions {
  /** epoch ms, for the lockout after wrong passwords */
  now?: () => number
}

const sessionKey = (s: SessionInfo): string => `${s.userNum}\u0000${s.loggedInAt}`

export class Supervisor {
  private unlockedFor: string | null = null
  private failures = 0
  private lockedUntil = 0
  private readonly now: () => number

  constructor(
    private readonly store: HashStore,
    opts: SupervisorOptions = {},
  ) {
    this.now = opts.now ?? Date.now
  }

  configured(): boolean {
    return this.stored() !== null
  }

  /** Supervisor mode is open for this session. */
  isUnlocked(session: SessionInfo | null): boolean {
    return session !== null && this.unlockedFor === sessionKey(session)
  }

  status(session: SessionInfo | null): SupervisorStatus {
    return { configured: this.configured(), unlocked: this.isUnlocked(session) }
  }

  /** AppError 'forbidden' unless supervisor mode is open for this session. */
  require(session: SessionInfo, what = '此操作'): void {
    if (!this.isUnlocked(session)) {
      throw new AppError('forbidden', `${what}需要主管模式，请先输入主管密码`, {
        code: 'supervisor-required',
      })
    }
  }

  async unlock(session: SessionInfo, password: string): Promise<SupervisorStatus> {
    const stored = this.stored()
    if (!stored) {
      throw new AppError('forbidden', '本机尚未设置主管密码，请先在设置中设置', {
        code: 'not-configured',
      })
    }
    const wait = this.lockedUntil - this.now()
    if (wait > 0) {
      throw new AppError(
        'forbidden',
        `主管密码错误次数过多，请 ${Math.ceil(wait / 1000)} 秒后再试`,
        { code: 'too-many-attempts', field: 'password' },
      )
    }
    if (!(await this.matches(stored, password))) {
      this.failures++
      if (this.failures >= MAX_FAILURES) {
        this.failures = 0
        this.lockedUntil = this.now() + LOCKOUT_MS
      }
      throw new AppError('forbidden', '主管密码不正确', {
        field: 'password',
        code: 'wrong-password',
      })
    }
    this.failures = 0
    this.unlockedFor = sessionKey(session)
    return this.status(session)
  }

  lock(session: SessionInfo | null): SupervisorStatus {
    this.unlockedFor = null
    return this.status(session)
  }

  /**
   * Sets the password, or changes it: a change needs the current one. Whoever sets or changes it
   * has shown they know it, so supervisor mode opens for their session.
   */
  async setPassword(
    session: SessionInfo,
    input: { current?: string | undefined; next: string },
  ): Promise<SupervisorStatus> {
    const stored = this.stored()
    if (stored) {
      if (!input.current) {
        throw new AppError('forbidden', '修改主管密码需要输入当前主管密码', {
          field: 'current',
          code: 'current-required',
        })
      }
      if (!(await this.matches(stored, input.current))) {
        throw new AppError('forbidden', '当前主管密码不正确', {
          field: 'current',
          code: 'wrong-password',
        })
      }
    }
    const salt = randomBytes(16)
    const hash = await derive(input.next, salt, SCRYPT_PARAMS)
    const value: StoredHash = {
      v: 1,
      algo: 'scrypt',
      ...SCRYPT_PARAMS,
      salt: salt.toString('base64'),
      hash: hash.toString('base64'),
    }
    this.store.put(SUPERVISOR_HASH_KEY, value)
    this.failures = 0
    this.unlockedFor = sessionKey(session)
    return this.status(session)
  }

  private stored(): StoredHash | null {
    return this.store.entry(SUPERVISOR_HASH_KEY, (v) => storedSchema.parse(v))?.value ?? null
  }

  private async matches(stored: StoredHash, password: string): Promise<boolean> {
    const expected = Buffer.from(stored.hash, 'base64')
    const candidate = await derive(password, Buffer.from(stored.salt, 'base64'), {
      N: stored.N,
      r: stored.r,
      p: stored.p,
    })
    return candidate.length === expected.length && timingSafeEqual(candidate, expected)
  }
}
