import { describe, expect, it } from 'vitest'
import {
  EXHAUSTED_FOR_MS,
  ExhaustedPackages,
  memoryCache,
} from '../../../electron/services/calling/exhausted-store'

/** Called-through packages: per profile and agent, forgotten on a new number or after a day. */

describe('ExhaustedPackages', () => {
  it('keeps a mark per profile and agent, in the cache it is given', () => {
    const cache = memoryCache()
    let profile = 'training'
    const store = new ExhaustedPackages(cache, () => profile)
    store.mark(29, 467)
    expect(store.list(29)).toEqual([467])
    expect(store.has(30, 467)).toBe(false)
    // a restart reads the same cache
    expect(new ExhaustedPackages(cache, () => profile).has(29, 467)).toBe(true)
    profile = 'production:abc'
    expect(store.list(29)).toEqual([])
  })

  it('forgets a package the server dispenses from again, and any mark after a day', () => {
    let t = Date.parse('2026-12-01T08:00:00Z')
    const store = new ExhaustedPackages(
      memoryCache(),
      () => 'p',
      () => new Date(t),
    )
    store.mark(29, 467)
    store.mark(29, 468)
    store.forget(29, 467)
    expect(store.list(29)).toEqual([468])
    t += EXHAUSTED_FOR_MS - 1
    expect(store.has(29, 468)).toBe(true)
    t += 2
    expect(store.has(29, 468)).toBe(false)
  })

  it('reads a damaged value as nothing marked', () => {
    const cache = memoryCache()
    cache.put('exhausted-packages:p|29', ['not', 'a', 'map'])
    expect(new ExhaustedPackages(cache, () => 'p').list(29)).toEqual([])
  })
})
