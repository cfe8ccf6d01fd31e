import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runSipChecks } from '../../../electron/cli/doctor-sip'
import { kamailioAvailable, startKamailio, type RunningKamailio } from '../../support/sip/kamailio'
import { freeTcpPort } from '../../support/sip/ports'

/** `npm run doctor` with a softphone section: the SIP WebSocket and a registration, for real. */
describe('the doctor’s softphone checks', () => {
  let pbx: RunningKamailio
  beforeAll(async () => {
    expect(kamailioAvailable(), 'apt-get install kamailio kamailio-websocket-modules').toBe(true)
    pbx = await startKamailio()
  }, 30_000)
  afterAll(async () => {
    await pbx?.stop()
  })

  it('opens the SIP WebSocket and registers the extension', async () => {
    const r = await runSipChecks({
      wsUrl: pbx.wsUrl,
      sipDomain: pbx.domain,
      extension: '8001',
      password: 'doctor-secret',
    })
    expect(r.map((c) => [c.check, c.status])).toEqual([
      ['websocket', 'ok'],
      ['register', 'ok'],
    ])
    expect(r[1]!.detail).toBe(`sip:8001@${pbx.domain} 已注册`)
    expect(JSON.stringify(r)).not.toContain('doctor-secret')
  }, 30_000)

  it('says so when nothing listens there', async () => {
    const port = await freeTcpPort()
    const r = await runSipChecks(
      { wsUrl: `ws://127.0.0.1:${port}`, sipDomain: 'x', extension: '1', password: '' },
      2_000,
    )
    expect(r.map((c) => c.status)).toEqual(['fail', 'fail'])
    expect(r[0]!.detail).toBe('连接失败')
  })
})
