import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { defaultSoftphoneSettings } from '../../shared/softphone-defaults'
import { startAppHarness, ok, err, waitFor, type AppHarness } from '../support/app-harness'

let h: AppHarness

beforeEach(async () => {
  h = await startAppHarness()
})

afterEach(async () => {
  await h.close()
})

const login = (userNum = '00006', password = '888', remember = false) =>
  h.api.session.login({ userNum, password, remember })

describe('session service over IPC', () => {
  it('logs in as the documented user and reports the server it uses', async () => {
    const s = ok(await login())
    expect(s).toMatchObject({ userId: 29, userName: '冯依敏', userNum: '00006', offline: false })
    expect(s.server).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/estate$/)
    expect(ok(await h.api.session.current())?.userId).toBe(29)
  })

  it('a wrong password is the server’s Chinese error', async () => {
    const e = err(await login('00006', 'nope'))
    expect(e).toMatchObject({ kind: 'remote', system: 'weixin', message: '用户名或者密码错误' })
  })

  it('an inactive agent cannot work', async () => {
    const e = err(await login('00009'))
    expect(e.code).toBe('inactive-user')
    expect(e.message).toContain('停用')
    expect(ok(await h.api.session.current())).toBeNull()
  })

  it('an unreachable server on a machine never logged in on: a network error in Chinese', async () => {
    await h.sandbox.servers.weixin.setOffline(true)
    const e = err(await login())
    expect(e.kind).toBe('network')
    expect(e.message).toContain('无法连接服务器')
    expect(e.message).toContain('离线数据')
  })

  it('works offline from cache after one online login; saves wait and then go out', async () => {
    ok(await login())
    const projects = ok(await h.api.catalog.projects())
    const pkgs = ok(await h.api.catalog.packages({ projectId: 141 }))
    ok(await h.api.catalog.callbackItems())
    const ref = { projectId: 141, packageId: 467 }
    const phone = ok(await h.api.calling.nextPhone(ref))
    ok(await h.api.session.logout())
    await h.sandbox.servers.weixin.setOffline(true)
    expect(err(await login('00006', 'wrong')).code).toBe('bad-credentials')
    const s = ok(await login())
    expect(s).toMatchObject({ offline: true, userId: 29 })
    expect(s.notice).toContain('离线')
    expect(ok(await h.api.catalog.projects())).toEqual(projects)
    expect(ok(await h.api.catalog.packages({ projectId: 141 }))).toEqual(pkgs)
    // the number dispensed before is still there, and its result is kept until the server is back
    expect(ok(await h.api.calling.nextPhone(ref)).phoneId).toBe(phone.phoneId)
    ok(
      await h.api.calling.saveCallback({
        ...ref,
        phoneId: phone.phoneId,
        phone: phone.phone,
        ownerName: phone.ownerName,
        callbackItem: '继续跟进',
      }),
    )
    await waitFor(async () => ok(await h.api.sync.status()).online === false, 'offline')
    const state = () =>
      h.sandbox.servers.weixin.def.state() as { callbacks: { phone_no: string }[] }
    expect(state().callbacks).toHaveLength(0)
    await h.sandbox.servers.weixin.setOffline(false)
    ok(await h.api.sync.flush())
    await waitFor(() => state().callbacks.length === 1, 'delivery after the server is back', 10_000)
  })

  it('remember me keeps the password in the vault only, and it logs in again without it', async () => {
    ok(await login('00006', '888', true))
    expect(await h.vault.get('password')).toBe('888')
    const remembered = ok(await h.api.session.remembered())
    expect(remembered).toEqual({ userNum: '00006', hasPassword: true })
    expect(JSON.stringify(remembered)).not.toContain('888')
    ok(await h.api.session.logout())
    expect(ok(await login('00006', '', true)).userId).toBe(29)
    ok(await login('00006', '888', false))
    expect(await h.vault.get('password')).toBeNull()
    expect(err(await login('00006', '', false))).toMatchObject({ field: 'password' })
  })

  it('remember me with no encryption available still logs in, and says why it did not remember', async () => {
    h.vault.setUnavailable('系统没有可用的密钥环')
    const s = ok(await login('00006', '888', true))
    expect(s.notice).toContain('未记住密码')
    expect(await h.vault.get('password')).toBeNull()
  })

  it('the idle lock opens with the password only', async () => {
    ok(await login())
    expect(ok(await h.api.session.unlock({ password: 'wrong' }))).toBe(false)
    expect(ok(await h.api.session.unlock({ password: '888' }))).toBe(true)
  })

  it('services that need an agent say so before login', async () => {
    expect(err(await h.api.catalog.projects())).toMatchObject({ kind: 'not-logged-in' })
    expect(err(await h.api.calling.nextPhone({ projectId: 141, packageId: 467 })).kind).toBe(
      'not-logged-in',
    )
  })
})

