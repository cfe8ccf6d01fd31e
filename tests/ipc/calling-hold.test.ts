import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startAtWork, ok, waitFor, type AppHarness } from '../support/app-harness'

/** Numbers held ahead (settings.holdAhead, 3 by default): calling goes on through an outage. */

let h: AppHarness
const ref = { projectId: 141, packageId: 467 }

beforeEach(async () => {
  h = await startAtWork()
})
afterEach(async () => {
  await h.close()
})

/** how many numbers the dispensed file holds (what survives a restart) */
function held(): number {
  const file = JSON.parse(readFileSync(join(h.dataDir, 'dispensed-phones.json'), 'utf8')) as {
    queues: Record<string, unknown[]>
  }
  return Object.values(file.queues).reduce((n, q) => n + q.length, 0)
}

async function save(phone: { phoneId: number; phone: string; ownerName: string }) {
  return h.api.calling.saveCallback({
    ...ref,
    phoneId: phone.phoneId,
    phone: phone.phone,
    ownerName: phone.ownerName,
    callbackItem: '无人接听',
  })
}

describe('numbers held ahead', () => {
  it('holds the current number and 3 more on disk, and calls on through an outage', async () => {
    const first = ok(await h.api.calling.nextPhone(ref))
    await waitFor(() => held() === 4, 'four numbers held')
    // the screen can show the next one without asking: the held numbers, the current first
    const list = ok(await h.api.calling.held(ref)).phones
    expect(list.map((p) => p.phoneId)[0]).toBe(first.phoneId)
    expect(new Set(list.map((p) => p.phoneId)).size).toBe(4)
    await h.sandbox.servers.weixin.setOffline(true)
    let phone = first
    const seen = [first.phoneId]
    for (let i = 0; i < 3; i++) {
      ok(await save(phone))
      phone = ok(await h.api.calling.nextPhone(ref))
      seen.push(phone.phoneId)
    }
    expect(new Set(seen).size).toBe(4)
    // back online: the next number and the hold come back by themselves
    await h.sandbox.servers.weixin.setOffline(false)
    ok(await save(phone))
    ok(await h.api.calling.nextPhone(ref))
    await waitFor(() => held() === 4, 'the hold refilled')
  })

  it('holds as many as the settings say', async () => {
    ok(await h.api.settings.update({ holdAhead: 1 }))
    ok(await h.api.calling.nextPhone(ref))
    await waitFor(() => held() === 2, 'two numbers held')
    await new Promise((r) => setTimeout(r, 300))
    expect(held()).toBe(2)
  })
})

describe('a package called through', () => {
  it('held says so once getphone has said it, so the screen ends it without asking', async () => {
    const small = { projectId: 141, packageId: 468 }
    const size = h.sandbox.world.projects
      .flatMap((p) => p.packages)
      .find((k) => k.package_id === small.packageId)!.phones.length
    let held = ok(await h.api.calling.held(small))
    let called = 0
    for (; called < size && !held.exhausted; called++) {
      const phone = ok(await h.api.calling.nextPhone(small))
      ok(
        await h.api.calling.saveCallback({
          ...small,
          phoneId: phone.phoneId,
          phone: phone.phone,
          ownerName: phone.ownerName,
          callbackItem: '无人接听',
        }),
      )
      // main fetches ahead after the save: wait until it holds a next number or getphone has
      // said there is none (asking for the next one before that would wait on getphone)
      held = await waitFor(async () => {
        const now = ok(await h.api.calling.held(small))
        return now.exhausted || now.phones.length > 0 ? now : null
      }, 'a next number held, or the package called through')
    }
    expect(held.exhausted).toBe(true)
    expect(called).toBeLessThanOrEqual(size)
  })
})

describe('the reach probe', () => {
  it('says whether the call server answers, before login too', async () => {
    ok(await h.api.session.logout())
    expect(ok(await h.api.calling.reach())).toEqual({ online: true })
    await h.sandbox.servers.weixin.setOffline(true)
    expect(ok(await h.api.calling.reach())).toEqual({ online: false })
    await h.sandbox.servers.weixin.setOffline(false)
    expect(ok(await h.api.calling.reach())).toEqual({ online: true })
  })
})
