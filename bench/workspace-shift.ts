import type { Page } from 'playwright-core'
import { createSeedWorld, type SeedWorld } from '../electron/sandbox/seed'

/**
 * A shift: SHIFT_SAVES saves through the UI, each number on screen until its 360 panel has
 * loaded (every sandbox server answering after the bench's latency; Rabbitpre's section aside,
 * see PANEL_SETTLED), then key 3 and Enter.
 * Printed: the renderer's JS heap after a full GC at the start and the end; main's RSS and JS
 * heap (its services in a process of their own, web-app-child.ts) at the start, after each
 * quarter and at the end; and the p95 of the first and last 100 saves (Enter → the next number
 * painted, as the main benchmark measures it).
 */

export const SHIFT_SAVES = 1000
/** the agent reads the number: main fetches ahead and the 360 panel loads meanwhile */
const SHIFT_THINK_MS = 60

/** The seeded world with enough numbers for a shift in the agent's first current package. */
export function shiftWorld(userId: number, extra = SHIFT_SAVES + 50): SeedWorld {
  const world = createSeedWorld()
  const user = world.users.find((u) => u.user_id === userId)
  const project = world.projects.find((p) => !p.expired && user?.projectIds.includes(p.pro_id))
  const pkg = project?.packages[0]
  const template = pkg ? world.people.get(pkg.phones[0] ?? '') : undefined
  if (!pkg || !template) throw new Error('bench: the seeded world has no package for the shift')
  for (let i = 0; i < extra; i++) {
    // a plain mobile nobody else has: 170 + 8 digits
    const phone = `170${String(10_000_000 + i)}`
    world.people.set(phone, { ...template, phone })
    pkg.phones.push(phone)
  }
  return world
}

export interface MemorySample {
  rss: number
  heapUsed: number
  /** the heap pages V8 has committed, used or kept for the allocation rate */
  heapTotal: number
}

/**
 * Main's memory after an ordinary full GC, and after the memory-reducing GC V8 runs once the
 * process is idle (it hands back the heap pages kept for a high allocation rate).
 */
export type MainMemory = () => Promise<{ full: MemorySample; reduced: MemorySample }>

async function rendererHeap(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page)
  try {
    await cdp.send('HeapProfiler.collectGarbage')
    await cdp.send('HeapProfiler.collectGarbage')
    const { usedSize } = await cdp.send('Runtime.getHeapUsage')
    return usedSize
  } finally {
    await cdp.detach()
  }
}

/**
 * Every section has answered but Rabbitpre's, which allows one request a second per account
 * (rabbitpre-gate.ts): a save every few hundred ms would make the shift wait on it alone. Its
 * requests still go out for every number, and queue in main.
 */
const PANEL_SETTLED = `[...document.querySelectorAll('[data-test=profile-section]')].every(
  (s) => s.dataset.system === 'rabbitpre' || (s.dataset.status !== 'loading' && s.dataset.status !== 'idle'))`

export interface ShiftResult {
  times: number[]
  heapGrowthMb: number
  /** main's memory at the start, after each quarter of the saves and at the end */
  main: { full: MemorySample; reduced: MemorySample }[]
}

/**
 * Runs the shift on a page that is logged in, on the workspace of `pro`/`pkg`, with the save
 * watcher installed (WATCH_SAVE of workspace.ts).
 */
export async function runShift(
  page: Page,
  poll: <T>(read: () => Promise<T>, done: (v: T) => boolean, ms?: number) => Promise<T>,
  mainMemory: MainMemory,
): Promise<ShiftResult> {
  const heap0 = await rendererHeap(page)
  const main = [await mainMemory()]
  const times: number[] = []
  while (times.length < SHIFT_SAVES) {
    await poll(
      () =>
        page.evaluate(`!!document.querySelector('[data-test=phone-number]') && ${PANEL_SETTLED}`),
      (v) => v === true,
    )
    await new Promise((r) => setTimeout(r, SHIFT_THINK_MS))
    await page.keyboard.press('3')
    await page.keyboard.press('Enter')
    const box = await poll(
      () => page.evaluate('({ ...window.__benchSave })') as Promise<{ start: number; end: number }>,
      (b) => b.end > 0,
    )
    times.push(box.end - box.start)
    // between two saves, so no save is timed across a collection
    if (times.length % (SHIFT_SAVES / 4) === 0 && times.length < SHIFT_SAVES) {
      main.push(await mainMemory())
    }
  }
  // the last number's panel, then a rest: what is still held at the end is what grew
  await new Promise((r) => setTimeout(r, 1000))
  const heap1 = await rendererHeap(page)
  main.push(await mainMemory())
  return { times, heapGrowthMb: (heap1 - heap0) / 1048576, main }
}
