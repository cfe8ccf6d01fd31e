import { beforeEach, describe, expect, it } from 'vitest'
import LoginForm from '../../../renderer/src/components/login/LoginForm.vue'
import { useSessionStore } from '../../../renderer/src/stores/session'
import { flushPromises, mountWith, setup, type Setup } from '../support/mount'

let s: Setup
beforeEach(() => {
  s = setup()
})

async function submit(w: Awaited<ReturnType<typeof mountWith>>, user: string, password: string) {
  await w.find('#login-user').setValue(user)
  await w.find('#login-password').setValue(password)
  await w.find('form').trigger('submit')
  await flushPromises()
}

describe('the login form', () => {
  it('asks for the 工号 and the password before calling main', async () => {
    const w = await mountWith(LoginForm, s)
    await submit(w, '', '')
    expect(w.text()).toContain('请输入工号')
    await submit(w, '00006', '')
    expect(w.text()).toContain('请输入密码')
    expect(document.activeElement?.id).toBe('login-password')
    expect(s.fake.fn('session', 'login')).not.toHaveBeenCalled()
    w.unmount()
  })

  it('shows a wrong password in Chinese and puts the focus back in the password', async () => {
    s.fake.fail('session', 'login', {
      kind: 'remote',
      message: '用户名或者密码错误',
      code: 'bad-credentials',
    })
    const w = await mountWith(LoginForm, s)
    await submit(w, '00006', 'x')
    expect(w.find('[data-test=login-error]').text()).toBe('用户名或者密码错误')
    expect(document.activeElement?.id).toBe('login-password')
    expect(w.emitted('loggedIn')).toBeUndefined()
    w.unmount()
  })

  it('shows an inactive user as main says it', async () => {
    s.fake.fail('session', 'login', {
      kind: 'remote',
      message: '账号状态为「停用」，不能外呼，请联系主管',
      code: 'inactive-user',
    })
    const w = await mountWith(LoginForm, s)
    await submit(w, '00009', '888')
    expect(w.find('[data-test=login-error]').text()).toContain('不能外呼')
    w.unmount()
  })

  it('offers a retry when the server is unreachable', async () => {
    s.fake.fail('session', 'login', { kind: 'network', message: '置业外呼服务：无法连接服务器' })
    const w = await mountWith(LoginForm, s)
    await submit(w, '00006', '888')
    expect(w.find('[data-test=login-error]').text()).toContain('服务器暂时无法连接')
    expect(w.find('[data-test=login-submit]').text()).toBe('重试')
    s.fake.answer('session', 'login', (await import('../support/fake-api')).session)
    await w.find('form').trigger('submit')
    await flushPromises()
    expect(w.emitted('loggedIn')).toHaveLength(1)
    w.unmount()
  })

  it('lets a remembered password stay empty', async () => {
    useSessionStore().remembered = { userNum: '00006', hasPassword: true }
    const w = await mountWith(LoginForm, s)
    expect((w.find('#login-user').element as HTMLInputElement).value).toBe('00006')
    expect(w.find('#login-password').attributes('placeholder')).toContain('已记住密码')
    await w.find('form').trigger('submit')
    await flushPromises()
    expect(s.fake.fn('session', 'login')).toHaveBeenCalledWith({
      userNum: '00006',
      password: '',
      remember: true,
    })
    w.unmount()
  })
})
