import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FIELD_MAX } from '../../shared/fields'
import { LONG_OWNER_NAME, LONG_PROJECT_NAME } from '../../electron/sandbox/seed'
import type { WeixinServerDef } from '../../electron/sandbox/weixin'
import { startAppHarness, ok, err, waitFor, type AppHarness } from '../support/app-harness'

/**
 * The sandbox's messy data and faults against the whole app, each case one the client once got
 * wrong: numbers that are not mobiles, blank and over-long names, the CDP's own project ids, the
 * Miaosuan link, a deactivation during the shift, and what an HTTP error page proves.
 */

let h: AppHarness
beforeEach(async () => {
  h = await startAppHarness()
  ok(await h.api.session.login({ userNum: '00006', password: '888', remember: false }))
})
afterEach(async () => {
  await h.close()
})

const weixin = (): WeixinServerDef => h.sandbox.servers.weixin.def as WeixinServerDef
const messyProject = () => {
  const p = h.sandbox.world.projects.find((x) => x.pro_name === LONG_PROJECT_NAME)
  if (!p?.packages[0]) throw new Error('the seed has no messy project')
  return { project: p, pkg: p.packages[0] }
}

describe('messy call lists', () => {
  it('every dispensed number is saved and skipped: landlines, extensions, 400, blank and long names', async () => {
    const { project, pkg } = messyProject()
    const projects = ok(await h.api.catalog.projects())
    expect(projects.find((p) => p.id === project.pro_id)?.name).toBe(LONG_PROJECT_NAME)
    const ref = { projectId: project.pro_id, packageId: pkg.package_id }
    const seen: string[] = []
    for (;;) {
      const r = await h.api.calling.nextPhone(ref)
      if (!r.ok) {
        expect(r.error.code).toBe('package-exhausted')
        break
      }
      // the same number never comes back: a save the app refused would pin it
      expect(seen).not.toContain(r.value.phone)
      seen.push(r.value.phone)
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
    expect(seen).toEqual(pkg.phones)
    expect(seen.some((p) => /^020-\d{8}$/.test(p))).toBe(true)
    expect(seen.some((p) => /转\d+$/.test(p))).toBe(true)
    expect(seen.some((p) => p.startsWith('400'))).toBe(true)
    // savecallback sends what getphone gave, and the server takes it
    await waitFor(() => weixin().state().callbacks.length === seen.length, 'every save delivered')
    const sent = weixin().state().callbacks
    expect(sent.map((c) => c.phone_no)).toEqual(seen)
    const long = sent.find((c) => c.owner_name.startsWith(LONG_OWNER_NAME.slice(0, 10)))
    expect(long?.owner_name).toBe(
      Array.from(LONG_OWNER_NAME).slice(0, FIELD_MAX.ownerName).join(''),
    )
    expect(sent.filter((c) => c.owner_name === '').length).toBeGreaterThanOrEqual(2)
    // the call log says what was cut and what did not go to the Data Center
    const rows = ok(await h.api.calllog.query({ filter: { packageId: pkg.package_id } })).rows
    expect(rows).toHaveLength(seen.length)
    const longRow = rows.find((r) => r.ownerName.startsWith(LONG_OWNER_NAME.slice(0, 10)))
    expect(longRow?.notes).toContain(`客户称呼原 ${Array.from(LONG_OWNER_NAME).length} 字`)
    expect(longRow?.notes).toContain(`项目名称原 ${Array.from(LONG_PROJECT_NAME).length} 字`)
    const landline = rows.find((r) => r.phone.startsWith('020-'))
    expect(landline?.notes).toContain('非手机号码，未上报数据中心')
    // only mobiles have a Data Center side
    const items = ok(await h.api.sync.list({ limit: 500 }))
    const reports = items.filter((i) => i.kind === 'datacenter.report_call')
    expect(reports.map((i) => i.phone).sort()).toEqual(
      seen.filter((p) => /^1\d{10}$/.test(p)).sort(),
    )
  })

  it('a number on two lists is dispensed from each', async () => {
    const { pkg } = messyProject()
    const first = h.sandbox.world.projects.find((p) => p.pro_id === 141)!.packages[0]!
    const shared = pkg.phones.filter((p) => first.phones.includes(p))
    expect(shared.length).toBeGreaterThanOrEqual(2)
  })
})

describe('the CDP’s own project ids', () => {
  it('sends the mapped CDP id, not the weixin pro_id', async () => {
    const person = [...h.sandbox.world.people.values()].find((p) => p.cdp)!
    const mapped = h.sandbox.profile.cdp?.projects?.['141']
    expect(mapped).toBeDefined()
    expect(mapped).not.toBe('141')
    const s = ok(await h.api.customer.profileCdp({ phone: person.phone, projectId: 141 }))
    expect(s.found).toBe(true)
    const sent = h.sandbox.servers.cdp.getRecords().map((r) => r.query.project_id)
    expect(sent).toEqual([mapped])
  })

  it('a project the profile does not map: 未配置 CDP 项目, and nothing is asked', async () => {
    const person = [...h.sandbox.world.people.values()].find((p) => p.cdp)!
    const { project } = messyProject()
    const s = ok(
      await h.api.customer.profileCdp({ phone: person.phone, projectId: project.pro_id }),
    )
    expect(s).toMatchObject({ configured: true, found: false })
    expect(s.note).toContain('未配置 CDP 项目')
    expect(h.sandbox.servers.cdp.getRecords()).toHaveLength(0)
  })
})

describe('cst_identify’s follow history', () => {
  it('followType reads as 跟进类别 (§4.5.1), not cst_follow_update’s 跟进方式', async () => {
    ok(await h.api.catalog.projects())
    const people = [...h.sandbox.world.people.values()].filter((p) => p.cstGUID)
    const categories = ['预约', '来电', '到访', '认筹', '认购', '签约', '回款', '其他']
    let seen = 0
    for (const person of people.slice(0, 15)) {
      const dc = ok(await h.api.customer.profileDatacenter({ phone: person.phone, projectId: 141 }))
      for (const f of dc.history) {
        expect(categories).toContain(f.type)
        seen++
      }
    }
    expect(seen).toBeGreaterThan(0)
  })
})

describe('the Miaosuan link', () => {
  it('an agent links a customer id to the number; the panel then shows the document’s fields', async () => {
    const person = [...h.sandbox.world.people.values()].find((p) => p.miaosuanId)!
    const phone = person.phone
    expect(ok(await h.api.customer.profileMiaosuan({ phone }))).toMatchObject({
      found: false,
      unlinked: true,
    })
    const wrong = err(await h.api.customer.linkMiaosuan({ phone, customerId: 999_999 }))
    expect(wrong).toMatchObject({ kind: 'invalid-args', field: 'customerId' })
    expect(wrong.message).toContain('秒算客户 id')
    const bad = err(await h.api.customer.linkMiaosuan({ phone, customerId: -1 }))
    expect(bad.message).toContain('秒算客户 id 应为正整数')
    const linked = ok(await h.api.customer.linkMiaosuan({ phone, customerId: person.miaosuanId! }))
    expect(linked.found).toBe(true)
    const labels = linked.fields.map((f) => f.label)
    expect(labels).toEqual(expect.arrayContaining(['装修进度', '总体状态', '客户意愿', '跟进人']))
    expect(linked.fields.find((f) => f.label === '业务员')?.value).toBe('金苹果')
    // kept on this machine: after a restart the panel loads without asking the agent again
    const again = await h.restart()
    h = again
    ok(await h.api.session.login({ userNum: '00006', password: '888', remember: false }))
    const loaded = ok(await h.api.customer.profileMiaosuan({ phone }))
    expect(loaded).toMatchObject({ found: true, links: { miaosuanId: String(person.miaosuanId) } })
  })
})

describe('get_user_status during the shift', () => {
  it('a supervisor’s deactivation ends the session when the lock is opened, and says why', async () => {
    ok(await h.api.session.lock())
    weixin().setUserStatus('00006', '停用')
    const e = err(await h.api.session.unlock({ password: '888' }))
    expect(e).toMatchObject({ kind: 'not-logged-in', code: 'inactive-user' })
    expect(e.message).toContain('停用')
    expect(ok(await h.api.session.current())).toBeNull()
    const expired = h.events.find((ev) => ev.channel.endsWith('sessionExpired'))
    expect((expired?.payload as { reason: string }).reason).toContain('「停用」')
  })

  it('an active agent unlocks as before', async () => {
    ok(await h.api.session.lock())
    expect(ok(await h.api.session.unlock({ password: '888' }))).toBe(true)
    expect(ok(await h.api.session.current())?.locked).toBe(false)
  })
})

describe('what an answer proves', () => {
  const saveFirst = async () => {
    const ref = { projectId: 141, packageId: 467 }
    const p = ok(await h.api.calling.nextPhone(ref))
    ok(
      await h.api.calling.saveCallback({
        ...ref,
        phoneId: p.phoneId,
        phone: p.phone,
        ownerName: p.ownerName,
        callbackItem: '继续跟进',
      }),
    )
  }
  const callbackItem = async () =>
    ok(await h.api.sync.list({ limit: 100 })).find((i) => i.kind === 'weixin.savecallback')

  it.each(['http500', 'html'] as const)(
    '%s: not processed, so retried automatically, never uncertain',
    async (mode) => {
      h.sandbox.servers.weixin.addFault({ mode, match: 'savecallback', count: 1 })
      await saveFirst()
      // the retry may follow within milliseconds (full-jitter back-off): what happened is read
      // from the sandbox's records and the delivered item, not caught between the two attempts
      const item = await waitFor(
        async () => {
          const i = await callbackItem()
          return i?.state === 'delivered' ? i : null
        },
        'the automatic retry',
        15_000,
      )
      const sends = h.sandbox.servers.weixin.getRecords().filter((r) => r.key === 'savecallback')
      expect(sends.map((r) => [r.fault, r.processed])).toEqual([
        [mode, false],
        ['none', true],
      ])
      expect(item).toMatchObject({ uncertain: false, attempts: 2 })
      expect(weixin().state().callbacks).toHaveLength(1)
    },
  )

  it('a lost answer is uncertain', async () => {
    h.sandbox.servers.weixin.addFault({ mode: 'drop', match: 'savecallback', count: 2 })
    await saveFirst()
    const item = await waitFor(async () => {
      const i = await callbackItem()
      return i?.uncertain ? i : null
    }, 'uncertain')
    expect(item.lastError?.kind).toBe('network')
  })
})
