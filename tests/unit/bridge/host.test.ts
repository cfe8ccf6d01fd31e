import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import vm from 'node:vm'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { WebSocket, type RawData } from 'ws'
import { buildBridgeClient } from '../../../electron/bridge/build-client'
import {
  BRIDGE_CLIENT_PATH,
  extractCsp,
  injectClientScript,
  isHashedAsset,
  startBridgeHost,
  type BridgeHost,
} from '../../../electron/bridge/host'
import { createDispatcher, type Dispatcher } from '../../../electron/ipc/dispatcher'
import type { Logger } from '../../../electron/services/ports'
import { channelOf, eventChannelOf } from '../../../shared/ipc/channels'
import { ipcContract, ipcEvents } from '../../../shared/ipc/contract'
import type { ServiceImpls } from '../../../shared/ipc/contract'
import { defaultSettings } from '../../../shared/settings'

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self' ws://127.0.0.1:*; object-src 'none'"
const INDEX = `<!doctype html>
<html lang="zh-CN">
  <head>
    <meta charset="UTF-8" />
    <meta
      http-equiv="Content-Security-Policy"
      content="${CSP}"
    />
    <title>t</title>
    <script type="module" crossorigin src="./assets/app.js"></script>
    <link rel="stylesheet" crossorigin href="./assets/app.css">
  </head>
  <body><div id="app"></div></body>
</html>
`
const SECRET = 'TOP-SECRET-OUTSIDE-RENDERER'

// at collection time: the traversal cases below name paths inside it
const tmp = mkdtempSync(join(tmpdir(), 'bridge-host-'))
const rendererDir = join(tmp, 'renderer')

beforeAll(() => {
  mkdirSync(join(rendererDir, 'assets'), { recursive: true })
  writeFileSync(join(rendererDir, 'index.html'), INDEX)
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log("app")\n')
  writeFileSync(join(rendererDir, 'assets', 'app.css'), 'body{margin:0}\n')
  writeFileSync(join(rendererDir, 'assets', 'index-D5svAMOy.js'), 'console.log("hashed")\n')
  writeFileSync(
    join(rendererDir, 'assets', 'logo.svg'),
    '<svg xmlns="http://www.w3.org/2000/svg"/>',
  )
  writeFileSync(join(rendererDir, 'assets', 'font.woff2'), Buffer.from([0x77, 0x4f, 0x46, 0x32]))
  writeFileSync(join(rendererDir, '.env'), SECRET)
  writeFileSync(join(tmp, 'secret.txt'), SECRET)
  mkdirSync(join(tmp, 'renderer-evil'))
  writeFileSync(join(tmp, 'renderer-evil', 'x.txt'), SECRET)
  symlinkSync(join(tmp, 'secret.txt'), join(rendererDir, 'assets', 'escape.txt'))
})

afterAll(() => rmSync(tmp, { recursive: true, force: true }))

// ---------------------------------------------------------------------------------------------
// helpers

interface Reply {
  status: number
  headers: http.IncomingHttpHeaders
  body: string
}

function rawRequest(
  port: number,
  path: string,
  opts: { method?: string; headers?: Record<string, string> } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: opts.method ?? 'GET',
        headers: opts.headers,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        )
        res.on('error', reject)
      },
    )
    req.on('error', reject)
    req.end()
  })
}

function portOf(host: BridgeHost): number {
  return Number(new URL(host.origin).port)
}

function tokenOf(host: BridgeHost): string {
  return new URL(host.url).searchParams.get('bridge') ?? ''
}

function wsUrl(host: BridgeHost, query: string): string {
  return `ws://127.0.0.1:${portOf(host)}/__bridge/ws?${query}`
}

/** Opens a socket, or rejects with the HTTP status of the refused upgrade. */
function connect(url: string, origin?: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, origin === undefined ? {} : { origin })
    ws.once('open', () => resolve(ws))
    ws.once('unexpected-response', (_req, res) => {
      reject(Object.assign(new Error(`refused ${res.statusCode}`), { status: res.statusCode }))
      ws.terminate()
    })
    ws.once('error', reject)
  })
}

async function refusalStatus(url: string, origin?: string): Promise<number> {
  try {
    const ws = await connect(url, origin)
    ws.close()
    return 101
  } catch (e) {
    return (e as { status?: number }).status ?? -1
  }
}

/** Every JSON message the socket receives, in order. */
function inbox(ws: WebSocket): unknown[] {
  const box: unknown[] = []
  ws.on('message', (data: RawData) => box.push(JSON.parse(String(data))))
  return box
}

