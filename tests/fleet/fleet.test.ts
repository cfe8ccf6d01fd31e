import { describe, expect, it } from 'vitest'
import { runFleet } from './fleet'

/**
 * A small fleet in `npm test`: desktops as separate processes on one sandbox, faults and kills,
 * one desktop switching from training to production with training items queued. The figures
 * and the full run: `npm run fleet -- --desktops 20 --calls 50`.
 */
describe('the fleet', () => {
  it('3 desktops × 8 calls with faults and kills: nothing lost, nothing twice, training apart', async () => {
    const r = await runFleet({ desktops: 3, calls: 8, timeoutMs: 100_000 })
    expect(r.problems).toEqual([])
    expect(r.saves).toBeGreaterThanOrEqual(3 * 8)
    expect(r.lost).toBe(0)
    expect(r.duplicated).toBe(0)
    expect(r.opportunityDuplicates).toBe(0)
    expect(r.sidCollisions).toBe(0)
    expect(r.trainingLeaks).toBe(0)
    expect(r.trainingSaves).toBeGreaterThan(0)
    // every desktop was killed at least once and came back
    expect(r.kills).toBeGreaterThanOrEqual(3)
  }, 120_000)
})
