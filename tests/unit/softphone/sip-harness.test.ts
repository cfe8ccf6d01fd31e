import JsSIP from 'jssip'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { kamailioAvailable, startKamailio, type RunningKamailio } from '../../support/sip/kamailio'
import { sippAvailable, sippCall, startCallee, type RunningCallee } from '../../support/sip/sipp'

/**
 * The SIP test bed itself: Kamailio from Debian with a generated config on free loopback ports,
 * SIPp callees behind it. `.ci/run` installs both; without them this file cannot pass.
 */
describe('SIP test bed (Kamailio + SIPp)', () => {
  let pbx: RunningKamailio
  const callees: Record<string, RunningCallee> = {}

  beforeAll(async () => {
    expect(kamailioAvailable(), 'apt-get install kamailio kamailio-websocket-modules').toBe(true)
    expect(sippAvailable(), 'apt-get install sip-tester').toBe(true)
    callees['486'] = await startCallee({ answer: 'reject', status: 486, reason: 'Busy Here' })
    callees['480'] = await startCallee({
      answer: 'reject',
      status: 480,
      reason: 'Temporarily Unavailable',
    })
    callees['200'] = await startCallee({ answer: 'accept', holdMs: 200 })
    pbx = await startKamailio({
      routes: {
        '13800000486': callees['486'].port,
        '13800000480': callees['480'].port,
        '13800000200': callees['200'].port,
      },
    })
  }, 30_000)

  afterAll(async () => {
    await pbx?.stop()
    await Promise.all(Object.values(callees).map((c) => c.stop()))
  })

  it('routes a call to each scripted callee and relays its answer', async () => {
    for (const [number, status] of [
      ['13800000486', 486],
      ['13800000480', 480],
      ['13900000404', 404],
      ['13800000200', 200],
    ] as const) {
      const r = await sippCall(pbx.udpPort, number, status)
      expect(r.code, `${number} → ${status}\n${r.output}\n${pbx.log()}`).toBe(0)
    }
  }, 60_000)

  it('restarts on the same ports, as a PBX restart looks to its clients', async () => {
    const { udpPort, wsPort } = pbx
    await pbx.restart()
    expect([pbx.udpPort, pbx.wsPort]).toEqual([udpPort, wsPort])
    const r = await sippCall(pbx.udpPort, '13800000200', 200)
    expect(r.code, `${r.output}\n${pbx.log()}`).toBe(0)
  }, 30_000)

  it('a SIP user registers over WebSocket (RFC 7118)', async () => {
    const ua = new JsSIP.UA({
      sockets: [new JsSIP.WebSocketInterface(pbx.wsUrl)],
      uri: `sip:8001@${pbx.domain}`,
      password: 'unused',
      register: true,
    })
    const registered = new Promise<string>((resolve, reject) => {
      ua.on('registered', () => resolve('registered'))
      ua.on('registrationFailed', (e) => reject(new Error(String(e.cause))))
    })
    ua.start()
    try {
      await expect(registered).resolves.toBe('registered')
    } finally {
      ua.stop()
    }
  }, 20_000)
})