async function waitFor<T>(read: () => T | undefined, what: string, ms = 3_000): Promise<T> {
  const until = Date.now() + ms
  for (;;) {
    const v = read()
    if (v !== undefined) return v
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

function call(ws: WebSocket, box: unknown[], id: number, channel: unknown, args: unknown) {
  ws.send(JSON.stringify({ id, channel, args }))
  return waitFor(
    () => box.find((m) => (m as { id?: unknown }).id === id) as { result: unknown } | undefined,
    `answer ${id}`,
  )
}

function closed(ws: WebSocket): Promise<number> {
  return new Promise((resolve) => {
    if (ws.readyState === WebSocket.CLOSED) return resolve(-1)
    ws.once('close', (code) => resolve(code))
  })
}

function tcpResources(): number {
  return process.getActiveResourcesInfo().filter((r) => r.startsWith('TCP')).length
}

function quietLog(): Logger & { errors: unknown[]; warnings: string[] } {
  const errors: unknown[] = []
  const warnings: string[] = []
  return {
    errors,
    warnings,
    info() {},
    warn: (message) => void warnings.push(message),
    error: (message, error) => void errors.push([message, error]),
  }
}

// The dispatcher is the real one, over a few fake services: what matters is what reaches it.
function testDispatcher(getOrigin: () => string): {
  dispatcher: Dispatcher
  calls: { channel: string; args: unknown; senderUrl: string | undefined }[]
  release: () => void
} {
  let release = (): void => {}
  const gate = new Promise<void>((r) => (release = r))
  const services = {
    settings: {
      get: async () => defaultSettings,
    },
    session: {
      current: async () => {
        await gate
        return null
      },
    },
  } as unknown as ServiceImpls
  const real = createDispatcher(services, {
    isAllowedSender: (url) => url?.startsWith(`${getOrigin()}/`) ?? false,
    logError() {},
  })
  const calls: { channel: string; args: unknown; senderUrl: string | undefined }[] = []
  return {
    calls,
    release: () => release(),
    dispatcher: {
      channels: real.channels,
      dispatch(channel, args, ctx) {
        calls.push({ channel, args, senderUrl: ctx.senderUrl })
        if (channel === 'cc:test:throw') throw new Error('boom')
        return real.dispatch(channel, args, ctx)
      },
    },
  }
}

// ---------------------------------------------------------------------------------------------

describe('bridge host', () => {
  let host: BridgeHost
  let t: ReturnType<typeof testDispatcher>
  let log: ReturnType<typeof quietLog>
  const open: WebSocket[] = []

  beforeEach(async () => {
    t = testDispatcher(() => host.origin)
    log = quietLog()
    host = await startBridgeHost({ dispatcher: t.dispatcher, rendererDir, log })
  })

  afterEach(async () => {
    for (const ws of open.splice(0)) ws.terminate()
    t.release()
    await host.close()
  })

  async function good(query = `token=${tokenOf(host)}`): Promise<WebSocket> {
    const ws = await connect(wsUrl(host, query), host.origin)
    open.push(ws)
    return ws
  }

  describe('static files', () => {
    it('listens on 127.0.0.1 and prints a URL that carries a 64-hex-digit token', () => {
      expect(host.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      const url = new URL(host.url)
      expect(url.origin).toBe(host.origin)
      expect(url.pathname).toBe('/')
      expect(tokenOf(host)).toMatch(/^[0-9a-f]{64}$/)
    })

    it('uses a new token on every launch', async () => {
      const other = await startBridgeHost({ dispatcher: t.dispatcher, rendererDir })
      try {
        expect(tokenOf(other)).not.toBe(tokenOf(host))
        expect(other.origin).not.toBe(host.origin)
      } finally {
        await other.close()
      }
    })

    it('serves index.html with the client script injected before the module script', async () => {
      for (const path of ['/', '/index.html', `/?bridge=${tokenOf(host)}`]) {
        const r = await rawRequest(portOf(host), path)
        expect(r.status).toBe(200)
        expect(r.headers['content-type']).toBe('text/html; charset=utf-8')
        const tag = `<script defer src="${BRIDGE_CLIENT_PATH}"></script>`
        expect(r.body.split(tag)).toHaveLength(2)
        const at = r.body.indexOf(tag)
        expect(at).toBeGreaterThan(r.body.indexOf('<title>'))
        expect(at).toBeLessThan(r.body.indexOf('<script type="module"'))
        // the token is never written into the page
        expect(r.body).not.toContain(tokenOf(host))
      }
    })

    it('sends the page CSP as a header, and hardening headers', async () => {
      const r = await rawRequest(portOf(host), '/')
      expect(r.headers['content-security-policy']).toBe(`${CSP}; frame-ancestors 'none'`)
      expect(r.headers['x-content-type-options']).toBe('nosniff')
      expect(r.headers['referrer-policy']).toBe('no-referrer')
      // as app:// (electron/main/hardening.ts): no opener policy, which cost a process swap
      expect(r.headers['cross-origin-opener-policy']).toBeUndefined()
      const js = await rawRequest(portOf(host), '/assets/app.js')
      expect(js.headers['content-security-policy']).toBe(`${CSP}; frame-ancestors 'none'`)
    })

    it('lets the browser keep content-hashed build files, never the page or other files', async () => {
      const hashed = await rawRequest(portOf(host), '/assets/index-D5svAMOy.js')
      expect(hashed.headers['cache-control']).toBe('public, max-age=31536000, immutable')
      for (const path of ['/', '/index.html', '/assets/app.js', BRIDGE_CLIENT_PATH]) {
        expect((await rawRequest(portOf(host), path)).headers['cache-control']).toBe('no-store')
      }
    })

    it('follows a rebuild: the page and its policy are read per request', async () => {
      const rebuilt = INDEX.replace(CSP, `${CSP}; img-src 'self'`).replace('app.js', 'app2.js')
      writeFileSync(join(rendererDir, 'index.html'), rebuilt)
      try {
        const r = await rawRequest(portOf(host), '/')
        expect(r.body).toContain('./assets/app2.js')
        expect(r.headers['content-security-policy']).toBe(
          `${CSP}; img-src 'self'; frame-ancestors 'none'`,
        )
      } finally {
        writeFileSync(join(rendererDir, 'index.html'), INDEX)
      }
    })

    it.each([
      ['/assets/app.js', 'text/javascript; charset=utf-8', 'console.log("app")\n'],
      ['/assets/app.css', 'text/css; charset=utf-8', 'body{margin:0}\n'],
      ['/assets/logo.svg', 'image/svg+xml', '<svg xmlns="http://www.w3.org/2000/svg"/>'],
      ['/assets/font.woff2', 'font/woff2', 'wOF2'],
    ])('serves %s as %s', async (path, type, body) => {
      const r = await rawRequest(portOf(host), path)
      expect(r.status).toBe(200)
      expect(r.headers['content-type']).toBe(type)
      expect(r.body).toBe(body)
    })

    it('serves the bundled client as a classic script', async () => {
      const r = await rawRequest(portOf(host), BRIDGE_CLIENT_PATH)
      expect(r.status).toBe(200)
      expect(r.headers['content-type']).toBe('text/javascript; charset=utf-8')
      expect(r.body.trimStart().startsWith('(() => {')).toBe(true)
      expect(r.body).not.toMatch(/^\s*(import|export)\s/m)
      expect(r.body).toContain('/__bridge/ws')
    })

    it('answers HEAD without a body, refuses other methods and unknown files', async () => {
      const head = await rawRequest(portOf(host), '/assets/app.js', { method: 'HEAD' })
      expect(head.status).toBe(200)
      expect(head.headers['content-length']).toBe('19')
      expect(head.body).toBe('')
      const post = await rawRequest(portOf(host), '/', { method: 'POST' })
      expect(post.status).toBe(405)
      expect(post.headers.allow).toBe('GET, HEAD')
      expect((await rawRequest(portOf(host), '/nope.js')).status).toBe(404)
      expect((await rawRequest(portOf(host), '/assets')).status).toBe(404)
      expect((await rawRequest(portOf(host), '/__bridge/other')).status).toBe(404)
    })

    it.each([
      '/../secret.txt',
      '/../../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/%2E%2E/%2E%2E/secret.txt',
      '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/..%2fsecret.txt',
      '/..%5csecret.txt',
      '/%5c..%5csecret.txt',
      '/../renderer-evil/x.txt',
      '/%2e%2e/renderer-evil/x.txt',
      '/assets/escape.txt',
      '/.env',
      '/assets/%2e%2e/.env',
      '/index.html%00.js',
      '/%',
      `//${tmp.slice(1)}/secret.txt`,
      `/${encodeURIComponent(join(tmp, 'secret.txt'))}`,
    ])('refuses the path %s', async (path) => {
      const r = await rawRequest(portOf(host), path)
      expect(r.status).toBe(404)
      expect(r.body).not.toContain(SECRET)
    })

    it('refuses a Host header other than its own (DNS rebinding)', async () => {
      const port = portOf(host)
      const r = await rawRequest(port, '/', { headers: { Host: `evil.example:${port}` } })
      expect(r.status).toBe(403)
      expect(r.body).not.toContain('<script')
      const ok = await rawRequest(port, '/', { headers: { Host: `127.0.0.1:${port}` } })
      expect(ok.status).toBe(200)
    })

    it('refuses to start without a built renderer', async () => {
      await expect(
        startBridgeHost({ dispatcher: t.dispatcher, rendererDir: join(tmp, 'missing') }),
      ).rejects.toThrow()
    })
  })

  describe('socket admission', () => {
    it('accepts the token with the host origin', async () => {
      const ws = await good()
      expect(ws.readyState).toBe(WebSocket.OPEN)
    })

    it.each([
      ['a wrong token', (tok: string) => `token=${'0'.repeat(tok.length)}`, 401],
      ['a token one character short', (tok: string) => `token=${tok.slice(1)}`, 401],
      ['the token in upper case', (tok: string) => `token=${tok.toUpperCase()}`, 401],
      ['no token', () => '', 401],
      ['an empty token', () => 'token=', 401],
    ])('refuses %s with 401', async (_name, query, status) => {
      const got = await refusalStatus(wsUrl(host, query(tokenOf(host))), host.origin)
      expect(got).toBe(status)
      expect(t.calls).toHaveLength(0)
      expect(log.warnings.some((w) => w.includes('token'))).toBe(true)
    })

    it.each([
      ['a foreign origin', 'http://evil.example'],
      ['localhost instead of 127.0.0.1', 'http://localhost:PORT'],
      ['another port', 'http://127.0.0.1:1'],
      ['https', 'https://127.0.0.1:PORT'],
      ['the opaque origin', 'null'],
    ])('refuses %s with 403 even with the token', async (_name, origin) => {
      const o = origin.replace('PORT', String(portOf(host)))
      const got = await refusalStatus(wsUrl(host, `token=${tokenOf(host)}`), o)
      expect(got).toBe(403)
      expect(t.calls).toHaveLength(0)
    })

    it('refuses a socket without an Origin header', async () => {
      expect(await refusalStatus(wsUrl(host, `token=${tokenOf(host)}`))).toBe(403)
    })

    it('refuses a socket on another path', async () => {
      const url = `ws://127.0.0.1:${portOf(host)}/__bridge/other?token=${tokenOf(host)}`
      expect(await refusalStatus(url, host.origin)).toBe(404)
    })
  })

  describe('calls', () => {
    it('answers {id, result} with exactly what the dispatcher returns', async () => {
      const ws = await good()
      const box = inbox(ws)
      const answer = await call(ws, box, 1, channelOf('settings', 'get'), [])
      expect(answer).toEqual({ id: 1, result: { ok: true, value: defaultSettings } })
      expect(t.calls).toEqual([
        { channel: 'cc:settings:get', args: [], senderUrl: `${host.origin}/` },
      ])
    })

    it('passes the page path the client reports, under the verified origin', async () => {
      const ws = await good(`token=${tokenOf(host)}&page=${encodeURIComponent('/index.html')}`)
      await call(ws, inbox(ws), 1, channelOf('settings', 'get'), [])
      expect(t.calls[0]?.senderUrl).toBe(`${host.origin}/index.html`)
    })

    it.each(['//evil.example/x', 'http://evil.example/', 'x', '/a b'])(
      'ignores a page path like %s',
      async (page) => {
        const ws = await good(`token=${tokenOf(host)}&page=${encodeURIComponent(page)}`)
        await call(ws, inbox(ws), 1, channelOf('settings', 'get'), [])
        expect(t.calls[0]?.senderUrl).toBe(`${host.origin}/`)
      },
    )

    it('passes the dispatcher’s typed failures through', async () => {
      const ws = await good()
      const box = inbox(ws)
      const unknown = await call(ws, box, 1, 'cc:nope:nope', [])
      expect(unknown.result).toMatchObject({ ok: false, error: { kind: 'unknown-channel' } })
      const invalid = await call(ws, box, 2, channelOf('catalog', 'packages'), [{ projectId: -1 }])
      expect(invalid.result).toMatchObject({
        ok: false,
        error: { kind: 'invalid-args', field: 'projectId' },
      })
      const missing = await call(ws, box, 3, channelOf('catalog', 'projects'), [])
      expect(missing.result).toMatchObject({ ok: false, error: { kind: 'internal' } })
    })

    it('matches answers to calls by id when they finish out of order', async () => {
      const ws = await good()
      const box = inbox(ws)
      ws.send(JSON.stringify({ id: 'slow', channel: channelOf('session', 'current'), args: [] }))
      const fast = await call(ws, box, 2, channelOf('settings', 'get'), [])
      expect(fast.result).toMatchObject({ ok: true })
      expect(box).toHaveLength(1)
      t.release()
      const slow = await waitFor(
        () => box.find((m) => (m as { id: unknown }).id === 'slow'),
        'slow',
      )
      expect(slow).toEqual({ id: 'slow', result: { ok: true, value: null } })
    })

    it('drops messages it cannot answer and keeps serving', async () => {
      const ws = await good()
      const box = inbox(ws)
      for (const bad of [
        'not json',
        '[1,2,3]',
        'null',
        '42',
        JSON.stringify({ channel: 'cc:settings:get', args: [] }),
        JSON.stringify({ id: { x: 1 }, channel: 'cc:settings:get', args: [] }),
        JSON.stringify({ id: 1.5, channel: 'cc:settings:get', args: [] }),
        JSON.stringify({ id: 'x'.repeat(65), channel: 'cc:settings:get', args: [] }),
      ]) {
        ws.send(bad)
      }
      ws.send(Buffer.from(JSON.stringify({ id: 9, channel: 'cc:settings:get', args: [] })), {
        binary: true,
      })
      const ok = await call(ws, box, 10, channelOf('settings', 'get'), [])
      expect(ok.result).toMatchObject({ ok: true })
      expect(box).toHaveLength(1)
      expect(t.calls).toHaveLength(1)
    })

    it('answers a malformed call that has an id with a typed error', async () => {
      const ws = await good()
      const box = inbox(ws)
      const noChannel = await call(ws, box, 1, 42, [])
      expect(noChannel.result).toMatchObject({ ok: false, error: { kind: 'invalid-args' } })
      const badArgs = await call(ws, box, 2, channelOf('settings', 'get'), 'x')
      expect(badArgs.result).toMatchObject({ ok: false, error: { kind: 'invalid-args' } })
      expect(t.calls).toHaveLength(0)
    })

    it('survives a dispatcher that throws and an oversized frame', async () => {
      const ws = await good()
      const box = inbox(ws)
      const thrown = await call(ws, box, 1, 'cc:test:throw', [])
      expect(thrown.result).toMatchObject({ ok: false, error: { kind: 'internal' } })
      expect(log.errors).toHaveLength(1)

      const big = await good()
      const code = closed(big)
      big.send(JSON.stringify({ id: 1, channel: 'cc:settings:get', args: ['x'.repeat(2 << 20)] }))
      // ws answers a frame over maxPayload with 1009 (message too big) and drops that socket only
      expect(await code).toBe(1009)

      const again = await call(ws, box, 2, channelOf('settings', 'get'), [])
      expect(again.result).toMatchObject({ ok: true })
    })
  })

  describe('events', () => {
    it('sends {event, payload} to every open page', async () => {
      const [a, b] = [await good(), await good()]
      const [boxA, boxB] = [inbox(a), inbox(b)]
      const gone = await good()
      gone.close()
      await closed(gone)
      const payload = { pending: 2, failed: 0, flushing: true, lastSuccessAt: null }
      host.emit(eventChannelOf('syncProgress'), payload)
      const expected = { event: 'cc:event:syncProgress', payload }
      expect(await waitFor(() => boxA[0], 'event on a')).toEqual(expected)
      expect(await waitFor(() => boxB[0], 'event on b')).toEqual(expected)
    })

    it('logs an event it cannot serialise instead of throwing', () => {
      expect(() => host.emit('cc:event:x', { n: 1n })).not.toThrow()
      expect(log.errors).toHaveLength(1)
    })
  })

  describe('close', () => {
    it('closes the pages’ sockets, frees the port and leaves no TCP handles', async () => {
      t.release()
      await host.close()
      // a closed server's handle is released a tick after its close callback
      await new Promise((r) => setTimeout(r, 50))
      const baseline = tcpResources()
      const h = await startBridgeHost({ dispatcher: t.dispatcher, rendererDir })
      const port = portOf(h)
      const ws = await connect(wsUrl(h, `token=${tokenOf(h)}`), h.origin)
      const keepAlive = new http.Agent({ keepAlive: true })
      await new Promise<void>((resolve) =>
        http.get({ host: '127.0.0.1', port, path: '/', agent: keepAlive }, (res) => {
          res.resume()
          res.on('end', resolve)
        }),
      )
      expect(tcpResources()).toBeGreaterThan(baseline)
      const code = closed(ws)
      await h.close()
      await h.close()
      expect(await code).toBe(1006)
      keepAlive.destroy()
      await waitFor(() => (tcpResources() === baseline ? true : undefined), 'TCP handles')
      const refused = await new Promise<string>((resolve) => {
        const s = net.connect(port, '127.0.0.1')
        s.once('connect', () => {
          s.destroy()
          resolve('connected')
        })
        s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'))
      })
      expect(refused).toBe('ECONNREFUSED')
      // afterEach closes `host` again: close() must be idempotent
    })
  })
})

describe('page injection helpers', () => {
  it('tells content-hashed build files from the rest', () => {
    expect(isHashedAsset('/assets/index-D5svAMOy.js')).toBe(true)
    expect(isHashedAsset('/assets/_plugin-vue_export-helper-Dg9MQ4Rk.js')).toBe(true)
    expect(isHashedAsset('/assets/css-C7-jPXEy.css')).toBe(true)
    expect(isHashedAsset('/assets/app.js')).toBe(false)
    expect(isHashedAsset('/index.html')).toBe(false)
    expect(isHashedAsset('/assets/x-D5svAMOy.js/../../index.html')).toBe(false)
  })

  it('puts the client, deferred, before the first module script', () => {
    const out = injectClientScript(INDEX)
    expect(out.indexOf(BRIDGE_CLIENT_PATH)).toBeLessThan(out.indexOf('type="module"'))
    // run in document order with the module scripts, after parsing: it must not block
    expect(out).toContain(`<script defer src="${BRIDGE_CLIENT_PATH}"></script>`)
  })

  it('falls back to the end of <head>, and refuses a page with neither', () => {
    const out = injectClientScript('<html><head><title>x</title></head><body></body></html>')
    expect(out).toContain(`<script defer src="${BRIDGE_CLIENT_PATH}"></script>\n</head>`)
    expect(() => injectClientScript('<p>hi</p>')).toThrow()
  })

  it('reads the CSP from the meta tag, whitespace normalised', () => {
    expect(extractCsp(INDEX)).toBe(CSP)
    expect(extractCsp('<meta charset="utf-8">')).toBeUndefined()
  })
})

// ---------------------------------------------------------------------------------------------
// The bundled client, run in a vm against a scripted browser: no Chromium needed to check its
// queue, its answers on disconnect and its back-off.

class FakeSocket {
  static all: FakeSocket[] = []
  readyState = 0
  sent: unknown[] = []
  private listeners = new Map<string, ((e: { data: unknown }) => void)[]>()
  constructor(readonly url: string) {
    FakeSocket.all.push(this)
  }
  addEventListener(type: string, l: (e: { data: unknown }) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), l])
  }
  send(data: string): void {
    if (this.readyState !== 1) throw new Error('send before open')
    this.sent.push(JSON.parse(data))
  }
  fire(type: string, data?: unknown): void {
    for (const l of this.listeners.get(type) ?? []) l({ data })
  }
  open(): void {
    this.readyState = 1
    this.fire('open')
  }
  answer(id: unknown, result: unknown): void {
    this.fire('message', JSON.stringify({ id, result }))
  }
  drop(): void {
    this.readyState = 3
    this.fire('error')
    this.fire('close')
  }
}

