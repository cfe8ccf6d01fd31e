import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { localDay } from '../../electron/core/time'
import { startAtWork, ok, type AppHarness } from '../support/app-harness'

/** This number's story (this desktop's calls of it) and 今日待回访, through the real services. */

let h: AppHarness
const ref = { projectId: 141, packageId: 467 }

beforeEach(async () => {
  h = await startAtWork()
})
afterEach(async () => {
  await h.close()
})

async function saveNext(over: { notes?: string; nextFollowDate?: string; item?: string }) {
  const phone = ok(await h.api.calling.nextPhone(ref))
  ok(
    await h.api.calling.saveCallback({
      ...ref,
      phoneId: phone.phoneId,
      phone: phone.phone,
      ownerName: phone.ownerName,
      callbackItem: over.item ?? '继续跟进',
      notes: over.notes ?? '',
      ...(over.nextFollowDate ? { nextFollowDate: over.nextFollowDate } : {}),
    }),
  )
  return phone
}

describe('a number’s story and today’s follow-ups', () => {
  it('lists this desktop’s calls of the number, newest first, and nothing for a new number', async () => {
    const first = await saveNext({ notes: '周末再联系' })
    const story = ok(await h.api.calling.story({ phone: first.phone }))
    expect(story).toHaveLength(1)
    expect(story[0]).toMatchObject({
      phone: first.phone,
      callbackItem: '继续跟进',
      notes: '周末再联系',
    })
    const next = ok(await h.api.calling.nextPhone(ref))
    expect(ok(await h.api.calling.story({ phone: next.phone }))).toEqual([])
  })

  it('today’s follow-ups: set for today, by this agent, until the number is called again', async () => {
    const today = localDay(new Date())
    const due = await saveNext({ nextFollowDate: today, notes: '今天回电' })
    await saveNext({ nextFollowDate: '2099-01-01' })
    const list = ok(await h.api.calling.dueToday())
    expect(list.map((r) => r.phone)).toEqual([due.phone])
    expect(list[0]).toMatchObject({ nextFollowDate: today, notes: '今天回电' })
  })
})
