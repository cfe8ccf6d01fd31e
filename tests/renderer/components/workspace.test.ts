import { beforeEach, describe, expect, it } from 'vitest'
import WorkspaceView from '../../../renderer/src/views/WorkspaceView.vue'
import { useSessionStore } from '../../../renderer/src/stores/session'
import { phone, session } from '../support/fake-api'
import { flushPromises, mountWith, setup, type Setup } from '../support/mount'

let s: Setup
beforeEach(async () => {
  s = setup()
  useSessionStore().info = { ...session }
  await s.router.push('/work/141/467')
})

const mountWorkspace = () =>
  mountWith(WorkspaceView, s, { props: { projectId: 141, packageId: 467 } })
const key = async (
  k: string,
  target: EventTarget = document.body,
  init: KeyboardEventInit = {},
) => {
  target.dispatchEvent(
    new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true, ...init }),
  )
  await flushPromises()
}
const selected = (w: Awaited<ReturnType<typeof mountWorkspace>>) =>
  w.find('[data-test=callback-item][aria-checked=true]')

describe('the call workspace', () => {
  it('shows the number, the owner, and the callback items with their digits', async () => {
    const w = await mountWorkspace()
    expect(w.find('[data-test=phone-number]').text()).toBe(phone(0).phone)
    expect(w.find('[data-test=owner-name]').text()).toBe('李先生')
    const items = w.findAll('[data-test=callback-item]')
    expect(items).toHaveLength(9)
    expect(items[0]!.text()).toBe('1接受邀请')
    expect(items[8]!.attributes('aria-keyshortcuts')).toBe('9')
    w.unmount()
  })

  it('picks an item with 1-9 and saves with Enter, then shows the next number', async () => {
    const w = await mountWorkspace()
    await key('3')
    expect(selected(w).text()).toContain('无人接听')
    await key('Enter')
    expect(s.fake.fn('calling', 'saveCallback').mock.calls[0]?.[0]).toMatchObject({
      phone: phone(0).phone,
      callbackItem: '无人接听',
    })
    expect(w.find('[data-test=phone-number]').text()).toBe(phone(1).phone)
    expect(w.find('[data-test=last-saved]').text()).toContain('已保存：李先生 · 无人接听')
    // the new number has the focus: the next digit works at once
    expect(document.activeElement).toBe(w.find('[data-test=phone-number]').element)
    expect(selected(w).exists()).toBe(false)
    w.unmount()
  })

  it('leaves digits and Enter to the notes while typing there; Ctrl+Enter saves', async () => {
    const w = await mountWorkspace()
    const notes = w.find('textarea[data-test=notes]').element as HTMLTextAreaElement
    notes.focus()
    await key('5', notes)
    await key('Enter', notes)
    expect(selected(w).exists()).toBe(false)
    expect(s.fake.fn('calling', 'saveCallback')).not.toHaveBeenCalled()
    await key('2')
    await key('Enter', notes, { ctrlKey: true })
    expect(s.fake.fn('calling', 'saveCallback')).toHaveBeenCalledTimes(1)
    w.unmount()
  })

  it('ignores keys during an IME composition and while a dialog is open', async () => {
    const w = await mountWorkspace()
    await key('4', document.body, { isComposing: true })
    expect(selected(w).exists()).toBe(false)
    await w.find('[data-test=open-customer]').trigger('click')
    await flushPromises()
    await key('4')
    expect(selected(w).exists()).toBe(false)
    w.unmount()
  })

  it('asks for an item when Enter comes first', async () => {
    const w = await mountWorkspace()
    await key('Enter')
    expect(w.find('[data-test=save-error]').text()).toBe('请先选择反馈结果（按 1-9）')
    expect(s.fake.fn('calling', 'saveCallback')).not.toHaveBeenCalled()
    w.unmount()
  })

  it('Enter on a focused item picks it and saves', async () => {
    const w = await mountWorkspace()
    const item = w.findAll('[data-test=callback-item]')[1]!
    await item.trigger('keydown', { key: 'Enter' })
    await flushPromises()
    expect(s.fake.fn('calling', 'saveCallback').mock.calls[0]?.[0]).toMatchObject({
      callbackItem: '继续跟进',
    })
    w.unmount()
  })

  it('shows the exhausted state with the way back to the packages', async () => {
    const w = await mountWorkspace()
    s.fake.fail('calling', 'nextPhone', {
      kind: 'remote',
      message: '此信息包已经 call 完',
      code: 'package-exhausted',
    })
    await key('1')
    await key('Enter')
    const end = w.find('[data-test=end-state]')
    expect(end.attributes('data-kind')).toBe('exhausted')
    expect(end.text()).toContain('此信息包已经 call 完')
    await w.find('[data-test=to-packages]').trigger('click')
    await flushPromises()
    expect(s.router.currentRoute.value.fullPath).toBe('/projects/141')
    w.unmount()
  })

  it('masks the number when the settings say so', async () => {
    s.fake.answer('settings', 'get', {
      ...(await import('../../../shared/settings')).defaultSettings,
      maskPhones: true,
    })
    const { useSettingsStore } = await import('../../../renderer/src/stores/settings')
    await useSettingsStore().load()
    const w = await mountWorkspace()
    expect(w.find('[data-test=phone-number]').text()).toBe('159****7900')
    w.unmount()
  })
})

