import http from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { isLocalHost } from '../../../electron/sandbox/control-access'
import { json, SandboxServer, type ControlAccess } from '../../../electron/sandbox/framework'
import { startSandbox } from '../../../electron/sandbox'

let servers: SandboxServer[] = []
let handled = 0

async function serve(control?: ControlAccess): Promise<SandboxServer> {
  const s = new SandboxServer(
    {
      name: 'echo',
      keyOf: (req) => req.path,
      handle: () => {
        handled++
        return json({ ok: true })
      },
      reset: () => {
        handled = 0
      },
      state: () => ({ handled }),
    },
    control,
  )
  await s.listen(0)
  servers.push(s)
  return s
}

function call(
  base: string,
  path: string,
  opts: { method?: string; host?: string; body?: unknown } = {},
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = opts.host ? { host: opts.host } : {}
    const req = http.request(
      `${base}${path}`,
      { method: opts.method ?? 'GET', agent: false, headers },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (c: string) => (text += c))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }))
      },
    )
    req.on('error', reject)
    req.end(opts.body === undefined ? undefined : JSON.stringify(opts.body))
  })
}

afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()))
  servers = []
  handled = 0
})

describe('the sandbox control API', () => {
  it('needs this launch’s token: a guessed or missing one is refused and changes nothing', async () => {
    const s = await serve()
    const controlPort = s.controlUrl.replace(/\/[0-9a-f]{32}$/, '')
    const fault = { mode: 'http500' }
    for (const path of ['/__sandbox/faults', `/${'0'.repeat(32)}/__sandbox/faults`]) {
      expect((await call(controlPort, path, { method: 'POST', body: fault })).status).toBe(404)
      // on the double's own port it is just a request to the double, never a control call
      await call(s.url, path, { method: 'POST', body: fault })
    }
    expect((await call(s.url, '/x')).status).toBe(200)
    const ok = await call(s.url, `${s.controlPath}/__sandbox/faults`, {
      method: 'POST',
      body: fault,
    })
    expect(ok.status).toBe(200)
    expect((await call(s.url, '/x')).status).toBe(500)
  })

  it('refuses a Host that is not an IP literal or localhost (DNS rebinding)', async () => {
    const s = await serve()
    const port = new URL(s.controlUrl).port
    const path = '/__sandbox/reset'
    const rebound = await call(s.controlUrl, path, { method: 'POST', host: `evil.example:${port}` })
    expect(rebound.status).toBe(404)
    const local = await call(s.controlUrl, path, { method: 'POST', host: `localhost:${port}` })
    expect(local.status).toBe(200)
    expect(isLocalHost('[::1]:8080')).toBe(true)
    expect(isLocalHost('127.0.0.1')).toBe(true)
    expect(isLocalHost('callcenter.example')).toBe(false)
    expect(isLocalHost(undefined)).toBe(false)
  })

  it('can be switched off (a packaged build): no control port, no control path', async () => {
    const s = await serve('off')
    expect(() => s.controlUrl).toThrow(/off/)
    expect((await call(s.url, '/__sandbox/reset', { method: 'POST' })).status).toBe(200)
    // that was an ordinary request to the double, not a control call
    expect(handled).toBe(1)
    const sb = await startSandbox({ seed: 1, today: '2026-11-22', control: 'off' })
    try {
      expect(sb.roots).toEqual({})
      expect(sb.profile.weixin.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/estate$/)
    } finally {
      await sb.close()
    }
  })

  it('the roots a running sandbox prints carry the token', async () => {
    const sb = await startSandbox({ seed: 1, today: '2026-11-22' })
    try {
      const root = sb.roots.weixin
      expect(root).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/[0-9a-f]{32}$/)
      expect((await call(root, '/__sandbox/state')).status).toBe(200)
      const bare = root.replace(/\/[0-9a-f]{32}$/, '')
      expect((await call(bare, '/__sandbox/state')).status).toBe(404)
    } finally {
      await sb.close()
    }
  })
})
