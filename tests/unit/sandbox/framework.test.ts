import http from 'node:http'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { json, parseFaultSpec, SandboxServer } from '../../../electron/sandbox/framework'

let handled = 0
let server: SandboxServer

function request(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; text: string; type: string }> {
  return requestTo(server.url, method, path, body)
}

function requestTo(
  base: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; text: string; type: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${path}`, { method, agent: false }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          text: Buffer.concat(chunks).toString('utf8'),
          type: String(res.headers['content-type']),
        }),
      )
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(body === undefined ? undefined : JSON.stringify(body))
  })
}

beforeEach(async () => {
  handled = 0
  server = new SandboxServer({
    name: 'echo',
    keyOf: (req) => req.query.get('k') ?? req.path,
    handle: (req) => {
      handled++
      return json({ echo: req.json ?? null, n: handled }, { n: handled })
    },
    reset: () => {
      handled = 0
    },
    state: () => ({ handled }),
  })
  await server.listen(0)
})

afterEach(async () => {
  await server.close()
})

describe('sandbox framework', () => {
  it('serves JSON and records every request with its note', async () => {
    const res = await request('POST', '/x?k=a', { hello: '世界' })
    expect(res.status).toBe(200)
    expect(JSON.parse(res.text)).toEqual({ echo: { hello: '世界' }, n: 1 })
    const records = server.getRecords()
    expect(records).toHaveLength(1)
    expect(records[0]).toMatchObject({ key: 'a', processed: true, status: 200, note: { n: 1 } })
  })

  it('applies a counted, matched fault only to matching requests', async () => {
    server.addFault({ mode: 'http500', count: 1, match: 'b' })
    expect((await request('GET', '/?k=a')).status).toBe(200)
    expect((await request('GET', '/?k=b')).status).toBe(500)
    expect((await request('GET', '/?k=b')).status).toBe(200)
    expect(server.getRecords().map((r) => r.processed)).toEqual([true, false, true])
  })

  it('html answers 200 with a page and does not process', async () => {
    server.addFault({ mode: 'html', count: 1 })
    const res = await request('GET', '/')
    expect(res.type).toContain('text/html')
    expect(res.text).toContain('<html>')
    expect(handled).toBe(0)
  })

  it('truncated processes and cuts the body', async () => {
    server.addFault({ mode: 'truncated', count: 1 })
    const res = await request('POST', '/', { a: 1 })
    expect(() => JSON.parse(res.text) as unknown).toThrow()
    expect(handled).toBe(1)
  })

  it('drop processes the request and loses the answer', async () => {
    server.addFault({ mode: 'drop', count: 1 })
    await expect(request('POST', '/', { a: 1 })).rejects.toThrow()
    expect(handled).toBe(1)
    expect(server.getRecords()[0]?.processed).toBe(true)
  })

  it('offline refuses connections (never delivered); the control port still answers', async () => {
    const ctl = (method: string, path: string, body?: unknown) =>
      requestTo(server.controlUrl, method, path, body)
    const res = await request('POST', `${server.controlPath}/__sandbox/faults`, { mode: 'offline' })
    expect(JSON.parse(res.text).controlUrl).toBe(server.controlUrl)
    await new Promise((r) => setTimeout(r, 50))
    const err = await request('GET', '/').then(
      () => null,
      (e: NodeJS.ErrnoException) => e,
    )
    expect(err?.code).toBe('ECONNREFUSED')
    expect(handled).toBe(0)
    expect(server.getRecords()).toHaveLength(0)
    const faults = JSON.parse((await ctl('GET', '/__sandbox/faults')).text)
    expect(faults.offline).toBe(true)
    await ctl('DELETE', '/__sandbox/faults')
    expect((await request('GET', '/')).status).toBe(200)
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
  })

  it('offline cannot be counted or matched', () => {
    expect(() => server.addFault({ mode: 'offline', count: 1 })).toThrow(/whole server/)
    expect(parseFaultSpec({ mode: 'offline', match: 'x' })).toMatch(/whole server/)
  })

  it('latency delays the answer', async () => {
    await request('POST', `${server.controlPath}/__sandbox/faults`, {
      mode: 'none',
      latencyMs: 120,
    })
    const t = Date.now()
    await request('GET', '/')
    expect(Date.now() - t).toBeGreaterThanOrEqual(110)
  })

  it('control API: records, state, reset, and clear errors for bad specs', async () => {
    await request('GET', '/')
    expect(
      JSON.parse((await request('GET', `${server.controlPath}/__sandbox/records`)).text).records,
    ).toHaveLength(1)
    expect(
      JSON.parse((await request('GET', `${server.controlPath}/__sandbox/state`)).text),
    ).toEqual({ handled: 1 })
    await request('POST', `${server.controlPath}/__sandbox/reset`)
    expect(
      JSON.parse((await request('GET', `${server.controlPath}/__sandbox/state`)).text),
    ).toEqual({ handled: 0 })
    const bad = await request('POST', `${server.controlPath}/__sandbox/faults`, { mode: 'explode' })
    expect(bad.status).toBe(400)
    expect(bad.text).toContain('mode must be one of')
    expect((await request('GET', `${server.controlPath}/__sandbox/nope`)).status).toBe(400)
  })

  it('parseFaultSpec names the bad field', () => {
    expect(parseFaultSpec({ mode: 'drop', count: 0 })).toBe('count must be a positive integer')
    expect(parseFaultSpec({ latencyMs: -1 })).toContain('latencyMs')
    expect(parseFaultSpec({ match: 3 })).toBe('match must be a string')
    expect(parseFaultSpec(null)).toBe('body must be a JSON object')
    expect(parseFaultSpec({ mode: 'tamper', count: 2, match: 'x' })).toEqual({
      mode: 'tamper',
      count: 2,
      match: 'x',
    })
  })
})
