import { expect } from 'vitest'
import { localDay } from '../../../electron/core/time'
import type { WeixinSandboxState } from '../../../electron/sandbox/weixin'
import type { PackageRef } from '../../../shared/domain'
import { ensureLoggedIn, ok, type E2eSession } from './app-state'

/**
 * The workspace file's starting states, reached through the app's services when an earlier test
 * has not already reached them: package 467 called to the end, every save delivered.
 */

export const PROJECT = '万科东荟城'
export const PROJECT_ID = 141
export const PACKAGE_ID = 467
export const FIRST_NUMBER = '15920447900'
const REF = { projectId: PROJECT_ID, packageId: PACKAGE_ID }

export interface SavedCall {
  phone: string
  item: string
}

export const weixinOf = (s: E2eSession): WeixinSandboxState =>
  s.env.sandbox.servers.weixin.def.state() as WeixinSandboxState

/** saves the number on hand (or the next one) through the services; false once none is left */
async function saveOne(s: E2eSession, saved: SavedCall[], item: string): Promise<boolean> {
  let phone = await ok(s.api.calling.currentPhone(REF))
  if (!phone) {
    const next = await s.api.calling.nextPhone(REF)
    if (!next.ok) {
      if (next.error.code === 'package-exhausted') return false
      throw new Error(`no next number: ${JSON.stringify(next.error)}`)
    }
    phone = next.value
  }
  await ok(
    s.api.calling.saveCallback({
      ...REF,
      phoneId: phone.phoneId,
      phone: phone.phone,
      ownerName: phone.ownerName,
      callbackItem: item,
    }),
  )
  saved.push({ phone: phone.phone, item })
  s.stale = true
  return true
}

/**
 * Logged in, with the catalog loaded as the screens load it before the workspace (saves take
 * the project's name, which the Data Center's report needs, from it); returns the callback items.
 */
async function readyToCall(s: E2eSession): Promise<{ name: string }[]> {
  await ensureLoggedIn(s)
  await ok(s.api.catalog.projects())
  await ok(s.api.catalog.packages({ projectId: PROJECT_ID }))
  return ok(s.api.catalog.callbackItems())
}

/** package 467 called to the end: what the keyboard test leaves, or the rest saved here */
export async function ensureExhausted(s: E2eSession, saved: SavedCall[]): Promise<void> {
  const items = await readyToCall(s)
  for (let n = 0; n < 100; n++) {
    if (!(await saveOne(s, saved, items[n % items.length]!.name))) return
  }
  throw new Error('package 467 did not run out of numbers')
}

/** at least one save, and the outbox empty: everything saved has reached the servers */
export async function ensureDelivered(s: E2eSession, saved: SavedCall[]): Promise<void> {
  await ensureLoggedIn(s)
  if (saved.length === 0) {
    const items = await readyToCall(s)
    expect(await saveOne(s, saved, items[0]!.name)).toBe(true)
  }
  await ok(s.api.sync.flush())
  // what is not delivered yet, by title, state and error: empty once everything is through
  const open = async () =>
    (await ok(s.api.sync.list({ limit: 200 })))
      .filter((i) => i.state !== 'delivered')
      .map((i) => `${i.title}: ${i.state} ${i.lastError?.message ?? ''}`)
  await expect.poll(open, { timeout: 30_000 }).toEqual([])
}

/**
 * A call earlier today that set today's follow-up (through the services): the next number of
 * the package, saved 继续跟进 with the follow-up date today. Marks the screen stale.
 */
export async function setFollowUpToday(s: E2eSession, ref: PackageRef) {
  const earlier = await ok(s.api.calling.nextPhone(ref))
  await ok(
    s.api.calling.saveCallback({
      ...ref,
      phoneId: earlier.phoneId,
      phone: earlier.phone,
      ownerName: earlier.ownerName,
      callbackItem: '继续跟进',
      notes: '说下午三点后方便',
      nextFollowDate: localDay(new Date()),
      nextFollowContent: '回电报价',
    }),
  )
  s.stale = true
  return earlier
}
