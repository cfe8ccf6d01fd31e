import { z } from 'zod'
import type { SessionInfo } from '../../../shared/domain'
import type { SessionService } from '../../../shared/ipc/contract'
import { isRemoteError } from '../../core/errors'
import { isActiveUserStatus } from '../../core/weixin/schemas'
import { AppError } from '../../core/app-error'
import type { ConnectionManager } from '../connections/connections'
import type { KeyValueCache } from '../db/ref-cache'
import type { Logger, Vault } from '../ports'
import { PasswordGuard } from './password-guard'
import { passwordHashSchema, readPasswordHash, type PasswordHash } from './password-hash'
import type { SessionState } from './session-state'
import type { UserStatusWatch } from './status-watch'

export interface SessionServiceDeps {
  connections: ConnectionManager
  vault: Vault
  state: SessionState
  /** keeps a salted scrypt verifier per 工号 (never the password) for offline login */
  cache: KeyValueCache
  log: Logger
  now?: () => Date
  /** the machine's one attempt counter and hash cost; by default one over `cache` */
  passwords?: PasswordGuard
  /** get_user_status during the shift: a supervisor's deactivation ends the session */
  statusWatch?: UserStatusWatch
  /** told each status change (a logout ends a pause): the call log keeps the pause periods */
  onAgentStatus?: (info: SessionInfo) => void
}

/** What is cached per 工号 besides the password hash (current or legacy form). */
const offlineUserSchema = z.object({
  userId: z.number().int().positive(),
  userName: z.string(),
  machineNo: z.string(),
})
type OfflineUser = z.infer<typeof offlineUserSchema>

function offlineEntry(user: OfflineUser, hash: PasswordHash) {
  return { ...passwordHashSchema.parse(hash), ...user }
}

