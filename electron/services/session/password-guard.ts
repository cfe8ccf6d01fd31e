import { z } from 'zod'
import { AppError } from '../../core/app-error'
import type { KeyValueCache } from '../db/ref-cache'
import {
  hashPassword,
  needsRehash,
  PASSWORD_SCRYPT,
  verifyPassword,
  type PasswordHash,
  type ScryptParams,
} from './password-hash'

/**
 * One attempt counter and lockout for every password this machine checks by itself (supervisor
 * unlock, changing the supervisor password, the idle lock, offline login), so guesses cannot be
 * spread over several doors. It is kept in the database: a restart does not reset it. Checks run
 * one at a time: fifty guesses sent at once are counted one after the other, and those after the
 * lockout are refused without hashing.
 */

/** Where the counter lives in ref_cache. */
export const ATTEMPTS_KEY = 'auth.failedAttempts'

/** Wrong passwords in a row before the first lockout. */
export const FREE_FAILURES = 5
/** The first lockout; each further wrong password doubles it, up to MAX_LOCKOUT_MS. */
export const BASE_LOCKOUT_MS = 30_000
export const MAX_LOCKOUT_MS = 60 * 60_000

const attemptsSchema = z.object({
  failures: z.number().int().min(0),
  lockedUntil: z.number().min(0),
})
type Attempts = z.infer<typeof attemptsSchema>

export interface PasswordGuardOptions {
  /** epoch ms */
  now?: () => number
  /** scrypt cost for new hashes; PASSWORD_SCRYPT unless a test lowers it */
  params?: ScryptParams
}

export function lockoutMs(failures: number): number {
  if (failures < FREE_FAILURES) return 0
  return Math.min(MAX_LOCKOUT_MS, BASE_LOCKOUT_MS * 2 ** (failures - FREE_FAILURES))
}

function waitText(ms: number): string {
  const s = Math.ceil(ms / 1000)
  return s <= 90 ? `${s} 秒` : `${Math.ceil(s / 60)} 分钟`
}

export class PasswordGuard {
  readonly params: ScryptParams
  private readonly now: () => number
  /** the counter as this process knows it, when the database cannot be read or written */
  private memory: Attempts = { failures: 0, lockedUntil: 0 }
  private queue: Promise<unknown> = Promise.resolve()

  constructor(
    private readonly store: KeyValueCache,
    opts: PasswordGuardOptions = {},
  ) {
    this.now = opts.now ?? Date.now
    this.params = opts.params ?? PASSWORD_SCRYPT
  }

  /** A new hash of `password` at this guard's cost. */
  hash(password: string): Promise<PasswordHash> {
    return hashPassword(password, this.params)
  }

  /** The stored hash should be replaced (after a successful check) by one at today's cost. */
  isOutdated(stored: PasswordHash): boolean {
    return needsRehash(stored, this.params)
  }

  /**
   * Checks `password` against `stored` under the shared counter: true or false, or AppError
   * 'forbidden' code 'too-many-attempts' (with `field`) while locked out.
   */
  verify(password: string, stored: PasswordHash, field = 'password'): Promise<boolean> {
    const run = () => this.attempt(() => verifyPassword(password, stored), field)
    const next = this.queue.then(run, run)
    this.queue = next.catch(() => undefined)
    return next
  }

  /** Milliseconds until a password may be tried again (0: now). */
  remainingLockout(): number {
    return Math.max(0, this.read().lockedUntil - this.now())
  }

  private async attempt(check: () => Promise<boolean>, field: string): Promise<boolean> {
    const state = this.read()
    const wait = state.lockedUntil - this.now()
    if (wait > 0) {
      throw new AppError('forbidden', `密码错误次数过多，请 ${waitText(wait)}后再试`, {
        code: 'too-many-attempts',
        field,
        params: { seconds: Math.ceil(wait / 1000) },
      })
    }
    const ok = await check()
    if (ok) {
      if (state.failures > 0 || state.lockedUntil > 0) this.write({ failures: 0, lockedUntil: 0 })
      return true
    }
    const failures = state.failures + 1
    const lock = lockoutMs(failures)
    this.write({ failures, lockedUntil: lock > 0 ? this.now() + lock : 0 })
    return false
  }

  /** The stricter of the stored and the in-memory counter. */
  private read(): Attempts {
    let stored: Attempts = { failures: 0, lockedUntil: 0 }
    try {
      const parsed = attemptsSchema.safeParse(this.store.get(ATTEMPTS_KEY))
      if (parsed.success) stored = parsed.data
    } catch {
      // an unreadable database: the in-memory counter still holds
    }
    // a clock set back must not turn a 30-second lockout into days
    const cap = this.now() + MAX_LOCKOUT_MS
    return {
      failures: Math.max(stored.failures, this.memory.failures),
      lockedUntil: Math.min(cap, Math.max(stored.lockedUntil, this.memory.lockedUntil)),
    }
  }

  private write(next: Attempts): void {
    this.memory = next
    try {
      this.store.put(ATTEMPTS_KEY, next)
    } catch {
      // kept in memory for this run; the check itself must not fail on it
    }
  }
}
