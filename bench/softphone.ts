import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { resolve } from 'node:path'
import { build } from 'esbuild'
import { launchBrowser } from '../tests/e2e/support/browser'
import { registerCustomer, startCustomerServer } from '../tests/e2e/support/sip-customer'
import { kamailioAvailable, startKamailio } from '../tests/support/sip/kamailio'

/**
 * The built-in phone's own latency, p95 over 50 calls through a real Kamailio:
 * - softphone_dial_to_invite: the dial key's keydown → the INVITE handed to the WebSocket;
 * - softphone_200ok_to_timer: the 200 OK arriving on the WebSocket → the call's timer painted.
 * The app's SipPhone class (renderer/src/softphone/sip-phone.ts) runs in headless Chromium with
 * fake media; the callee is a JsSIP page (a SIPp callee's plain-RTP answer is refused by WebRTC,
 * so it never reaches "answered"). Main's authorize round trip is not part of these figures.
 */

const CALLS = 50
const CALLEE = '13800000200'
const FAKE_MEDIA = [
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  '--allow-loopback-in-peer-connection',
  '--disable-features=WebRtcHideLocalIpsWithMdns',
]

const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.ceil(xs.length * 0.95) - 1]!

async function phonePage(): Promise<{ url: string; close(): Promise<void> }> {
  const entry = resolve(import.meta.dirname, '../renderer/src/softphone/sip-phone.ts')
  const out = await build({
    stdin: {
      contents: `import { SipPhone } from ${JSON.stringify(entry)}; window.SipPhone = SipPhone`,
      resolveDir: process.cwd(),
      loader: 'ts',
    },
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    logLevel: 'silent',
  })
  const script = out.outputFiles[0]!.text
  const html = `<!doctype html><meta charset="utf-8"><div id="timer">00:00</div><script src="/phone.js"></script>`
  const server = createServer((req, res) => {
    const js = req.url === '/phone.js'
    res.writeHead(200, { 'content-type': js ? 'text/javascript' : 'text/html; charset=utf-8' })
    res.end(js ? script : html)
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () =>
      new Promise((r) => {
        server.close(() => r())
        server.closeAllConnections()
      }),
  }
}

export async function benchSoftphone(): Promise<void> {
  if (!kamailioAvailable()) {
    console.log(
      'softphone: skipped (kamailio is not installed: apt-get install kamailio kamailio-websocket-modules)',
    )
    return
  }
  const pbx = await startKamailio()
  const site = await phonePage()
  const browser = await launchBrowser(FAKE_MEDIA)
  try {
    const customerSite = await startCustomerServer()
    const customer = await browser.context.newPage()
    await customer.goto(customerSite.url)
    // the E2E's JsSIP customer: registered as the number, answers every call
    await registerCustomer(customer, { wsUrl: pbx.wsUrl, domain: pbx.domain, number: CALLEE })

    const agent = await browser.context.newPage()
    // tsx names the functions it compiles (__name); the page needs the helper to run them
    await agent.addInitScript({ content: 'globalThis.__name = (f) => f' })
    // every SIP message on the socket, timed where the browser hands it over
    await agent.addInitScript(() => {
      const g = globalThis as unknown as {
        WebSocket: new (
          url: string,
          protocols?: string | string[],
        ) => {
          send(data: string): void
          addEventListener(type: string, cb: (e: { data: unknown }) => void): void
        }
        marks: { invite: number; ok: number }
      }
      g.marks = { invite: 0, ok: 0 }
      const Original = g.WebSocket
      g.WebSocket = class extends Original {
        constructor(url: string, protocols?: string | string[]) {
          super(url, protocols)
          this.addEventListener('message', (e) => {
            const text = String(e.data)
            if (/^SIP\/2\.0 200/.test(text) && /^CSeq:\s*\d+ INVITE/im.test(text)) {
              g.marks.ok ||= performance.now()
            }
          })
        }
        override send(data: string): void {
          if (data.startsWith('INVITE ')) g.marks.invite ||= performance.now()
          super.send(data)
        }
      }
    })
    agent.on('pageerror', (e) => console.log('page error:', e.message))
    await agent.goto(site.url)
    await agent.evaluate(
      async ({ wsUrl, domain }) => {
        type Phone = {
          start(l: unknown): Promise<void>
          call(target: string, h: Record<string, (...a: unknown[]) => void>): void
          hangup(): void
        }
        const g = globalThis as unknown as {
          SipPhone: new () => Phone
          phone: Phone
          run: { key: number; answered: number; painted: number; ended: Promise<void> } | null
          marks: { invite: number; ok: number }
          document: {
            getElementById(id: string): { textContent: string }
            addEventListener(
              t: string,
              cb: (e: { timeStamp: number; altKey: boolean; key: string }) => void,
            ): void
          }
          requestAnimationFrame(cb: () => void): void
        }
        g.phone = new g.SipPhone()
        await g.phone.start({
          wsUrl,
          uri: `sip:8001@${domain}`,
          authorizationUser: '8001',
          password: 'unused',
        })
        // the dial key, as the workspace's Alt+D: the call starts in the key's own handler
        g.document.addEventListener('keydown', (e) => {
          if (!e.altKey || e.key !== 'd') return
          g.marks = { invite: 0, ok: 0 }
          let end = () => {}
          const run = {
            key: e.timeStamp,
            answered: 0,
            painted: 0,
            ended: new Promise<void>((r) => (end = r)),
          }
          g.run = run
          const timer = g.document.getElementById('timer')
          g.phone.call('sip:13800000200@' + domain, {
            onSent: () => {},
            onRinging: () => {},
            onAnswered: () => {
              run.answered = performance.now()
              timer.textContent = '00:00 通话中'
              g.requestAnimationFrame(() => {
                run.painted = performance.now()
                // a short call: the agent hangs up
                setTimeout(() => g.phone.hangup(), 50)
              })
            },
            onEnded: () => end(),
          })
        })
      },
      { wsUrl: pbx.wsUrl, domain: pbx.domain },
    )

    const toInvite: number[] = []
    const toTimer: number[] = []
    for (let i = 0; i < CALLS; i++) {
      await agent.keyboard.press('Alt+d')
      const r = await agent.evaluate(async () => {
        const g = globalThis as unknown as {
          run: { key: number; painted: number; ended: Promise<void> }
          marks: { invite: number; ok: number }
        }
        await g.run.ended
        return { key: g.run.key, painted: g.run.painted, ...g.marks }
      })
      if (!r.invite || !r.ok || !r.painted)
        throw new Error(`call ${i + 1} incomplete: ${JSON.stringify(r)}`)
      toInvite.push(r.invite - r.key)
      toTimer.push(r.painted - r.ok)
      // the PBX and the callee settle between calls
      await new Promise((res) => setTimeout(res, 100))
    }
    console.log(`softphone: ${CALLS} calls through Kamailio to a JsSIP callee`)
    console.log(
      `  dial key → INVITE sent   p50 ${toInvite.sort((a, b) => a - b)[CALLS / 2]!.toFixed(1)} ms`,
    )
    console.log(
      `  200 OK → timer painted   p50 ${toTimer.sort((a, b) => a - b)[CALLS / 2]!.toFixed(1)} ms`,
    )
    console.log(`BENCH softphone_dial_to_invite_p95 ${p95(toInvite).toFixed(1)} ms`)
    console.log(`BENCH softphone_200ok_to_timer_p95 ${p95(toTimer).toFixed(1)} ms`)
    await customerSite.close()
  } finally {
    await browser.close()
    await site.close()
    await pbx.stop()
  }
}
