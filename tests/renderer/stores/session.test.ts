import { beforeEach, describe, expect, it } from 'vitest'
import { useCatalogStore } from '../../../renderer/src/stores/catalog'
import { useSessionStore } from '../../../renderer/src/stores/session'
import { flushPromises } from '../support/mount'
import { session } from '../support/fake-api'
import { setup, type Setup } from '../support/mount'

let s: Setup
beforeEach(() => {
  s = setup()
})

describe('the session store', () => {
  it('logs in and keeps who is logged in', async () => {
    const store = useSessionStore()
    expect(await store.login('00006', '888', true)).toBe(true)
    expect(s.fake.fn('session', 'login')).toHaveBeenCalledWith({
      userNum: '00006',
      password: '888',
      remember: true,
    })
    expect(store.info?.userName).toBe('冯依敏')
    expect(store.remembered).toEqual({ userNum: '00006', hasPassword: true })
  })

  it('keeps main’s Chinese message and code for a wrong password', async () => {
    s.fake.fail('session', 'login', {
      kind: 'remote',
      message: '用户名或者密码错误',
      code: 'bad-credentials',
    })
    const store = useSessionStore()
    expect(await store.login('00006', 'x', false)).toBe(false)
    expect(store.loggedIn).toBe(false)
    expect(store.loginError).toMatchObject({
      code: 'bad-credentials',
      text: '用户名或者密码错误',
    })
  })

  it('keeps the inactive-user and network failures apart', async () => {
    const store = useSessionStore()
    s.fake.fail('session', 'login', {
      kind: 'remote',
      message: '账号状态为「停用」',
      code: 'inactive-user',
    })
    await store.login('00009', '888', false)
    expect(store.loginError?.code).toBe('inactive-user')
    s.fake.fail('session', 'login', { kind: 'network', message: '置业外呼服务：无法连接服务器' })
    await store.login('00006', '888', false)
    expect(store.loginError?.kind).toBe('network')
    expect(store.loggingIn).toBe(false)
  })

  it('restores main’s session, its lock and the remembered 工号', async () => {
    s.fake.answer('session', 'current', { ...session, locked: true })
    s.fake.answer('session', 'remembered', { userNum: '00006', hasPassword: true })
    const store = useSessionStore()
    await store.restore()
    expect(store.locked).toBe(true)
    expect(store.remembered?.hasPassword).toBe(true)
  })

  it('ends the session on the sessionExpired event, with the reason', async () => {
    const store = useSessionStore()
    await store.login('00006', '888', false)
    s.fake.emit('sessionExpired', { reason: '服务器设置已更改，请重新登录' })
    expect(store.loggedIn).toBe(false)
    expect(store.endedReason).toBe('服务器设置已更改，请重新登录')
  })

  it('ends the session when any call answers not-logged-in, and locks on code locked', async () => {
    const store = useSessionStore()
    await store.login('00006', '888', false)
    s.fake.fail('catalog', 'projects', {
      kind: 'not-logged-in',
      message: '工作台已锁定，请输入密码解锁',
      code: 'locked',
    })
    await useCatalogStore().loadProjects()
    expect(store.loggedIn).toBe(true)
    expect(store.locked).toBe(true)
    s.fake.fail('catalog', 'projects', { kind: 'not-logged-in', message: '登录已失效，请重新登录' })
    await useCatalogStore().loadProjects()
    await flushPromises()
    expect(store.loggedIn).toBe(false)
    expect(store.endedReason).toBe('登录已失效，请重新登录')
  })

  it('locks through main and unlocks only with the right password', async () => {
    const store = useSessionStore()
    await store.login('00006', '888', false)
    await store.lock()
    expect(store.locked).toBe(true)
    expect(s.fake.fn('session', 'lock')).toHaveBeenCalled()
    s.fake.answer('session', 'unlock', false)
    expect(await store.unlock('nope')).toEqual({ key: 'lock.wrong' })
    expect(store.locked).toBe(true)
    s.fake.answer('session', 'unlock', true)
    expect(await store.unlock('888')).toBeNull()
    expect(store.locked).toBe(false)
  })

  it('sets the agent status through main', async () => {
    const store = useSessionStore()
    await store.login('00006', '888', false)
    const paused = {
      ...session,
      agentStatus: { state: 'paused' as const, reason: '会议', since: 'x' },
    }
    s.fake.answer('session', 'setAgentStatus', paused)
    await store.setAgentStatus({ state: 'paused', reason: '会议' })
    expect(s.fake.fn('session', 'setAgentStatus')).toHaveBeenCalledWith({
      state: 'paused',
      reason: '会议',
    })
    expect(store.info?.agentStatus.reason).toBe('会议')
  })
})
