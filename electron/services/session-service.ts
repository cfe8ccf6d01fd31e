import type { SessionService } from '../../shared/ipc/contract'
import { isActiveUserStatus } from '../core/weixin/schemas'
import { AppError } from '../ipc/app-error'
import type { ConnectionManager } from './connections'
import type { Logger, Vault } from './ports'
import type { SessionState } from './session-state'

export interface SessionServiceDeps {
  connections: ConnectionManager
  vault: Vault
  state: SessionState
  log: Logger
  now?: () => Date
}

/** Login (login → get_user_status → get_server_url), remember-me, logout and the idle lock. */
export function createSessionService(deps: SessionServiceDeps): SessionService {
  const { connections, vault, state, log } = deps
  const now = deps.now ?? (() => new Date())

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

  return {
    async login({ userNum, password, remember: rememberMe }) {
      const pwd = await resolvePassword(userNum, password)
      const conns = await connections.get()
      const user = await conns.weixin.login({ user_num: userNum, pwd })
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
      const info = {
        userId: user.user_id,
        userName: user.user_name,
        userNum,
        machineNo: conns.machineNo,
        server: conns.weixin.currentServer,
        loggedInAt: now().toISOString(),
        offline: false,
        notice,
      }
      state.start(info, pwd)
      log.info('login', { userNum, userId: user.user_id, server: info.server })
      return info
    },

    async logout() {
      const who = state.current
      state.end()
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

    async unlock({ password }) {
      state.require()
      return state.checkPassword(password)
    },
  }
}
