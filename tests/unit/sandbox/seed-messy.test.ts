import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sandboxAnnouncement } from '../../../electron/cli/sandbox'
import { startSandbox, type RunningSandbox } from '../../../electron/sandbox'
import { createSeedWorld, LONG_OWNER_NAME, LONG_PROJECT_NAME } from '../../../electron/sandbox/seed'
import type { WeixinServerDef } from '../../../electron/sandbox/weixin'
import { FIELD_MAX } from '../../../shared/fields'

/** What the seeded world holds: the documents' examples, and call lists as messy as real ones. */

const world = createSeedWorld(20261122, '2026-11-22')
const allPhones = world.projects.flatMap((p) => p.packages.flatMap((k) => k.phones))

describe('the seeded world', () => {
  it('keeps the documents’ examples', () => {
    const agent = world.users.find((u) => u.user_num === '00006')!
    expect(agent).toMatchObject({ pwd: '888', user_name: '冯依敏', user_id: 29 })
    const pkg = world.projects.find((p) => p.pro_id === 141)!.packages[0]!
    expect(pkg.package_id).toBe(467)
    expect(pkg.phones[0]).toBe('15920447900')
    expect(world.people.get('15920447900')?.ownerName).toBe('李先生')
  })

  it('has landlines, extensions, 400 numbers, blank and over-long names, and duplicates', () => {
    expect(allPhones.some((p) => /^0\d{2,3}-\d{7,8}$/.test(p))).toBe(true)
    expect(allPhones.some((p) => /^0\d{2,3}-\d{7,8}(-\d+|转\d+)$/.test(p))).toBe(true)
    expect(allPhones.some((p) => /^400/.test(p))).toBe(true)
    const owners = allPhones.map((p) => world.people.get(p)?.ownerName ?? '')
    expect(owners.filter((o) => o.trim() === '').length).toBeGreaterThanOrEqual(2)
    expect(owners).toContain(LONG_OWNER_NAME)
    expect(Array.from(LONG_OWNER_NAME).length).toBeGreaterThan(FIELD_MAX.ownerName)
    const longProject = world.projects.find((p) => p.pro_name === LONG_PROJECT_NAME)!
    expect(Array.from(longProject.pro_name).length).toBeGreaterThan(FIELD_MAX.projectName)
    expect(longProject.expired).toBe(false)
    expect(world.users.find((u) => u.user_num === '00006')!.projectIds).toContain(
      longProject.pro_id,
    )
    // the same number on more than one list; never twice on one
    const lists = new Map<string, number>()
    for (const p of world.projects) {
      for (const k of p.packages) {
        expect(new Set(k.phones).size).toBe(k.phones.length)
        for (const phone of k.phones) lists.set(phone, (lists.get(phone) ?? 0) + 1)
      }
    }
    expect([...lists.values()].filter((n) => n > 1).length).toBeGreaterThanOrEqual(3)
  })

  it('is the same for a seed, and the messy additions do not move the rest', () => {
    expect(createSeedWorld(20261122, '2026-11-22').projects).toEqual(world.projects)
    const other = createSeedWorld(5, '2026-11-22')
    expect(other.projects.find((p) => p.pro_id === 141)?.packages[0]?.phones[0]).toBe('15920447900')
  })

  it('the CDP numbers its projects itself: ids unrelated to pro_id, one project not on the CDP', () => {
    const ids = world.projects.map((p) => p.cdpProjectId)
    expect(ids.filter((id) => id !== undefined)).toHaveLength(world.projects.length - 1)
    for (const p of world.projects) expect(p.cdpProjectId).not.toBe(String(p.pro_id))
    expect(world.projects.find((p) => p.pro_name === LONG_PROJECT_NAME)?.cdpProjectId).toBe(
      undefined,
    )
  })
})

describe('the running sandbox', () => {
  let sb: RunningSandbox
  beforeAll(async () => {
    sb = await startSandbox({ seed: 3, today: '2026-11-22' })
  })
  afterAll(async () => {
    await sb.close()
  })

  it('prints the CDP project mapping in its connection profile (npm run sandbox)', () => {
    const printed = JSON.parse(sandboxAnnouncement(sb)) as {
      cdp: { projects: Record<string, string> }
    }
    const mapped = sb.world.projects.filter((p) => p.cdpProjectId)
    expect(printed.cdp.projects).toEqual(
      Object.fromEntries(mapped.map((p) => [String(p.pro_id), p.cdpProjectId])),
    )
  })

  it('a supervisor’s status change shows in get_user_status until a reset', async () => {
    const def = sb.servers.weixin.def as WeixinServerDef
    const ask = async () => {
      const res = await fetch(
        `${sb.servers.weixin.url}/estate/ihk/weixin?action_name=get_user_status`,
        {
          method: 'POST',
          body: JSON.stringify({ enroll_number: '00006' }),
        },
      )
      return (await res.json()) as unknown
    }
    expect(await ask()).toEqual({ user_status: '活动' })
    def.setUserStatus('00006', '离职')
    expect(await ask()).toEqual({ user_status: '离职' })
    await sb.servers.weixin.reset()
    expect(await ask()).toEqual({ user_status: '活动' })
    expect(() => def.setUserStatus('99999', '停用')).toThrow()
  })
})
