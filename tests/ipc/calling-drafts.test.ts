import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startAtWork, ok, err, type AppHarness } from '../support/app-harness'

/** Nothing typed is lost (drafts in main) and a refusal is a 勿扰, undoable by its agent. */

let h: AppHarness
const ref = { projectId: 141, packageId: 467 }
const draft = {
  callbackItem: '继续跟进',
  notes: '周末带家人来看',
  nextFollowDate: '2030-01-02',
  nextFollowContent: '约看房',
  intent: 'B' as const,
}

beforeEach(async () => {
  h = await startAtWork()
})
afterEach(async () => {
  await h.close()
})

describe('call drafts', () => {
  it('keeps a held number’s draft across a restart, and drops it once the result is saved', async () => {
    const phone = ok(await h.api.calling.nextPhone(ref))
    const at = { packageId: ref.packageId, phoneId: phone.phoneId }
    expect(ok(await h.api.calling.draft(at))).toBeNull()
    ok(await h.api.calling.putDraft({ ...at, draft }))
    h = await h.restart()
    ok(await h.api.session.login({ userNum: '00006', password: '888', remember: false }))
    expect(ok(await h.api.calling.draft(at))).toEqual(draft)
    ok(
      await h.api.calling.saveCallback({
        ...ref,
        phoneId: phone.phoneId,
        phone: phone.phone,
        ownerName: phone.ownerName,
        callbackItem: '继续跟进',
      }),
    )
    expect(ok(await h.api.calling.draft(at))).toBeNull()
  })

  it('an emptied form or clearDraft leaves no draft; a bad date is refused', async () => {
    const phone = ok(await h.api.calling.nextPhone(ref))
    const at = { packageId: ref.packageId, phoneId: phone.phoneId }
    ok(await h.api.calling.putDraft({ ...at, draft }))
    ok(await h.api.calling.clearDraft(at))
    expect(ok(await h.api.calling.draft(at))).toBeNull()
    ok(await h.api.calling.putDraft({ ...at, draft }))
    ok(
      await h.api.calling.putDraft({
        ...at,
        draft: {
          callbackItem: '',
          notes: ' ',
          nextFollowDate: '',
          nextFollowContent: '',
          intent: 'C',
        },
      }),
    )
    expect(ok(await h.api.calling.draft(at))).toBeNull()
    expect(
      err(await h.api.calling.putDraft({ ...at, draft: { ...draft, nextFollowDate: '明天' } }))
        .kind,
    ).toBe('invalid-args')
  })
})

describe('勿扰 by outcome, and its undo', () => {
  it('saving 要求勿扰 puts the number on the 勿扰 list, as the button does', async () => {
    const phone = ok(await h.api.calling.nextPhone(ref))
    ok(
      await h.api.calling.saveCallback({
        ...ref,
        phoneId: phone.phoneId,
        phone: phone.phone,
        ownerName: phone.ownerName,
        callbackItem: '要求勿扰',
      }),
    )
    const rows = ok(await h.api.calllog.query({ filter: { search: phone.phone } }))
    expect(rows.rows[0]).toMatchObject({ phone: phone.phone, dnc: true })
    // the 勿扰 list itself: marking again is a no-op, and its agent may take it back
    expect(ok(await h.api.calling.undoDnc({ phone: phone.phone }))).toBe(true)
    expect(ok(await h.api.calling.undoDnc({ phone: phone.phone }))).toBe(false)
  })

  it('only the agent who marked a number can undo its 勿扰', async () => {
    const phone = ok(await h.api.calling.nextPhone(ref))
    ok(await h.api.calling.markDnc({ phone: phone.phone }))
    ok(await h.api.session.logout())
    ok(await h.api.session.login({ userNum: '00007', password: '888', remember: false }))
    const e = err(await h.api.calling.undoDnc({ phone: phone.phone }))
    expect(e.message).toBe('只能撤销自己刚刚标记的勿扰')
  })
})