/** Login (login → get_user_status → get_server_url), remember-me, logout and the idle lock. */
export function createSessionService(deps: SessionServiceDeps): SessionService {
  const { connections, vault, state, log } = deps
  const now = deps.now ?? (() => new Date())
  const passwords = deps.passwords ?? new PasswordGuard(deps.cache, { now: () => now().getTime() })

  async function resolvePassword(userNum: string, typed: string): Promise<string> {
    if (typed !== '') return typed
    const [rememberedUser, remembered] = await Promise.all([
      vault.get('login.userNum'),
      vault.get('password'),
    ])
    if (remembered && rememberedUser === userNum) return remembered
    throw new AppError('invalid-args', '请输入密码', { field: 'password' })
  }

  async function remember(userNum: string, password: string, on: boolean): Promise<string | null> {
    if (!on) {
      await vault.delete('password')
      await vault.delete('login.userNum')
      return null
    }
    const status = await vault.status()
    if (!status.available) {
      return `未记住密码：${status.problem ?? '系统没有可用的加密存储'}`
    }
    await vault.set('login.userNum', userNum)
    await vault.set('password', password)
    return null
  }

  /**
   * The server cannot be reached: an agent who logged in on this machine before may work from
   * the cached projects and packages; saves wait in the outbox.
   */
  async function offlineLogin(
    userNum: string,
    pwd: string,
    cause: unknown,
  ): Promise<{ info: ReturnType<typeof build>; hash: PasswordHash }> {
    const raw = deps.cache.get(`login:${userNum}`)
    const user = offlineUserSchema.safeParse(raw)
    const hash = readPasswordHash(raw)
    if (!user.success || !hash) {
      throw new AppError(
        'network',
        '无法连接服务器，且本机没有该工号的离线数据，请检查网络后重试',
        {
          cause,
        },
      )
    }
    const v = user.data
    // a cached verifier can be guessed against offline: it counts like every local check
    if (!(await passwords.verify(pwd, hash)))
      throw new AppError('remote', '用户名或者密码错误（离线校验）', { code: 'bad-credentials' })
    log.warn('offline login from cached verifier', { userNum })
    let kept = hash
    if (passwords.isOutdated(hash)) {
      kept = await passwords.hash(pwd)
      try {
        deps.cache.put(`login:${userNum}`, offlineEntry(v, kept))
      } catch {
        // the old verifier still works; the next login upgrades it
      }
    }
    const info = build(
      v.userId,
      v.userName,
      userNum,
      v.machineNo,
      '（离线）',
      true,
      '服务器暂时无法连接：正在离线工作，使用本机缓存的项目和信息包，保存的记录会在恢复后自动同步',
    )
    return { info, hash: kept }
  }

  function build(
    userId: number,
    userName: string,
    userNum: string,
    machineNo: string,
    server: string,
    offline: boolean,
    notice: string | null,
  ) {
    return {
      userId,
      userName,
      userNum,
      machineNo,
      server,
      loggedInAt: now().toISOString(),
      offline,
      notice,
      agentStatus: { state: 'ready' as const, reason: '', since: now().toISOString() },
      locked: false,
    }
  }

  return {
    async login({ userNum, password, remember: rememberMe }) {
      const pwd = await resolvePassword(userNum, password)
      const conns = await connections.get()
      let user
      try {
        user = await conns.weixin.login({ user_num: userNum, pwd })
      } catch (e) {
        if (!(isRemoteError(e) && e.kind === 'network')) throw e
        const offline = await offlineLogin(userNum, pwd, e)
        state.start(offline.info, offline.hash)
        // the status is asked as soon as the server answers again
        deps.statusWatch?.start()
        return offline.info
      }
      const status = await conns.weixin.getUserStatus({ enroll_number: userNum })
      if (!isActiveUserStatus(status)) {
        throw new AppError('remote', `账号状态为「${status}」，不能外呼，请联系主管`, {
          code: 'inactive-user',
        })
      }
      try {
        await conns.weixin.useLeastLoadedServer()
      } catch (e) {
        // get_server_url is an optimisation: the configured base still works
        log.warn('get_server_url failed; staying on the configured server', {
          error: e instanceof Error ? e.message : String(e),
        })
      }
      const notice = await remember(userNum, pwd, rememberMe)
      // one hash (off the main thread) serves the offline verifier and the idle lock
      const hash = await passwords.hash(pwd)
      deps.cache.put(
        `login:${userNum}`,
        offlineEntry(
          { userId: user.user_id, userName: user.user_name, machineNo: conns.machineNo },
          hash,
        ),
      )
      const info = build(
        user.user_id,
        user.user_name,
        userNum,
        conns.machineNo,
        conns.weixin.currentServer,
        false,
        notice,
      )
      state.start(info, hash)
      deps.statusWatch?.start()
      log.info('login', { userNum, userId: user.user_id, server: info.server })
      return info
    },

    async logout() {
      const who = state.current
      deps.statusWatch?.stop()
      state.end()
      if (who?.agentStatus.state === 'paused') {
        deps.onAgentStatus?.({ ...who, agentStatus: { state: 'ready', reason: '', since: '' } })
      }
      const conns = await connections.get()
      conns.weixin.resetServer()
      if (who) log.info('logout', { userNum: who.userNum })
      return null
    },

    async current() {
      return state.current
    },

    async remembered() {
      const [userNum, password] = await Promise.all([
        vault.get('login.userNum'),
        vault.get('password'),
      ])
      return userNum ? { userNum, hasPassword: password !== null } : null
    },

    async lock() {
      state.update({ locked: true })
      log.info('locked (idle)')
      return null
    },

    async unlock({ password }) {
      state.require({ allowLocked: true })
      const hash = state.lockHash()
      if (!hash || !(await passwords.verify(password, hash))) return false
      // the status may have changed while the workstation stood locked
      const ended = await deps.statusWatch?.check('unlock')
      if (ended) throw new AppError('not-logged-in', ended, { code: 'inactive-user' })
      state.update({ locked: false })
      return true
    },

    async setAgentStatus(input) {
      state.require()
      const reason = input.state === 'paused' ? input.reason : ''
      log.info('agent status', { state: input.state, reason })
      const info = state.update({
        agentStatus: { state: input.state, reason, since: now().toISOString() },
      })
      deps.onAgentStatus?.(info)
      return info
    },
  }
}
