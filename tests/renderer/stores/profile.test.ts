import { beforeEach, describe, expect, it } from 'vitest'
import { parseMiaosuanId, useProfileStore } from '../../../renderer/src/stores/profile'
import { section } from '../support/fake-api'
import { setup, type Setup } from '../support/mount'

let s: Setup
beforeEach(() => {
  s = setup()
})

describe('the profile store', () => {
  it('loads each section on its own: one failing does not stop the others', async () => {
    s.fake.fail('customer', 'profileCdp', {
      kind: 'network',
      message: '客户数据中台：无法连接服务器',
    })
    s.fake.answer('customer', 'profileRabbitpre', section('rabbitpre', { configured: false }))
    const profile = useProfileStore()
    await profile.load('15920447900', 141)
    expect(profile.sections.datacenter.status).toBe('ok')
    expect(profile.sections.cdp).toMatchObject({
      status: 'error',
      error: { text: '客户数据中台：无法连接服务器', kind: 'network' },
    })
    expect(profile.sections.rabbitpre.section?.configured).toBe(false)
    // Miaosuan is asked by number (main keeps the link), without waiting for the others
    expect(s.fake.fn('customer', 'profileMiaosuan')).toHaveBeenCalledWith({
      phone: '15920447900',
    })
  })

  it('a landline: the systems that key on mobiles are skipped, Miaosuan is still asked', async () => {
    const profile = useProfileStore()
    await profile.load('020-38861234', 141)
    for (const sys of ['datacenter', 'cdp', 'rabbitpre'] as const) {
      expect(profile.sections[sys].status).toBe('skipped')
    }
    expect(s.fake.fn('customer', 'profileDatacenter')).not.toHaveBeenCalled()
    expect(s.fake.fn('customer', 'profileMiaosuan')).toHaveBeenCalledWith({ phone: '020-38861234' })
  })

  it('links a Miaosuan customer id: checked here first, then by main', async () => {
    const profile = useProfileStore()
    await profile.load('15920447900', 141)
    expect(await profile.linkMiaosuan('abc')).toMatchObject({
      text: '秒算客户 id 应为正整数',
      field: 'customerId',
    })
    expect(s.fake.fn('customer', 'linkMiaosuan')).not.toHaveBeenCalled()
    s.fake.fail('customer', 'linkMiaosuan', {
      kind: 'invalid-args',
      message: '秒算客户 id：秒算中没有客户 9，请核对后再关联',
      field: 'customerId',
    })
    expect((await profile.linkMiaosuan('9'))?.text).toContain('秒算中没有客户 9')
    s.fake.answer(
      'customer',
      'linkMiaosuan',
      section('miaosuan', { found: true, fields: [{ label: '装修进度', value: '设计' }] }),
    )
    expect(await profile.linkMiaosuan(' 12 ')).toBeNull()
    expect(s.fake.fn('customer', 'linkMiaosuan')).toHaveBeenLastCalledWith({
      phone: '15920447900',
      customerId: 12,
    })
    expect(profile.sections.miaosuan).toMatchObject({ status: 'ok', section: { found: true } })
  })

  it('retries one section', async () => {
    s.fake.fail('customer', 'profileMiaosuan', { kind: 'http', message: '秒算：服务器错误' })
    const profile = useProfileStore()
    await profile.load('15920447900', 141)
    expect(profile.sections.miaosuan.status).toBe('error')
    s.fake.answer('customer', 'profileMiaosuan', section('miaosuan'))
    await profile.retry('miaosuan')
    expect(profile.sections.miaosuan.status).toBe('ok')
    expect(s.fake.fn('customer', 'profileDatacenter')).toHaveBeenCalledTimes(1)
  })

  it('ignores the answers for an earlier number', async () => {
    let release!: () => void
    s.fake.fn('customer', 'profileRabbitpre').mockImplementationOnce(
      () =>
        new Promise((r) => {
          release = () => r({ ok: true, value: section('rabbitpre', { title: 'old' }) })
        }),
    )
    const profile = useProfileStore()
    const first = profile.load('15920447900', 141)
    await profile.load('13800000000', 141)
    release()
    await first
    expect(profile.sections.rabbitpre.section?.title).toBe('rabbitpre')
  })

  it('reads the typed Miaosuan id', () => {
    expect(parseMiaosuanId(' 7 ')).toBe(7)
    expect(parseMiaosuanId('')).toBe('请填写秒算客户 id')
    expect(parseMiaosuanId('0')).toBe('秒算客户 id 应为正整数')
    expect(parseMiaosuanId('99999999999')).toBe('秒算客户 id 过大')
  })
})
