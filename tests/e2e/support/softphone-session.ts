import type { Page } from 'playwright-core'
import { afterAll, beforeAll, expect } from 'vitest'
import type { SeedWorld } from '../../../electron/sandbox/seed'
import { defaultSoftphoneSettings } from '../../../shared/softphone-defaults'
import type { SoftphoneSettings } from '../../../shared/softphone-settings'
import { kamailioAvailable, startKamailio, type RunningKamailio } from '../../support/sip/kamailio'
import {
  sippAvailable,
  startCallee,
  type CalleeBehaviour,
  type RunningCallee,
} from '../../support/sip/sipp'
import { ensureLoggedIn, ok, useE2eSession, type E2eSession } from './app-state'
import { keepPeerConnections, startCustomerServer, type CustomerServer } from './sip-customer'
import { PACKAGE_ID, PROJECT_ID } from './workspace-state'

/**
 * What every softphone E2E file starts from: the app in Chromium with a fake microphone and
 * loopback WebRTC, a real Kamailio on free loopback ports routing the file's numbers to SIPp
 * callees, the built-in phone switched on against it (calling at any hour: the suite runs at
 * any hour), the SIP password in the vault, and a "customer" page that can register as a number.
 */

export const FAKE_MEDIA = [
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  '--allow-loopback-in-peer-connection',
  '--disable-features=WebRtcHideLocalIpsWithMdns',
  '--autoplay-policy=no-user-gesture-required',
]
export const SIP_PASSWORD = 'agent-sip-secret'
export const REF = { projectId: PROJECT_ID, packageId: PACKAGE_ID }
export const WORKSPACE = `/work/${PROJECT_ID}/${PACKAGE_ID}`

export interface SoftphoneRig {
  pbx: RunningKamailio
  /** the softphone settings as saved at the start */
  settings: SoftphoneSettings
  customerServer: CustomerServer
  /** a page on the customer server, not registered yet (registerCustomer) */
  customer: Page
}

export interface SoftphoneSetup {
  /** before the page first loads; keepPeerConnections by default (getStats reads them) */
  prepare?: (page: Page) => Promise<void>
  /** the sandbox's world instead of the seeded one */
  world?: () => SeedWorld
  /** the settings that differ from the defaults (enabled, PBX address and windows are set) */
  phone: Partial<SoftphoneSettings>
  /** dialled number → how its SIPp callee answers; asked once the agent is logged in */
  callees?: (s: E2eSession) => Promise<Record<string, CalleeBehaviour>>
}

/**
 * The session and the softphone rig for this file (beforeAll; stopped in afterAll). Read the
 * rig's fields inside tests and hooks.
 */
export function useSoftphoneSession(setup: SoftphoneSetup): {
  s: E2eSession
  rig: SoftphoneRig
} {
  const s = useE2eSession({
    browserArgs: FAKE_MEDIA,
    prepare: setup.prepare ?? keepPeerConnections,
    world: setup.world,
  })
  const rig = {} as SoftphoneRig
  const callees: RunningCallee[] = []
  beforeAll(async () => {
    expect(kamailioAvailable(), 'apt-get install kamailio kamailio-websocket-modules').toBe(true)
    expect(sippAvailable(), 'apt-get install sip-tester').toBe(true)
    await ensureLoggedIn(s)
    // the catalog as the screens load it before the workspace (a save takes the project's name)
    await ok(s.api.catalog.projects())
    await ok(s.api.catalog.packages({ projectId: PROJECT_ID }))
    await ok(s.api.catalog.callbackItems())
    const routes: Record<string, number> = {}
    for (const [number, behaviour] of Object.entries((await setup.callees?.(s)) ?? {})) {
      const callee = await startCallee(behaviour)
      callees.push(callee)
      routes[number] = callee.port
    }
    rig.pbx = await startKamailio({ routes })
    rig.settings = {
      ...defaultSoftphoneSettings,
      enabled: true,
      wsUrl: rig.pbx.wsUrl,
      sipDomain: rig.pbx.domain,
      callingWindows: ['00:00-24:00'],
      ...setup.phone,
    }
    await ok(s.api.settings.update({ softphone: rig.settings }))
    await ok(s.api.softphone.setPassword({ password: SIP_PASSWORD }))
    rig.customerServer = await startCustomerServer()
    rig.customer = await s.browser.context.newPage()
    await rig.customer.goto(rig.customerServer.url)
    // the agent's window in front, as on the desk: a page behind another gets no animation
    // frames, so the header's tag stayed mid-transition (invisible) in screenshots
    await s.page.bringToFront()
    s.stale = true
  }, 60_000)
  afterAll(async () => {
    await rig.customer?.close()
    await rig.customerServer?.close()
    await rig.pbx?.stop()
    for (const callee of callees) await callee.stop()
  })
  return { s, rig }
}
