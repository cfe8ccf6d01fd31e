import { scryptSync, randomBytes, timingSafeEqual } from 'node:crypto'
import type { SessionInfo } from '../../shared/domain'
import { AppError } from '../ipc/app-error'

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

  start(info: SessionInfo, password: string): void {
    const salt = randomBytes(16)
    this.info = info
    this.passwordHash = { salt, hash: scryptSync(password, salt, 32) }
  }

  end(): void {
    this.info = null
    this.passwordHash = null
  }

  /** the logged-in agent, or a typed error the screen turns into "please log in" */
  require(): SessionInfo {
    if (!this.info) throw new AppError('not-logged-in', '登录已失效，请重新登录')
    return this.info
  }

  checkPassword(password: string): boolean {
    if (!this.passwordHash) return false
    const candidate = scryptSync(password, this.passwordHash.salt, 32)
    return timingSafeEqual(candidate, this.passwordHash.hash)
  }
}
