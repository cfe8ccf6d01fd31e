import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { localDay } from '../../electron/core/time'
import type { DataCenterState } from '../../electron/sandbox/datacenter/state'
import { startAtWork, ok, err, waitFor, type AppHarness } from '../support/app-harness'

/**
 * A follow-up from 今日待回访 is called and its result saved like a dispensed number's: once to
 * weixin (the package and project of the call that set it) and the Data Center, a call-log row
 * that closes it, and the numbers held for calling untouched.
 */

let h: AppHarness
const ref = { projectId: 141, packageId: 467 }
type WeixinState = {
  callbacks: { phone_no: string; package_id: number; pro_id: number; call_back_item_name: string }[]
}

beforeEach(async () => {
  h = await startAtWork()
})
afterEach(async () => {
  await h.close()
})

async function setFollowUpToday() {
  const phone = ok(await h.api.calling.nextPhone(ref))
  ok(
    await h.api.calling.saveCallback({
      ...ref,
      phoneId: phone.phoneId,
      phone: phone.phone,
      ownerName: phone.ownerName,
      callbackItem: '继续跟进',
      notes: '今天下午回电',
      nextFollowDate: localDay(new Date()),
    }),
  )
  const [due] = ok(await h.api.calling.dueToday())
  if (!due) throw new Error('the follow-up is not due today')
  return due
}

describe('saving a follow-up due today', () => {
  it('goes once to weixin and the Data Center, leaves the list, and a second save is refused', async () => {
    const due = await setFollowUpToday()
    const weixin = () => h.sandbox.servers.weixin.def.state() as WeixinState
    const dc = () => h.sandbox.servers.datacenter.def.state() as DataCenterState
    await waitFor(() => weixin().callbacks.some((c) => c.phone_no === due.phone), 'the first save')
    const heldBefore = ok(await h.api.calling.held(ref)).phones.map((p) => p.phoneId)

    const input = {
      followUpOf: due.id,
      callbackItem: '接受邀请',
      notes: '周六上午看房',
      intent: 'A' as const,
      nextFollowDate: '2099-03-01',
      nextFollowContent: '看房前一天提醒',
    }
    const receipt = ok(await h.api.calling.saveFollowUp(input))
    expect(receipt.state).toBe('pending')
    expect(ok(await h.api.calling.dueToday())).toEqual([])
    const again = err(await h.api.calling.saveFollowUp(input))
    expect(again).toMatchObject({ code: 'follow-up-closed', field: 'followUpOf' })

    await waitFor(
      async () => ok(await h.api.sync.list({})).every((i) => i.state === 'delivered'),
      'every item delivered',
      10_000,
    )
    const saved = weixin().callbacks.filter((c) => c.phone_no === due.phone)
    expect(saved.map((c) => c.call_back_item_name)).toEqual(['继续跟进', '接受邀请'])
    expect(saved[1]).toMatchObject({ package_id: due.packageId, pro_id: due.projectId })
    const reports = dc().followUps.filter((f) => f.followContent === '接受邀请：周六上午看房')
    expect(reports).toHaveLength(1)
    expect(reports[0]).toMatchObject({ cstWill: 'A', nextContent: '看房前一天提醒' })

    // its story has the new call first; the numbers held for calling are as they were
    const story = ok(await h.api.calling.story({ phone: due.phone }))
    expect(story[0]).toMatchObject({
      callbackItem: '接受邀请',
      notes: '周六上午看房',
      intent: 'A',
      nextFollowDate: '2099-03-01',
      dispensedAt: null,
      packageId: due.packageId,
    })
    expect(ok(await h.api.calling.held(ref)).phones.map((p) => p.phoneId)).toEqual(heldBefore)
  })

  it('refuses a row that is not this agent’s follow-up due today', async () => {
    const e = err(
      await h.api.calling.saveFollowUp({ followUpOf: 'no-such-row', callbackItem: '继续跟进' }),
    )
    expect(e).toMatchObject({ kind: 'invalid-args', code: 'follow-up-closed' })
  })

  it('keeps the built-in phone’s times, answered time included, and refuses an answer outside the call', async () => {
    const due = await setFollowUpToday()
    const times = {
      dialledAt: '2026-12-02T02:00:00.000Z',
      answeredAt: '2026-12-02T02:00:07.000Z',
      endedAt: '2026-12-02T02:01:30.000Z',
    }
    const early = err(
      await h.api.calling.saveFollowUp({
        followUpOf: due.id,
        callbackItem: '继续跟进',
        ...times,
        answeredAt: '2026-12-02T01:59:00.000Z',
      }),
    )
    expect(early).toMatchObject({ kind: 'invalid-args', field: 'answeredAt' })
    expect(early.message).toContain('接通时间不能早于拨号时间')

    ok(await h.api.calling.saveFollowUp({ followUpOf: due.id, callbackItem: '继续跟进', ...times }))
    const [row] = ok(await h.api.calling.story({ phone: due.phone }))
    expect(row).toMatchObject(times)
  })
})
