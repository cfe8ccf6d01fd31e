import { isRemoteError } from '../../core/errors'
import { isActiveUserStatus } from '../../core/weixin/schemas'
import type { ConnectionManager } from '../connections/connections'
import type { EmitEvent, Logger } from '../ports'
import type { SessionState } from './session-state'

/** How often get_user_status is asked during a shift. */
export const STATUS_CHECK_MS = 5 * 60_000
/** How often the wall clock is looked at: a gap far beyond it means the machine slept. */
const TICK_MS = 30_000

export interface UserStatusWatchDeps {
  connections: ConnectionManager
  state: SessionState
  log: Logger
  emit?: EmitEvent
  now?: () => number
  intervalMs?: number
  tickMs?: number
}

/** Why the agent was sent back to the login screen, in the agent's words. */
export function inactiveReason(status: string): string {
  return `您的账号状态已变为「${status}」，不能继续外呼，已退出登录。如有疑问请联系主管。`
}
const NOT_FOUND_REASON = '服务器上已找不到您的工号，已退出登录。如有疑问请联系主管。'

/**
 * get_user_status during the shift (call flow step 11 holds for the whole shift, not only at
 * login): every few minutes, at once after the machine wakes (the clock jumped) and when the
 * idle lock is opened. A status other than 活动 ends the session and tells the agent why; a
 * server that cannot be reached changes nothing (offline work goes on).
 */
export class UserStatusWatch {
  private timer: ReturnType<typeof setInterval> | null = null
  private lastCheck = 0
  private lastTick = 0
  private running: Promise<string | null> | null = null
  private readonly now: () => number
  private readonly intervalMs: number
  private readonly tickMs: number

  constructor(private readonly deps: UserStatusWatchDeps) {
    this.now = deps.now ?? Date.now
    this.intervalMs = deps.intervalMs ?? STATUS_CHECK_MS
    this.tickMs = deps.tickMs ?? TICK_MS
  }

  /** starts watching the logged-in agent (a login calls it) */
  start(): void {
    this.stop()
    this.lastCheck = this.now()
    this.lastTick = this.lastCheck
    this.timer = setInterval(() => this.tick(), Math.min(this.tickMs, this.intervalMs))
    this.timer.unref?.()
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
  }

  private tick(): void {
    const at = this.now()
    const slept = at - this.lastTick > 3 * Math.min(this.tickMs, this.intervalMs)
    this.lastTick = at
    if (slept || at - this.lastCheck >= this.intervalMs) void this.check(slept ? 'resume' : 'timer')
  }

  /**
   * Asks the server now. Resolves to the reason when the session was ended (the agent is no
   * longer 活动), null otherwise, including when the server could not be asked.
   */
  check(why: 'timer' | 'resume' | 'unlock'): Promise<string | null> {
    this.running ??= this.ask(why).finally(() => (this.running = null))
    return this.running
  }

  private async ask(why: string): Promise<string | null> {
    const { state, log } = this.deps
    const who = state.current
    if (!who) return null
    this.lastCheck = this.now()
    let reason: string
    try {
      const conns = await this.deps.connections.get()
      const status = await conns.weixin.getUserStatus({ enroll_number: who.userNum })
      if (isActiveUserStatus(status)) return null
      reason = inactiveReason(status)
    } catch (e) {
      if (isRemoteError(e) && e.kind === 'remote' && e.code === 'staff-not-found') {
        reason = NOT_FOUND_REASON
      } else {
        log.info('user status check did not reach the server', {
          why,
          error: e instanceof Error ? e.message : String(e),
        })
        return null
      }
    }
    // another agent may have logged in meanwhile: only the one asked about is sent away
    if (state.current?.userNum !== who.userNum) return null
    state.end()
    this.stop()
    log.warn('session ended: the agent is no longer active', { userNum: who.userNum, why })
    this.deps.emit?.('sessionExpired', { reason })
    return reason
  }
}