interface FakeBrowser {
  context: vm.Context & { callcenter?: unknown; evalAttempts?: number }
  replaced: string[]
  storage: Map<string, string>
  timers: { fn: () => void; ms: number; cleared: boolean }[]
}

let clientCode: string

function runClient(
  href: string,
  storage = new Map<string, string>(),
  WebSocketImpl: unknown = FakeSocket,
): FakeBrowser {
  const replaced: string[] = []
  const timers: FakeBrowser['timers'] = []
  const url = new URL(href)
  const location = { href, protocol: url.protocol, host: url.host, pathname: url.pathname }
  const context = vm.createContext({
    location,
    history: {
      state: { from: 'router' },
      replaceState(state: unknown, _unused: string, next: string) {
        expect(state).toEqual({ from: 'router' })
        replaced.push(next)
        location.href = new URL(next, location.href).href
      },
    },
    sessionStorage: {
      getItem: (k: string) => storage.get(k) ?? null,
      setItem: (k: string, v: string) => void storage.set(k, v),
    },
    WebSocket: WebSocketImpl,
    setTimeout: (fn: () => void, ms: number) => {
      const timer = { fn, ms, cleared: false }
      timers.push(timer)
      return timer
    },
    clearTimeout: (timer: { cleared: boolean }) => {
      timer.cleared = true
    },
    URL,
  })
  // the page's CSP forbids eval: record any attempt at it instead
  vm.runInContext(
    `globalThis.evalAttempts = 0
    Function = new Proxy(Function, {
      construct() { evalAttempts++; throw new EvalError('blocked by CSP') },
      apply() { evalAttempts++; throw new EvalError('blocked by CSP') },
    })`,
    context,
  )
  vm.runInContext(clientCode, context)
  return { context, replaced, storage, timers }
}

