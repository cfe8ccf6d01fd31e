import type { SupervisorStatus } from '../../../shared/calllog'
import type { SessionInfo } from '../../../shared/domain'
import { AppError } from '../../core/app-error'
import type { KeyValueCache } from '../db/ref-cache'
import { SUPERVISOR_HASH_KEY } from '../db/ref-keys'
import { PasswordGuard } from '../session/password-guard'
import { readPasswordHash, type PasswordHash, type ScryptParams } from '../session/password-hash'

/**
 * The supervisor password of this machine. Only a salted scrypt hash is kept, in the local
 * database's reference store (never in the settings, which the renderer reads, and never
 * returned by any method). Supervisor mode is held in memory and belongs to the session that
 * opened it: a logout, another agent's login or an app restart closes it. Every check of the
 * password (unlock, and the current one when changing it) goes through the machine's one
 * PasswordGuard: the attempt counter and lockout the idle lock and offline login share.
 */

/** Where the hash lives in the RefCache. */
export { SUPERVISOR_HASH_KEY }

/** The part of RefCache this needs (the database's ref_cache table). */
export interface HashStore extends KeyValueCache {
  entry<T>(key: string, parse?: (value: unknown) => T): { value: T } | null
}

export interface SupervisorOptions {
  /** epoch ms, for the lockout after wrong passwords */
  now?: () => number
  /** the machine's shared attempt counter; by default one over `store` */
  guard?: PasswordGuard
  /** scrypt cost when no guard is given (tests lower it) */
  params?: ScryptParams
}

const sessionKey = (s: SessionInfo): string => `${s.userNum}\u0000${s.loggedInAt}`

export class Supervisor {
  private unlockedFor: string | null = null
  readonly guard: PasswordGuard

  constructor(
    private readonly store: HashStore,
    opts: SupervisorOptions = {},
  ) {
    this.guard =
      opts.guard ??
      new PasswordGuard(store, {
        ...(opts.now ? { now: opts.now } : {}),
        ...(opts.params ? { params: opts.params } : {}),
      })
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
    if (!(await this.guard.verify(password, stored, 'password'))) {
      throw new AppError('forbidden', '主管密码不正确', {
        field: 'password',
        code: 'wrong-password',
      })
    }
    await this.upgrade(stored, password)
    this.unlockedFor = sessionKey(session)
    return this.status(session)
  }

  lock(session: SessionInfo | null): SupervisorStatus {
    this.unlockedFor = null
    return this.status(session)
  }

  /**
   * Sets the password, or changes it: a change needs the current one, checked under the same
   * counter as unlocking. Whoever sets or changes it has shown they know it, so supervisor mode
   * opens for their session.
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
      if (!(await this.guard.verify(input.current, stored, 'current'))) {
        throw new AppError('forbidden', '当前主管密码不正确', {
          field: 'current',
          code: 'wrong-password',
        })
      }
    }
    this.store.put(SUPERVISOR_HASH_KEY, await this.guard.hash(input.next))
    this.unlockedFor = sessionKey(session)
    return this.status(session)
  }

  /** A hash made with older parameters is replaced once the password is known to be right. */
  private async upgrade(stored: PasswordHash, password: string): Promise<void> {
    if (!this.guard.isOutdated(stored)) return
    try {
      this.store.put(SUPERVISOR_HASH_KEY, await this.guard.hash(password))
    } catch {
      // the old hash still verifies; the next unlock tries again
    }
  }

  private stored(): PasswordHash | null {
    return this.store.entry(SUPERVISOR_HASH_KEY, (v) => readPasswordHash(v))?.value ?? null
  }
}
