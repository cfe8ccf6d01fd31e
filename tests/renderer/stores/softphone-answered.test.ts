import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, setup, type Setup } from '../support/mount'

/**
 * The call log's 接通时间: the built-in phone's answer reaches the save input, through the
 * softphone store (which sees the 200 OK) and the workspace (which saves the call).
 */

type Handlers = {
  onSent(at: Date): void
  onAnswered(at: Date): void
  onEnded(at: Date, info: { answered: boolean; status: number | null }): void
}
const phone = vi.hoisted(() => ({ handlers: null as Handlers | null }))

vi.mock('../../../renderer/src/softphone/sip-phone', () => ({
  SipPhone: class {
    onRegistration: (s: string) => void = () => {}
    start(): Promise<void> {
      this.onRegistration('registered')
      return Promise.resolve()
    }
    call(_uri: string, h: Handlers): void {
      phone.handlers = h
    }
    stop(): void {}
  },
}))

const { useWorkspaceStore } = await import('../../../renderer/src/stores/workspace')
const { useSoftphoneStore } = await import('../../../renderer/src/softphone/store')

let s: Setup
beforeEach(() => {
  s = setup()
  phone.handlers = null
  s.fake.answer('softphone', 'login', {
    uri: 'sip:1001@pbx.example',
    password: 'x',
    wsUrl: 'wss://pbx.example/ws',
  })
})

async function dialThroughSoftphone() {
  const ws = useWorkspaceStore()
  await ws.open(141, 467)
  await useSoftphoneStore().connect()
  await ws.dial()
  await flushPromises()
  return ws
}

describe('the answered time of a softphone call', () => {
  it('is saved with the call, between its dial and its end', async () => {
    const ws = await dialThroughSoftphone()
    phone.handlers!.onSent(new Date('2026-11-22T02:00:00Z'))
    phone.handlers!.onAnswered(new Date('2026-11-22T02:00:15Z'))
    phone.handlers!.onEnded(new Date('2026-11-22T02:01:15Z'), { answered: true, status: null })
    ws.pick('继续跟进')
    expect(await ws.save()).toBe(true)
    expect(s.fake.fn('calling', 'saveCallback')).toHaveBeenCalledWith(
      expect.objectContaining({
        dialledAt: '2026-11-22T02:00:00.000Z',
        answeredAt: '2026-11-22T02:00:15.000Z',
        endedAt: '2026-11-22T02:01:15.000Z',
      }),
    )
  })

  it('is absent when the call was not answered', async () => {
    const ws = await dialThroughSoftphone()
    phone.handlers!.onSent(new Date('2026-11-22T02:00:00Z'))
    phone.handlers!.onEnded(new Date('2026-11-22T02:00:30Z'), { answered: false, status: 486 })
    ws.pick('占线/稍后回电')
    expect(await ws.save()).toBe(true)
    const input = s.fake.fn('calling', 'saveCallback').mock.calls[0]![0] as object
    expect(input).not.toHaveProperty('answeredAt')
    expect(input).toMatchObject({ dialledAt: '2026-11-22T02:00:00.000Z' })
  })
})
