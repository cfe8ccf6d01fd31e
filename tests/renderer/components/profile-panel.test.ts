import { beforeEach, describe, expect, it } from 'vitest'
import ProfilePanel from '../../../renderer/src/components/workspace/ProfilePanel.vue'
import { useProfileStore } from '../../../renderer/src/stores/profile'
import { section } from '../support/fake-api'
import { flushPromises, mountWith, setup, type Setup } from '../support/mount'

let s: Setup
beforeEach(() => {
  s = setup()
})

const miaosuan = () => document.querySelector<HTMLElement>('[data-system=miaosuan]')!

describe('the 360 panel’s Miaosuan section', () => {
  it('an unlinked number: the agent types the id and links it; the document’s fields appear', async () => {
    s.fake.answer(
      'customer',
      'profileMiaosuan',
      section('miaosuan', { found: false, fields: [], unlinked: true }),
    )
    const w = await mountWith(ProfilePanel, s)
    await useProfileStore().load('15920447900', 141)
    await flushPromises()
    expect(miaosuan().textContent).toContain('尚未关联秒算客户')
    const input = w.find('[data-test=miaosuan-link] input')
    await input.setValue('abc')
    await w.find('[data-test=miaosuan-link]').trigger('submit')
    await flushPromises()
    expect(w.find('[data-test=miaosuan-link-error]').text()).toBe('秒算客户 id 应为正整数')
    s.fake.answer(
      'customer',
      'linkMiaosuan',
      section('miaosuan', {
        found: true,
        fields: [
          { label: '装修进度', value: '设计' },
          { label: '设计师', value: '夏冰' },
        ],
      }),
    )
    await input.setValue('12')
    await w.find('[data-test=miaosuan-link]').trigger('submit')
    await flushPromises()
    expect(s.fake.fn('customer', 'linkMiaosuan')).toHaveBeenCalledWith({
      phone: '15920447900',
      customerId: 12,
    })
    expect(miaosuan().textContent).toContain('设计师')
    expect(w.find('[data-test=miaosuan-link]').exists()).toBe(false)
    w.unmount()
  })

  it('main’s refusal names the field in Chinese', async () => {
    s.fake.answer(
      'customer',
      'profileMiaosuan',
      section('miaosuan', { found: false, fields: [], unlinked: true }),
    )
    s.fake.fail('customer', 'linkMiaosuan', {
      kind: 'invalid-args',
      message: '秒算客户 id：秒算中没有客户 9，请核对后再关联',
      field: 'customerId',
    })
    const w = await mountWith(ProfilePanel, s)
    await useProfileStore().load('15920447900', 141)
    await flushPromises()
    await w.find('[data-test=miaosuan-link] input').setValue('9')
    await w.find('[data-test=miaosuan-link]').trigger('submit')
    await flushPromises()
    expect(w.find('[data-test=miaosuan-link-error]').text()).toContain('秒算客户 id')
    w.unmount()
  })

  it('a CDP note (未配置 CDP 项目) is shown instead of 无记录', async () => {
    s.fake.answer(
      'customer',
      'profileCdp',
      section('cdp', { found: false, fields: [], note: '未配置 CDP 项目：连接配置中没有此项目' }),
    )
    const w = await mountWith(ProfilePanel, s)
    await useProfileStore().load('15920447900', 141)
    await flushPromises()
    expect(document.querySelector('[data-system=cdp]')?.textContent).toContain('未配置 CDP 项目')
    w.unmount()
  })
})

describe('the 360 panel without a number', () => {
  it('says what it will show instead of empty sections, and shows them once a number loads', async () => {
    const w = await mountWith(ProfilePanel, s)
    expect(w.find('[data-test=profile-empty]').text()).toBe('号码出现后，这里显示其客户资料')
    expect(w.findAll('[data-system]')).toHaveLength(0)
    void useProfileStore().load('15920447900', 141)
    await flushPromises()
    expect(w.find('[data-test=profile-empty]').exists()).toBe(false)
    expect(w.findAll('[data-system]').length).toBeGreaterThan(0)
    useProfileStore().clear()
    await flushPromises()
    expect(w.find('[data-test=profile-empty]').exists()).toBe(true)
    w.unmount()
  })
})