describe('the save-to-customer dialog', () => {
  const dialog = () => document.querySelector('[data-test=customer-form]') as HTMLFormElement
  const field = (id: string) => document.getElementById(id) as HTMLInputElement

  it('opens with the number’s defaults and validates naming each bad field in Chinese', async () => {
    const w = await mountWorkspace()
    // the 360 panel (whose Data Center name the dialog starts from) loads once the number is painted
    await new Promise((r) => setTimeout(r, 60))
    await key('k', document.body, { altKey: true })
    await flushPromises()
    // the Data Center's real name (the fake's profile knows 李建华), not the dispensed 李先生
    expect(field('customer-customerName').value).toBe('李建华')
    expect(field('customer-phone').value).toBe(phone(0).phone)
    field('customer-phone').value = '1234'
    field('customer-phone').dispatchEvent(new Event('input'))
    dialog().dispatchEvent(new Event('submit', { cancelable: true }))
    await flushPromises()
    const errors = w
      .findAllComponents({ name: 'ElFormItem' })
      .map((item) => item.props('error') as string | undefined)
      .filter(Boolean)
    expect(errors).toEqual([
      '请输入 11 位手机号码',
      '请选择性别',
      '请选择客户类型',
      '请填写跟进内容',
    ])
    expect(dialog().querySelectorAll('.el-form-item.is-error')).toHaveLength(4)
    expect(s.fake.fn('customer', 'saveToCustomer')).not.toHaveBeenCalled()
    // fixed: its error goes at once
    field('customer-phone').value = '15920447900'
    field('customer-phone').dispatchEvent(new Event('input'))
    await flushPromises()
    expect(dialog().querySelectorAll('.el-form-item.is-error')).toHaveLength(3)
    expect(dialog().textContent).not.toContain('11 位手机号码')
    w.unmount()
  })

  it('validates the required fields and the mobile number in the form’s order', async () => {
    const { validateCustomer } =
      await import('../../../renderer/src/composables/calling/customerForm')
    expect(
      validateCustomer({
        customerName: '李',
        phone: '15920447900',
        gender: 'M',
        customerType: '01',
        recommend: '万科东荟城',
        followContent: 'x',
      }),
    ).toEqual([])
    expect(
      validateCustomer({
        customerName: ' ',
        phone: '25920447900',
        gender: '',
        customerType: '01',
        recommend: '',
        followContent: 'x',
      }),
    ).toEqual([
      { field: 'customerName', rule: 'required' },
      { field: 'phone', rule: 'mobile' },
      { field: 'gender', rule: 'required' },
      { field: 'recommend', rule: 'required' },
    ])
  })
})
