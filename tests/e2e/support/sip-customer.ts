import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { build } from 'esbuild'
import type { Page } from 'playwright-core'
import { expect, vi } from 'vitest'

/** the parts of the page's RTCPeerConnection used here (the Node project has no DOM types) */
interface PeerConnection {
  getStats(): Promise<{ forEach(cb: (r: Record<string, unknown>) => void): void }>
  getSenders(): { track: { enabled: boolean } | null }[]
}

/**
 * The softphone E2E's "customer": a page on its own 127.0.0.1 origin running the same SIP library
 * as the app (JsSIP, bundled here), registered over WebSocket as the number the agent dials. It
 * answers every call, and records what it hears of the call: DTMF tones, hold, the hang-up.
 */

export interface CustomerServer {
  url: string
  close(): Promise<void>
}

export async function startCustomerServer(): Promise<CustomerServer> {
  const bundle = await build({
    stdin: {
      contents: "import JsSIP from 'jssip'; window.JsSIP = JsSIP",
      resolveDir: process.cwd(),
    },
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    logLevel: 'silent',
  })
  const script = bundle.outputFiles[0]!.text
  const html =
    '<!doctype html><meta charset="utf-8"><title>客户</title><script src="/jssip.js"></script>'
  const server: Server = createServer((req, res) => {
    const js = req.url === '/jssip.js'
    res.writeHead(200, { 'content-type': js ? 'text/javascript' : 'text/html; charset=utf-8' })
    res.end(js ? script : html)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve())
        // the browser keeps its connection alive: close() alone would wait for it
        server.closeAllConnections()
      }),
  }
}

export interface CustomerState {
  registered: boolean
  ringing: number
  answered: boolean
  dtmf: string[]
  events: string[]
}

/**
 * registers the page as `number` and answers whatever call comes; with `echo` it sends back
 * what it hears (the received track replaces its microphone): a WebRTC echo extension
 */
export async function registerCustomer(
  page: Page,
  opts: { wsUrl: string; domain: string; number: string; echo?: boolean },
): Promise<void> {
  await page.evaluate(async ({ wsUrl, domain, number, echo }) => {
    type Session = {
      on(event: string, cb: (e: { originator?: string; dtmf?: { tone: string } }) => void): void
      answer(o: unknown): void
      connection: PeerConnection
    }
    const w = globalThis as unknown as {
      JsSIP: {
        UA: new (o: unknown) => {
          on(event: string, cb: (e: { session: Session; originator: string }) => void): void
          start(): void
        }
        WebSocketInterface: new (url: string) => unknown
      }
      customer: CustomerState & { session: Session | null }
    }
    const c: CustomerState & { session: Session | null } = {
      registered: false,
      ringing: 0,
      answered: false,
      dtmf: [],
      events: [],
      session: null,
    }
    w.customer = c
    const ua = new w.JsSIP.UA({
      sockets: [new w.JsSIP.WebSocketInterface(wsUrl)],
      uri: `sip:${number}@${domain}`,
      password: 'unused',
      register: true,
    })
    ua.on('newRTCSession', ({ session, originator }) => {
      if (originator !== 'remote') return
      c.ringing++
      c.session = session
      session.on('newDTMF', (e) => e.dtmf && c.dtmf.push(e.dtmf.tone))
      session.on('hold', (e) => c.events.push(`hold:${e.originator}`))
      session.on('unhold', (e) => c.events.push(`unhold:${e.originator}`))
      session.on('ended', (e) => c.events.push(`ended:${e.originator}`))
      session.on('confirmed', () => {
        c.answered = true
        if (!echo) return
        const pc = session.connection as unknown as {
          getReceivers(): { track: { kind: string } | null }[]
          getSenders(): {
            track: { kind: string } | null
            replaceTrack(t: unknown): Promise<void>
          }[]
        }
        const heard = pc.getReceivers().find((r) => r.track?.kind === 'audio')?.track
        const sender = pc.getSenders().find((x) => x.track?.kind === 'audio')
        if (!heard || !sender) return
        // through WebAudio, not the remote track itself: Chromium decodes a remote track only
        // while something plays it, and a sender given the bare track sends nothing
        const g = globalThis as unknown as {
          AudioContext: new () => {
            createMediaStreamSource(s: unknown): { connect(d: unknown): void }
            createMediaStreamDestination(): { stream: { getAudioTracks(): unknown[] } }
          }
          MediaStream: new (tracks: unknown[]) => unknown
          document: {
            createElement(t: 'audio'): { muted: boolean; srcObject: unknown; play(): Promise<void> }
          }
        }
        const remote = new g.MediaStream([heard])
        const player = g.document.createElement('audio')
        player.muted = true
        player.srcObject = remote
        void player.play()
        const ctx = new g.AudioContext()
        const out = ctx.createMediaStreamDestination()
        ctx.createMediaStreamSource(remote).connect(out)
        void sender.replaceTrack(out.stream.getAudioTracks()[0])
        c.events.push('echoing')
      })
      // a moment of ringing, as a person would take
      setTimeout(
        () =>
          session.answer({
            mediaConstraints: { audio: true, video: false },
            pcConfig: { iceServers: [] },
          }),
        300,
      )
    })
    await new Promise<void>((resolve) => {
      ua.on('registered' as never, () => {
        c.registered = true
        resolve()
      })
      ua.start()
    })
  }, opts)
}

