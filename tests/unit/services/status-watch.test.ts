import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { WeixinClient } from '../../../electron/core/weixin/client'
import { SandboxServer } from '../../../electron/sandbox/framework'
import { createSeedWorld } from '../../../electron/sandbox/seed'
import { createWeixinServerDef, type WeixinServerDef } from '../../../electron/sandbox/weixin'
import type { ConnectionManager } from '../../../electron/services/connections/connections'
import { SessionState } from '../../../electron/services/session/session-state'
import { UserStatusWatch } from '../../../electron/services/session/status-watch'

/** get_user_status during the shift, against the sandbox: every few minutes and after a sleep. */

let server: SandboxServer
let def: WeixinServerDef
let state: SessionState
let events: { event: string; payload: unknown }[]
let clock: number
let watch: UserStatusWatch

beforeAll(async () => {
  def = createWeixinServerDef(createSeedWorld(1, '2026-11-22'))
  server = new SandboxServer(def)
  await server.listen(0)
})
afterAll(async () => {
  await server.close()
})

const login = () =>
  state.start(
    {
      userId: 29,
      userName: '冯依敏',
      userNum: '00006',
      machineNo: 'weixin',
      server: server.url,
      loggedInAt: '2026-11-22T01:00:00.000Z',
      offline: false,
      notice: null,
      agentStatus: { state: 'ready', reason: '', since: '2026-11-22T01:00:00.000Z' },
      locked: false,
    },
    { alg: 'scrypt', salt: '', hash: '', N: 1024, r: 8, p: 1 } as never,
  )

const asked = () => server.getRecords().filter((r) => r.key === 'get_user_status').length
const waitUntil = async (check: () => boolean, what: string) => {
  for (let i = 0; i < 250 && !check(); i++) await new Promise((r) => setTimeout(r, 20))
  if (!check()) throw new Error(`timed out: ${what}`)
}

beforeEach(async () => {
  await server.reset()
  state = new SessionState()
  events = []
  clock = 0
  const weixin = new WeixinClient({ baseUrl: `${server.url}/estate` })
  const connections = { get: async () => ({ weixin }) } as unknown as ConnectionManager
  watch = new UserStatusWatch({
    connections,
    state,
    log: { info: () => {}, warn: () => {}, error: () => {} },
    emit: (event, payload) => void events.push({ event, payload }),
    now: () => clock,
    intervalMs: 60_000,
    tickMs: 15,
  })
  login()
})
afterEach(() => watch.stop())

describe('the user status watch', () => {
  it('asks every interval; a deactivation ends the session and says why', async () => {
    watch.start()
    await new Promise((r) => setTimeout(r, 60))
    expect(asked()).toBe(0)
    clock += 60_000
    await waitUntil(() => asked() === 1, 'the interval check')
    expect(state.current).not.toBeNull()
    def.setUserStatus('00006', '停用')
    clock += 60_000
    await waitUntil(() => state.current === null, 'the session to end')
    expect(events).toEqual([
      {
        event: 'sessionExpired',
        payload: { reason: expect.stringContaining('您的账号状态已变为「停用」') as unknown },
      },
    ])
  })

  it('asks at once after the machine wakes (the clock jumped)', async () => {
    watch.start()
    def.setUserStatus('00006', '离职')
    // asleep for 40 s: less than the interval, far more than the tick
    clock += 40_000
    await waitUntil(() => state.current === null, 'the check after waking')
    expect(asked()).toBe(1)
  })

  it('a server that cannot be asked changes nothing', async () => {
    await server.setOffline(true)
    try {
      expect(await watch.check('unlock')).toBeNull()
      expect(state.current).not.toBeNull()
      expect(events).toEqual([])
    } finally {
      await server.setOffline(false)
    }
  })

  it('the unlock check answers the reason', async () => {
    def.setUserStatus('00006', '停用')
    expect(await watch.check('unlock')).toContain('停用')
    expect(state.current).toBeNull()
  })
})