describe('catalog, calling and customer over IPC', () => {
  beforeEach(async () => {
    ok(await login())
  })

  it('projects: current first, expired last, with their status', async () => {
    const projects = ok(await h.api.catalog.projects())
    expect(projects.length).toBeGreaterThan(3)
    const order = projects.map((p) => p.status)
    expect(order.indexOf('expired')).toBeGreaterThan(order.lastIndexOf('current'))
    expect(projects.find((p) => p.id === 141)).toMatchObject({
      name: '万科东荟城',
      status: 'current',
    })
    const expired = projects.find((p) => p.status === 'expired')
    expect(expired && expired.endDate < '2026-11-22').toBe(true)
  })

  it('packages, callback items and enums', async () => {
    const pkgs = ok(await h.api.catalog.packages({ projectId: 141 }))
    expect(pkgs[0]).toEqual({ id: 467, name: 'VIP 客户', projectId: 141 })
    const items = ok(await h.api.catalog.callbackItems()).map((i) => i.name)
    expect(items).toEqual(expect.arrayContaining(['接受邀请', '继续跟进']))
    expect(ok(await h.api.catalog.genderTypes())).toContainEqual({ name: '男', value: 'M' })
    expect(ok(await h.api.catalog.customerTypes())).toContainEqual({ name: '一般客', value: '01' })
  })

  it('an expired project’s packages are refused with the server’s reason', async () => {
    const expired = ok(await h.api.catalog.projects()).find((p) => p.status === 'expired')
    if (!expired) throw new Error('the seed has no expired project')
    const e = err(await h.api.catalog.packages({ projectId: expired.id }))
    expect(e).toMatchObject({ code: 'project-expired', message: '联动项目已删除、或者过期' })
  })

  it('a dispensed number survives a restart until its result is saved', async () => {
    const ref = { projectId: 141, packageId: 467 }
    const first = ok(await h.api.calling.nextPhone(ref))
    expect(first).toMatchObject({ phone: '15920447900', ownerName: '李先生' })
    // asking again before saving does not spend another number
    expect(ok(await h.api.calling.nextPhone(ref)).phoneId).toBe(first.phoneId)
    const h2 = await h.restart()
    try {
      ok(await h2.api.session.login({ userNum: '00006', password: '888', remember: false }))
      expect(ok(await h2.api.calling.currentPhone(ref))?.phoneId).toBe(first.phoneId)
      const receipt = ok(
        await h2.api.calling.saveCallback({
          ...ref,
          phoneId: first.phoneId,
          phone: first.phone,
          ownerName: first.ownerName,
          callbackItem: '继续跟进',
        }),
      )
      // committed locally at once; delivered by the outbox right after
      expect(receipt.state).toBe('pending')
      const next = ok(await h2.api.calling.nextPhone(ref))
      expect(next.phoneId).not.toBe(first.phoneId)
      const state = () =>
        h.sandbox.servers.weixin.def.state() as { callbacks: { phone_no: string }[] }
      await waitFor(
        () => state().callbacks.some((c) => c.phone_no === first.phone),
        'the callback to reach the sandbox',
      )
      expect(state().callbacks.filter((c) => c.phone_no === first.phone)).toHaveLength(1)
      await waitFor(async () => ok(await h2.api.sync.status()).pending === 0, 'sync')
    } finally {
      await h2.close()
    }
  })

  it('runs a package until it is exhausted', async () => {
    const ref = { projectId: 141, packageId: 467 }
    const seen = new Set<string>()
    for (let i = 0; i < 200; i++) {
      const r = await h.api.calling.nextPhone(ref)
      if (!r.ok) {
        expect(r.error).toMatchObject({
          code: 'package-exhausted',
          message: '此信息包已经 call 完',
        })
        break
      }
      expect(seen.has(r.value.phone)).toBe(false)
      seen.add(r.value.phone)
      ok(
        await h.api.calling.saveCallback({
          ...ref,
          phoneId: r.value.phoneId,
          phone: r.value.phone,
          ownerName: r.value.ownerName,
          callbackItem: '无人接听',
        }),
      )
    }
    const pkg = h.sandbox.world.projects
      .flatMap((p) => p.packages)
      .find((p) => p.package_id === 467)
    expect(seen.size).toBe(pkg?.phones.length)
  })

  it('rejects a bad save before it leaves the app, naming the field', async () => {
    const e = err(
      await h.api.calling.saveCallback({
        projectId: 141,
        packageId: 467,
        phoneId: 1,
        phone: '  ',
        ownerName: '李先生',
        callbackItem: '继续跟进',
      }),
    )
    expect(e).toMatchObject({ kind: 'invalid-args', field: 'phone' })
    expect(e.message).toContain('电话号码')
  })

  it('saves a customer', async () => {
    const receipt = ok(
      await h.api.customer.saveToCustomer({
        projectId: 141,
        customerName: '李建华',
        phone: '15920447900',
        gender: 'M',
        customerType: '01',
        recommend: '星汇云锦',
        followContent: '有意成交的客户',
      }),
    )
    expect(receipt.state).toBe('pending')
    const state = () =>
      h.sandbox.servers.weixin.def.state() as { customers: { customer_phone: string }[] }
    await waitFor(() => state().customers.length > 0, 'the customer to reach the sandbox')
    expect(state().customers.map((c) => c.customer_phone)).toEqual(['15920447900'])
  })

  it('dials through the settings template', async () => {
    // calling hours hold for the URI handoff too: open all day, so the test runs at any hour
    const softphone = { ...defaultSoftphoneSettings, callingWindows: ['00:00-24:00'] }
    ok(await h.api.settings.update({ softphone }))
    expect(ok(await h.api.calling.dial({ phone: '15920447900' })).uri).toBe('tel:15920447900')
    ok(await h.api.settings.update({ dialTemplate: 'sip:{phone}@pbx.local' }))
    expect(ok(await h.api.calling.dial({ phone: '15920447900' })).uri).toBe(
      'sip:15920447900@pbx.local',
    )
    expect(h.dialled).toEqual(['tel:15920447900', 'sip:15920447900@pbx.local'])
  })

  it('loads each 360 section on its own', async () => {
    const people = [...h.sandbox.world.people.values()]
    const known = people.find((p) => p.cstGUID && p.cdp && p.rabbitpre)
    const unknown = people.find((p) => !p.cstGUID && !p.cdp && !p.rabbitpre)
    if (!known || !unknown) throw new Error('seed lacks the people this test needs')
    const dc = ok(await h.api.customer.profileDatacenter({ phone: known.phone, projectId: 141 }))
    expect(dc).toMatchObject({ found: true, configured: true, links: { cstGUID: known.cstGUID } })
    expect(dc.fields.find((f) => f.label === '姓名')?.value).toBe(known.fullName)
    expect(ok(await h.api.customer.profileCdp({ phone: known.phone, projectId: 141 })).found).toBe(
      true,
    )
    const rp = ok(await h.api.customer.profileRabbitpre({ phone: known.phone }))
    expect(rp.fields.find((f) => f.label === '昵称')?.value).toBe(known.rabbitpre?.wxNickname)
    expect(
      ok(await h.api.customer.profileDatacenter({ phone: unknown.phone, projectId: 141 })).found,
    ).toBe(false)
    // one section failing leaves the others working
    await h.sandbox.servers.cdp.setOffline(true)
    expect(err(await h.api.customer.profileCdp({ phone: known.phone, projectId: 141 })).kind).toBe(
      'network',
    )
    expect(
      ok(await h.api.customer.profileDatacenter({ phone: known.phone, projectId: 141 })).found,
    ).toBe(true)
  })
})
