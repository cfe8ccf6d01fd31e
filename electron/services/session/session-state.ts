import { scryptSync, randomBytes, timingSafeEqual } from 'node:crypto'
import type { SessionInfo } from '../../../shared/domain'
import { AppError } from '../../core/app-error'

/**
 * Who is logged in on this machine, shared by the services. The password itself is not kept:
 * only a salted scrypt hash, so the idle lock can be opened without a new login.
 */
export class SessionState {
  private info: SessionInfo | null = null
  private passwordHash: { salt: Buffer; hash: Buffer } | null = null

  get current(): SessionInfo | null {
    return this.info
  }

  update(patch: Partial<SessionInfo>): SessionInfo {
    const info = this.require({ allowLocked: true })
    this.info = { ...info, ...patch }
    return this.info
  }

  start(info: SessionInfo, password: string): void {
    const salt = randomBytes(16)
    this.info = info
    this.passwordHash = { salt, hash: scryptSync(password, salt, 32) }
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
    if (!this.info) throw new AppError('not-logged-in', '登录已失效，请重新登录')
    if (this.info.locked && !opts.allowLocked) {
      throw new AppError('not-logged-in', '工作台已锁定，请输入密码解锁', { code: 'locked' })
    }
    return this.info
  }

  checkPassword(password: string): boolean {
    if (!this.passwordHash) return false
    const candidate = scryptSync(password, this.passwordHash.salt, 32)
    return timingSafeEqual(candidate, this.passwordHash.hash)
  }
}