export const customerState = (page: Page): Promise<CustomerState> =>
  page.evaluate(() => {
    const c = (globalThis as unknown as { customer: CustomerState }).customer
    return {
      registered: c.registered,
      ringing: c.ringing,
      answered: c.answered,
      dtmf: [...c.dtmf],
      events: [...c.events],
    }
  })

/** audio both ways on a peer connection: bytes received and sent, from getStats */
export async function audioStats(
  page: Page,
  which: 'customer' | 'agent',
): Promise<{ received: number; sent: number; packetsReceived: number }> {
  return page.evaluate(async (who) => {
    const w = globalThis as unknown as {
      customer?: { session: { connection: PeerConnection } | null }
      __pcs?: PeerConnection[]
    }
    const pc = who === 'customer' ? w.customer?.session?.connection : w.__pcs?.at(-1)
    if (!pc) return { received: 0, sent: 0, packetsReceived: 0 }
    let received = 0
    let sent = 0
    let packetsReceived = 0
    ;(await pc.getStats()).forEach((r) => {
      if (r.type === 'inbound-rtp' && r.kind === 'audio') {
        received += Number(r.bytesReceived ?? 0)
        packetsReceived += Number(r.packetsReceived ?? 0)
      }
      if (r.type === 'outbound-rtp' && r.kind === 'audio') sent += Number(r.bytesSent ?? 0)
    })
    return { received, sent, packetsReceived }
  }, which)
}

/** before the app's first script: every RTCPeerConnection it makes is kept for getStats */
export async function keepPeerConnections(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const g = globalThis as unknown as {
      RTCPeerConnection: new (config?: unknown) => object
      __pcs: object[]
    }
    const Original = g.RTCPeerConnection
    g.__pcs = []
    g.RTCPeerConnection = class extends Original {
      constructor(config?: unknown) {
        super(config)
        g.__pcs.push(this)
      }
    }
  })
}

/** waits until audio flows both ways: each side receives what the other sends (getStats) */
export async function audioFlowsBothWays(agent: Page, customer: Page): Promise<void> {
  await vi.waitFor(
    async () => {
      const mine = await audioStats(agent, 'agent')
      const them = await audioStats(customer, 'customer')
      expect(mine.received).toBeGreaterThan(2000)
      expect(mine.sent).toBeGreaterThan(2000)
      expect(them.received).toBeGreaterThan(2000)
      expect(them.packetsReceived).toBeGreaterThan(20)
    },
    { timeout: 15_000, interval: 250 },
  )
}
