import { beforeEach, describe, expect, it } from 'vitest'
import { miaosuanIdOf, useProfileStore } from '../../../renderer/src/stores/profile'
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
    // no Miaosuan id was revealed: nothing to ask
    expect(profile.sections.miaosuan.status).toBe('skipped')
    expect(s.fake.fn('customer', 'profileMiaosuan')).not.toHaveBeenCalled()
  })

  it('asks Miaosuan with the id a section revealed, and retries one section', async () => {
    s.fake.answer(
      'customer',
      'profileDatacenter',
      section('datacenter', { links: { miaosuanCustomerId: '42' } }),
    )
    s.fake.fail('customer', 'profileMiaosuan', { kind: 'http', message: '秒算：服务器错误' })
    const profile = useProfileStore()
    await profile.load('15920447900', 141)
    expect(s.fake.fn('customer', 'profileMiaosuan')).toHaveBeenCalledWith({ customerId: 42 })
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

  it('finds a Miaosuan id among the links', () => {
    expect(miaosuanIdOf([section('cdp', { links: { oneId: 'x' } })])).toBeNull()
    expect(miaosuanIdOf([null, section('cdp', { links: { miaosuanId: '7' } })])).toBe(7)
  })
})
