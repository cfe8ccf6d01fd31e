import { beforeEach, describe, expect, it } from 'vitest'
import CallLogView from '../../../renderer/src/views/CallLogView.vue'
import { useSessionStore } from '../../../renderer/src/stores/session'
import { logRow, session } from '../support/fake-api'
import { flushPromises, mountWith, setup, type Setup } from '../support/mount'

let s: Setup
beforeEach(async () => {
  s = setup()
  useSessionStore().info = { ...session }
  await s.router.push('/history')
})

const mountHistory = () => mountWith(CallLogView, s)
const query = () => s.fake.fn('calllog', 'query')
const $ = <T extends Element = HTMLElement>(sel: string) => document.querySelector<T>(sel)
const click = async (sel: string) => {
  const el = $(sel)
  if (!el) throw new Error(`no ${sel}`)
  el.click()
  await flushPromises()
}
const type = async (sel: string, value: string) => {
  const input = $<HTMLInputElement>(`${sel} input, input${sel}`)!
  input.value = value
  input.dispatchEvent(new Event('input', { bubbles: true }))
  await flushPromises()
}
const enter = async (sel: string) => {
  $(`input${sel}, ${sel} input`)!.dispatchEvent(
    new KeyboardEvent('keydown', { key: 'Enter', code: 'Enter', bubbles: true }),
  )
  await flushPromises()
}
/** the dialog's form, as Enter or its submit button would send it */
const submit = async () => {
  $('[data-test=supervisor-form]')!.dispatchEvent(new Event('submit', { cancelable: true }))
  await flushPromises()
}
/** the field errors shown in the supervisor dialog (Element Plus draws them in a transition) */
const fieldErrors = (w: Awaited<ReturnType<typeof mountHistory>>) =>
  w
    .findAllComponents({ name: 'ElFormItem' })
    .map((c) => c.props('error') as string)
    .filter(Boolean)
const phones = () =>
  [...document.querySelectorAll('[data-test=row-phone]')].map((e) => e.textContent?.trim())

describe('the call log', () => {
  it('marks each practice call made in training mode (培训); real calls carry no mark', async () => {
    s.fake.answer('calllog', 'query', {
      rows: [
        { ...logRow(1), profile: 'training' },
        { ...logRow(2), profile: 'production' },
      ],
      total: 2,
    })
    const w = await mountHistory()
    const marks = w.findAll('[data-test=row-training]')
    expect(marks).toHaveLength(1)
    expect(marks[0]!.text()).toBe('培训')
    w.unmount()
  })

  it('shows a page of calls with masked numbers and the total; no agent filter for an agent', async () => {
    s.fake.answer('calllog', 'query', { rows: [logRow(1), logRow(2)], total: 1234 })
    const w = await mountHistory()
    expect(query()).toHaveBeenCalledWith({ filter: {}, page: 1, pageSize: 50 })
    expect(w.find('[data-test=calllog-total]').text()).toBe('共 1,234 条')
    expect(phones()).toEqual(['159****7901', '159****7902'])
    expect(w.text()).toContain('号码已隐藏中间四位')
    expect(w.find('[data-test=filter-agent]').exists()).toBe(false)
    expect(w.text()).toContain('万科东荟城')
    expect(w.text()).toContain('1:23')
    w.unmount()
  })

  it('says there are no calls yet, or none matching, with a way out', async () => {
    s.fake.answer('calllog', 'query', { rows: [], total: 0 })
    const w = await mountHistory()
    expect(w.find('[data-test=calllog-empty]').text()).toContain('还没有通话记录')
    await type('[data-test=filter-search]', '李')
    await enter('[data-test=filter-search]')
    expect(query()).toHaveBeenLastCalledWith({ filter: { search: '李' }, page: 1, pageSize: 50 })
    expect(w.find('[data-test=calllog-empty]').text()).toContain('没有符合筛选条件的通话记录')
    await click('[data-test=calllog-empty] button')
    // the unfiltered first page is still at hand: no new request
    expect(w.find('[data-test=calllog-empty]').text()).toContain('还没有通话记录')
    expect($<HTMLInputElement>('input[data-test=filter-search]')!.value).toBe('')
    w.unmount()
  })

  it("shows main's error in Chinese with a retry", async () => {
    s.fake.fail('calllog', 'query', { kind: 'storage', message: '本地数据库不可用' })
    const w = await mountHistory()
    expect(w.find('[data-test=calllog-error]').text()).toContain('通话记录加载失败')
    expect(w.find('[data-test=calllog-error]').text()).toContain('本地数据库不可用')
    expect(w.find('[data-test=calllog-empty]').exists()).toBe(false)
    s.fake.answer('calllog', 'query', { rows: [logRow(1)], total: 1 })
    await click('[data-test=calllog-error] button')
    expect(w.find('[data-test=calllog-error]').exists()).toBe(false)
    expect(phones()).toEqual(['159****7901'])
    w.unmount()
  })

  it('turns pages with PageDown / PageUp', async () => {
    s.fake.answer('calllog', 'query', { rows: [logRow(1)], total: 500 })
    const w = await mountHistory()
    document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'PageDown', bubbles: true }))
    await flushPromises()
    expect(query().mock.calls.map((c) => c[0].page)).toContain(3)
    expect(w.find('.el-pager .is-active').text()).toBe('2')
    document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'PageUp', bubbles: true }))
    await flushPromises()
    expect(w.find('.el-pager .is-active').text()).toBe('1')
    w.unmount()
  })
})