type Api = Record<string, Record<string, (...a: unknown[]) => Promise<unknown>>> & {
  on(event: string, l: (p: unknown) => void): () => void
}

function apiOf(b: FakeBrowser): Api {
  return b.context.callcenter as Api
}

const TOKEN = 'ab'.repeat(32)
const DISCONNECTED = { ok: false, error: { kind: 'network', message: '与本地服务的连接已断开' } }

describe('bridge client (bundled, in a vm)', () => {
  beforeAll(async () => {
    clientCode = await buildBridgeClient()
  })
  beforeEach(() => {
    FakeSocket.all = []
  })

  it('defines a read-only window.callcenter with the contract’s services and on()', () => {
    const b = runClient(`http://127.0.0.1:4000/?bridge=${TOKEN}`)
    const api = apiOf(b)
    expect(Object.keys(api).sort()).toEqual([...Object.keys(ipcContract), 'on'].sort())
    for (const service of Object.keys(ipcContract) as (keyof typeof ipcContract)[]) {
      expect(Object.keys(api[service] ?? {}).sort()).toEqual(
        Object.keys(ipcContract[service]).sort(),
      )
    }
    expect(typeof api.on).toBe('function')
    const desc = Object.getOwnPropertyDescriptor(b.context, 'callcenter')
    expect(desc).toMatchObject({ writable: false, configurable: false })
    expect(Object.isFrozen(api)).toBe(true)
  })

  it('adds no global but callcenter, and never tries eval (the CSP forbids it)', () => {
    const before = new Set(Object.getOwnPropertyNames(vm.createContext({})))
    const b = runClient(`http://127.0.0.1:4000/?bridge=${TOKEN}`)
    const given = ['location', 'history', 'sessionStorage', 'WebSocket', 'setTimeout']
    const added = Object.getOwnPropertyNames(b.context).filter(
      (n) =>
        !before.has(n) &&
        ![...given, 'clearTimeout', 'URL', 'evalAttempts', 'Function'].includes(n),
    )
    expect(added).toEqual(['callcenter'])
    expect(b.context.evalAttempts).toBe(0)
    // names only: the contract's schemas (zod) stay out of the page's main world
    expect(clientCode).not.toMatch(/\$ZodType|__zod_/)
  })

  it('takes the token from the URL, removes it from the address bar and keeps it', () => {
    const b = runClient(`http://127.0.0.1:4000/index.html?tab=2&bridge=${TOKEN}#/calls`)
    expect(b.replaced).toEqual(['/index.html?tab=2#/calls'])
    expect([...b.storage.values()]).toEqual([TOKEN])
    const socket = FakeSocket.all[0]
    expect(socket?.url).toBe(
      `ws://127.0.0.1:4000/__bridge/ws?token=${TOKEN}&page=${encodeURIComponent('/index.html')}`,
    )
  })

  it('uses the kept token after a reload without it', () => {
    const first = runClient(`http://127.0.0.1:4000/?bridge=${TOKEN}`)
    const reload = runClient('http://127.0.0.1:4000/', first.storage)
    expect(reload.replaced).toEqual([])
    expect(FakeSocket.all[1]?.url).toContain(`token=${TOKEN}`)
  })

  it('without any token opens no socket and answers every call with a network error', async () => {
    const b = runClient('http://127.0.0.1:4000/')
    expect(FakeSocket.all).toHaveLength(0)
    const r = await apiOf(b).settings?.get?.()
    expect(r).toMatchObject({ ok: false, error: { kind: 'network' } })
  })

  it('queues calls made before the socket opens and sends them in order on open', async () => {
    const b = runClient(`http://127.0.0.1:4000/?bridge=${TOKEN}`)
    const api = apiOf(b)
    const first = api.settings?.get?.()
    const second = api.catalog?.packages?.({ projectId: 7 })
    const socket = FakeSocket.all[0]!
    expect(socket.sent).toEqual([])
    socket.open()
    expect(socket.sent).toEqual([
      { id: 1, channel: 'cc:settings:get', args: [] },
      { id: 2, channel: 'cc:catalog:packages', args: [{ projectId: 7 }] },
    ])
    socket.answer(2, { ok: true, value: [] })
    socket.answer(1, { ok: true, value: { a: 1 } })
    expect(await first).toEqual({ ok: true, value: { a: 1 } })
    expect(await second).toEqual({ ok: true, value: [] })
    // after open, calls go straight out
    void api.session?.current?.()
    expect(socket.sent).toHaveLength(3)
  })

  it('answers pending and queued calls with a network error when the socket closes', async () => {
    const b = runClient(`http://127.0.0.1:4000/?bridge=${TOKEN}`)
    const api = apiOf(b)
    const queued = api.settings?.get?.()
    FakeSocket.all[0]!.drop()
    expect(await queued).toEqual(DISCONNECTED)

    b.timers.at(-1)!.fn()
    const socket = FakeSocket.all[1]!
    socket.open()
    const pending = api.settings?.get?.()
    const answered = api.session?.current?.()
    socket.answer((socket.sent[1] as { id: number }).id, { ok: true, value: null })
    socket.drop()
    expect(await pending).toEqual(DISCONNECTED)
    expect(await answered).toEqual({ ok: true, value: null })
  })

  it('reconnects with a doubling back-off that resets once connected', () => {
    const b = runClient(`http://127.0.0.1:4000/?bridge=${TOKEN}`)
    const delays: number[] = []
    for (let i = 0; i < 8; i++) {
      FakeSocket.all.at(-1)!.drop()
      const timer = b.timers.at(-1)!
      delays.push(timer.ms)
      timer.fn()
    }
    expect(delays).toEqual([250, 500, 1000, 2000, 4000, 8000, 8000, 8000])
    expect(FakeSocket.all).toHaveLength(9)
    FakeSocket.all.at(-1)!.open()
    FakeSocket.all.at(-1)!.drop()
    expect(b.timers.at(-1)!.ms).toBe(250)
  })

  it('connects at once when the page calls during the back-off', async () => {
    const b = runClient(`http://127.0.0.1:4000/?bridge=${TOKEN}`)
    FakeSocket.all[0]!.drop()
    const timer = b.timers.at(-1)!
    const call = apiOf(b).settings?.get?.()
    expect(FakeSocket.all).toHaveLength(2)
    expect(timer.cleared).toBe(true)
    FakeSocket.all[1]!.open()
    FakeSocket.all[1]!.answer(1, { ok: true, value: 1 })
    expect(await call).toEqual({ ok: true, value: 1 })
  })

  it('delivers events to on() listeners until they unsubscribe', () => {
    const b = runClient(`http://127.0.0.1:4000/?bridge=${TOKEN}`)
    const socket = FakeSocket.all[0]!
    socket.open()
    const got: unknown[] = []
    const other: unknown[] = []
    const off = apiOf(b).on('syncProgress', () => {
      throw new Error('a buggy listener')
    })
    const off2 = apiOf(b).on('syncProgress', (p) => got.push(p))
    apiOf(b).on('sessionExpired', (p) => other.push(p))
    socket.fire('message', JSON.stringify({ event: 'cc:event:syncProgress', payload: { n: 1 } }))
    expect(got).toEqual([{ n: 1 }])
    expect(other).toEqual([])
    // the buggy listener's error is rethrown later, not swallowed
    expect(() => b.timers.at(-1)!.fn()).toThrow('a buggy listener')
    off()
    off2()
    socket.fire('message', JSON.stringify({ event: 'cc:event:syncProgress', payload: { n: 2 } }))
    expect(got).toEqual([{ n: 1 }])
    expect(() => apiOf(b).on('nope', () => {})).toThrow()
    expect(Object.keys(ipcEvents)).toContain('syncProgress')
  })

  it('ignores answers it did not ask for and junk frames', async () => {
    const b = runClient(`http://127.0.0.1:4000/?bridge=${TOKEN}`)
    const socket = FakeSocket.all[0]!
    socket.open()
    const call = apiOf(b).settings?.get?.()
    socket.answer(99, { ok: true, value: 'not mine' })
    socket.fire('message', 'not json')
    socket.fire('message', new ArrayBuffer(2))
    socket.answer(1, { ok: true, value: 'mine' })
    expect(await call).toEqual({ ok: true, value: 'mine' })
  })

  describe('against the real host', () => {
    let host: BridgeHost
    let t: ReturnType<typeof testDispatcher>
    beforeEach(async () => {
      t = testDispatcher(() => host.origin)
      host = await startBridgeHost({ dispatcher: t.dispatcher, rendererDir })
    })
    afterEach(async () => {
      t.release()
      await host.close()
    })

    function browserSocket(origin: string) {
      // the browser sends its page's Origin; ws must be told
      return class extends WebSocket {
        constructor(url: string) {
          super(url, { origin })
        }
      }
    }

    it('round-trips a call and an event, then reports the host going away', async () => {
      const b = runClient(host.url, new Map(), browserSocket(host.origin))
      const api = apiOf(b)
      expect(await api.settings?.get?.()).toEqual({ ok: true, value: defaultSettings })
      expect(t.calls[0]?.senderUrl).toBe(`${host.origin}/`)
      const events: unknown[] = []
      api.on('sessionExpired', (p) => events.push(p))
      host.emit(eventChannelOf('sessionExpired'), { reason: 'idle' })
      await waitFor(() => events[0], 'event')
      expect(events).toEqual([{ reason: 'idle' }])
      const pending = api.session?.current?.()
      await waitFor(() => t.calls[1], 'second call')
      await host.close()
      expect(await pending).toEqual(DISCONNECTED)
    })

    it('is refused by the host when its origin is foreign', async () => {
      const b = runClient(host.url, new Map(), browserSocket('http://evil.example'))
      expect(await apiOf(b).settings?.get?.()).toEqual(DISCONNECTED)
      expect(t.calls).toHaveLength(0)
    })
  })
})
