import { afterEach, describe, expect, it } from 'vitest'
import { startAppHarness, ok, type AppHarness } from '../support/app-harness'

/** A called-through package is still known after a restart, so the packages page greys it. */

let h: AppHarness
afterEach(async () => {
  await h.close()
})

const ref = { projectId: 141, packageId: 467 }
const login = async (x: AppHarness) => {
  ok(await x.api.session.login({ userNum: '00006', password: '888', remember: false }))
  ok(await x.api.catalog.projects())
}

describe('called-through packages', () => {
  it('are remembered across a restart, per agent, and forgotten when the package dispenses again', async () => {
    h = await startAppHarness()
    await login(h)
    expect(ok(await h.api.catalog.exhaustedPackages())).toEqual([])
    for (let n = 0; n < 100; n++) {
      const next = await h.api.calling.nextPhone(ref)
      if (!next.ok) {
        expect(next.error.code).toBe('package-exhausted')
        break
      }
      ok(
        await h.api.calling.saveCallback({
          ...ref,
          phoneId: next.value.phoneId,
          phone: next.value.phone,
          ownerName: next.value.ownerName,
          callbackItem: '无人接听',
        }),
      )
    }
    expect(ok(await h.api.catalog.exhaustedPackages())).toEqual([467])

    h = await h.restart()
    await login(h)
    expect(ok(await h.api.catalog.exhaustedPackages())).toEqual([467])
    expect(ok(await h.api.calling.held(ref)).exhausted).toBe(true)

    // another agent on this desktop: not theirs
    ok(await h.api.session.logout())
    ok(await h.api.session.login({ userNum: '00007', password: '888', remember: false }))
    expect(ok(await h.api.catalog.exhaustedPackages())).toEqual([])
    ok(await h.api.session.logout())

    // the server refills the list: the next getphone clears the mark
    await login(h)
    h.sandbox.servers.weixin.def.reset()
    ok(await h.api.calling.nextPhone(ref))
    expect(ok(await h.api.catalog.exhaustedPackages())).toEqual([])
  })
})
