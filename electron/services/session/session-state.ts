import type { SessionInfo } from '../../../shared/domain'
import { AppError } from '../../core/app-error'
import type { PasswordHash } from './password-hash'

/**
 * Who is logged in on this machine, shared by the services. The password itself is not kept:
 * only a salted scrypt hash (the session service makes it off the main thread and checks it
 * under the shared attempt counter), so the idle lock can be opened without a new login.
 */
export class SessionState {
  private info: SessionInfo | null = null
  private passwordHash: PasswordHash | null = null

  get current(): SessionInfo | null {
    return this.info
  }

  update(patch: Partial<SessionInfo>): SessionInfo {
    const info = this.require({ allowLocked: true })
    this.info = { ...info, ...patch }
    return this.info
  }

  start(info: SessionInfo, passwordHash: PasswordHash): void {
    this.info = info
    this.passwordHash = passwordHash
  }

  end(): void {
    this.info = null
    this.passwordHash = null
  }

  /**
   * The logged-in agent, or a typed error the screen turns into "please log in". While the idle
   * lock is on, only what opens it is allowed.
   */
  require(opts: { allowLocked?: boolean } = {}): SessionInfo {
    if (!this.info)
      throw new AppError('not-logged-in', '登录已失效，请重新登录', { code: 'session-expired' })
    if (this.info.locked && !opts.allowLocked) {
      throw new AppError('not-logged-in', '工作台已锁定，请输入密码解锁', { code: 'locked' })
    }
    return this.info
  }

  /** The hash of the logged-in agent's password, for the idle lock. */
  lockHash(): PasswordHash | null {
    return this.passwordHash
  }
}