describe('supervisor mode', () => {
  it('sets the first password with a confirmation, then shows the badge and every agent', async () => {
    s.fake.answer('calllog', 'supervisorStatus', { configured: false, unlocked: false })
    const w = await mountHistory()
    await click('[data-test=supervisor-enter]')
    const dialog = () => $('[data-test=supervisor-dialog]')!
    expect(dialog().textContent).toContain('设置主管密码')
    expect(dialog().textContent).toContain('本机尚未设置主管密码')
    await type('#supervisor-password', '123')
    await submit()
    expect(fieldErrors(w)).toEqual(['主管密码至少 6 位'])
    await type('#supervisor-password', '123456')
    await type('#supervisor-confirm', '123457')
    await submit()
    expect(fieldErrors(w)).toEqual(['两次输入的密码不一致'])
    expect(s.fake.fn('calllog', 'setSupervisorPassword')).not.toHaveBeenCalled()

    s.fake.answer('calllog', 'agents', [
      { userNum: '00006', userName: '冯依敏' },
      { userNum: '00007', userName: '李娜' },
    ])
    s.fake.answer('calllog', 'query', {
      rows: [logRow(1, { userName: '李娜', userNum: '00007' })],
      total: 1,
    })
    await type('#supervisor-confirm', '123456')
    await submit()
    expect(s.fake.fn('calllog', 'setSupervisorPassword')).toHaveBeenCalledWith({ next: '123456' })
    expect(w.find('[data-test=supervisor-badge]').text()).toBe('主管模式已开启')
    expect(w.find('[data-test=filter-agent]').exists()).toBe(true)
    expect(w.find('[data-test=calllog-table]').text()).toContain('李娜')
    w.unmount()
  })

  it('unlocks with the password; a wrong one is said under the field', async () => {
    const w = await mountHistory()
    await click('[data-test=supervisor-enter]')
    expect($('[data-test=supervisor-dialog]')!.textContent).toContain('进入主管模式')
    await submit()
    expect(fieldErrors(w)).toEqual(['请输入主管密码'])
    s.fake.fail('calllog', 'supervisorUnlock', {
      kind: 'forbidden',
      message: '主管密码不正确',
      field: 'password',
      code: 'wrong-password',
    })
    await type('#supervisor-password', 'wrong!')
    await submit()
    expect(fieldErrors(w)).toEqual(['主管密码不正确'])
    expect($<HTMLInputElement>('#supervisor-password')!.value).toBe('')
    s.fake.answer('calllog', 'supervisorUnlock', { configured: true, unlocked: true })
    await type('#supervisor-password', 'right!')
    await submit()
    expect(s.fake.fn('calllog', 'supervisorUnlock')).toHaveBeenLastCalledWith({
      password: 'right!',
    })
    expect(w.find('[data-test=supervisor-badge]').exists()).toBe(true)

    // full numbers only when asked for, and hidden again on lock
    await click('[data-test=reveal-phones]')
    expect(phones()).toEqual(['15920447901', '15920447902'])
    await click('[data-test=supervisor-lock]')
    expect(w.find('[data-test=supervisor-badge]').exists()).toBe(false)
    expect(phones()).toEqual(['159****7901', '159****7902'])
    w.unmount()
  })

  it('imports a call-log file and says what was read, added and duplicated', async () => {
    s.fake.answer('calllog', 'supervisorStatus', { configured: true, unlocked: true })
    s.fake.answer('calllog', 'importFile', {
      file: '/data/imports/通话记录.csv',
      read: 12,
      added: 9,
      duplicates: 3,
    })
    const w = await mountHistory()
    const before = query().mock.calls.length
    await click('[data-test=import]')
    expect(w.find('[data-test=import-result]').text()).toContain(
      '已导入 /data/imports/通话记录.csv：读取 12 条，新增 9 条，重复 3 条',
    )
    expect(query().mock.calls.length).toBeGreaterThan(before)
    w.unmount()
  })
})
