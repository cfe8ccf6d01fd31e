import { describe, expect, it, vi } from 'vitest'
import { SipPhone, type Recovery } from '../../../renderer/src/softphone/sip-phone'

/** the parts of a JsSIP call the recovery looks at */
function fakeSession(ice: RTCIceConnectionState) {
  const handlers: Record<string, () => void> = {}
  return {
    isEstablished: () => true,
    connection: { iceConnectionState: ice },
    renegotiate: vi.fn((_o: unknown, _done?: () => void) => true),
    on: (event: string, cb: () => void) => (handlers[event] = cb),
    handlers,
  }
}
function phoneWith(session: ReturnType<typeof fakeSession> | null) {
  const phone = new SipPhone()
  const seen: Recovery[] = []
  phone.onRecovery = (r) => seen.push(r)
  const inner = phone as unknown as { session: unknown; afterReconnect(): void; ua: unknown }
  inner.session = session
  return { phone, inner, seen }
}

describe('a call in progress when the phone registers again', () => {
  it('leaves a call whose media still flows alone: a failed re-INVITE would end it', () => {
    const session = fakeSession('connected')
    const { inner, seen } = phoneWith(session)
    inner.afterReconnect()
    expect(session.renegotiate).not.toHaveBeenCalled()
    expect(seen).toEqual(['media-kept'])
  })

  it('restarts ICE by re-INVITE when the media stopped, and says whether it worked', () => {
    const ok = fakeSession('disconnected')
    const a = phoneWith(ok)
    a.inner.afterReconnect()
    expect(ok.renegotiate).toHaveBeenCalledWith(
      { rtcOfferConstraints: { iceRestart: true } },
      expect.any(Function),
    )
    ok.renegotiate.mock.calls[0]![1]!()
    expect(a.seen).toEqual(['ice-restarted'])

    const refused = fakeSession('failed')
    const b = phoneWith(refused)
    b.inner.afterReconnect()
    // JsSIP ends the call when the PBX refuses the re-INVITE
    refused.handlers.ended!()
    expect(b.seen).toEqual(['ice-restart-failed'])
  })
})

describe('a network change', () => {
  it('refreshes the registration on a live socket, reconnects at once on a dead one', () => {
    const { phone, inner } = phoneWith(null)
    const transport = { connect: vi.fn(), isConnecting: () => false }
    const ua = { isConnected: vi.fn(() => true), register: vi.fn(), transport }
    inner.ua = ua
    phone.recover()
    expect(ua.register).toHaveBeenCalledTimes(1)
    ua.isConnected.mockReturnValue(false)
    phone.recover()
    expect(transport.connect).toHaveBeenCalledTimes(1)
  })
})

describe('listening for network changes', () => {
  it('from start to stop, the browser going online asks the phone to recover', () => {
    const phone = new SipPhone()
    const recover = vi.spyOn(phone, 'recover').mockImplementation(() => {})
    // no PBX answers here: the registration stays pending, which is all this needs
    void phone
      .start({
        wsUrl: 'ws://127.0.0.1:9',
        uri: 'sip:8001@127.0.0.1',
        authorizationUser: '8001',
        password: 'x',
      })
      .catch(() => {})
    window.dispatchEvent(new Event('online'))
    expect(recover).toHaveBeenCalledTimes(1)
    phone.stop()
    window.dispatchEvent(new Event('online'))
    expect(recover).toHaveBeenCalledTimes(1)
  })
})
