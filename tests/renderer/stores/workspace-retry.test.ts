import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { useWorkspaceStore } from '../../../renderer/src/stores/workspace'
import { ok, phone } from '../support/fake-api'
import { flushPromises, setup, type Setup } from '../support/mount'

/** A failed getphone is asked again by itself; the agent never presses 重试 for it. */

let s: Setup
beforeEach(() => {
  vi.useFakeTimers()
  s = setup()
})
afterEach(() => {
  vi.useRealTimers()
})

const offline = {
  kind: 'network' as const,
  system: 'weixin' as const,
  message: '置业外呼服务：无法连接服务器',
}

describe('getphone through an outage', () => {
  it('asks again, sooner then later, until the server answers', async () => {
    const next = s.fake.fn('calling', 'nextPhone')
    s.fake.fail('calling', 'nextPhone', offline)
    const ws = useWorkspaceStore()
    await ws.open(141, 467)
    expect(ws.phase).toBe('error')
    expect(next).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(2000)
    expect(next).toHaveBeenCalledTimes(2)
    expect(ws.phase).toBe('error')
    // the server answers again
    next.mockImplementation(async () => ok(phone(7)))
    await vi.advanceTimersByTimeAsync(4000)
    await flushPromises()
    expect(ws.phase).toBe('ready')
    expect(ws.phone?.phoneId).toBe(phone(7).phoneId)
    await vi.advanceTimersByTimeAsync(60_000)
    expect(next).toHaveBeenCalledTimes(3)
  })

  it('stops asking when the screen is left, and never for an exhausted package', async () => {
    const next = s.fake.fn('calling', 'nextPhone')
    s.fake.fail('calling', 'nextPhone', offline)
    const ws = useWorkspaceStore()
    await ws.open(141, 467)
    ws.close()
    await vi.advanceTimersByTimeAsync(60_000)
    expect(next).toHaveBeenCalledTimes(1)
    s.fake.fail('calling', 'nextPhone', {
      kind: 'remote',
      system: 'weixin',
      message: '信息包已经call完',
      code: 'package-exhausted',
    })
    await ws.open(141, 467)
    expect(ws.phase).toBe('exhausted')
    await vi.advanceTimersByTimeAsync(60_000)
    expect(next).toHaveBeenCalledTimes(2)
  })
})
