import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { RemoteError } from '../../../electron/core/errors'
import { nodeHttpTransport, parseJsonResponse } from '../../../electron/core/http/transport'

let server: http.Server
let base = ''
let seenHost = ''

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seenHost = req.headers.host ?? ''
    if (req.url === '/slow') {
      setTimeout(() => res.end('{}'), 500)
      return
    }
    res.setHeader('content-type', 'application/json')
    res.end(JSON.stringify({ method: req.method }))
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise<void>((r) => server.close(() => r()))
})

async function failure(p: Promise<unknown>): Promise<RemoteError> {
  try {
    await p
  } catch (e) {
    expect(e).toBeInstanceOf(RemoteError)
    return e as RemoteError
  }
  throw new Error('expected a failure')
}

describe('nodeHttpTransport', () => {
  it('sends a custom Host header (the CDP gateway needs one)', async () => {
    const res = await nodeHttpTransport('cdp', {
      method: 'GET',
      url: `${base}/`,
      headers: { host: 'gateway.example.invalid' },
    })
    expect(res.status).toBe(200)
    expect(seenHost).toBe('gateway.example.invalid')
  })

  it('a refused connection is a network error that cannot have been delivered', async () => {
    const closed = http.createServer()
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r))
    const port = (closed.address() as AddressInfo).port
    await new Promise<void>((r) => closed.close(() => r()))
    const e = await failure(
      nodeHttpTransport('weixin', { method: 'POST', url: `http://127.0.0.1:${port}/`, body: '{}' }),
    )
    expect(e.toJSON()).toMatchObject({ kind: 'network', code: 'refused', maybeDelivered: false })
    expect(e.message).toContain('无法连接服务器')
  })

  it('times out after the deadline, telling that the request was sent', async () => {
    const e = await failure(
      nodeHttpTransport('weixin', { method: 'GET', url: `${base}/slow`, timeoutMs: 100 }),
    )
    expect(e).toMatchObject({ kind: 'network', code: 'timeout', maybeDelivered: true })
  })

  it('honours an abort signal, before and during the request', async () => {
    const pre = new AbortController()
    pre.abort()
    const e1 = await failure(
      nodeHttpTransport('weixin', { method: 'GET', url: `${base}/`, signal: pre.signal }),
    )
    expect(e1).toMatchObject({ kind: 'network', code: 'aborted', maybeDelivered: false })
    const during = new AbortController()
    setTimeout(() => during.abort(), 50)
    const e2 = await failure(
      nodeHttpTransport('weixin', { method: 'GET', url: `${base}/slow`, signal: during.signal }),
    )
    expect(e2).toMatchObject({ kind: 'network', code: 'aborted' })
  })
})

describe('parseJsonResponse', () => {
  const schema = z.object({ a: z.number() })
  const res = (status: number, text: string) => ({ status, headers: {}, text })

  it('returns validated data', () => {
    expect(parseJsonResponse('cdp', res(200, '{"a":1}'), schema)).toEqual({ a: 1 })
  })

  it('maps status, non-JSON, HTML and shape failures to typed errors', () => {
    const kinds = [
      [res(502, '{"a":1}'), 'http'],
      [res(200, '{"a":'), 'not-json'],
      [res(200, '<html><body>502</body></html>'), 'not-json'],
      [res(200, '{"a":"x"}'), 'shape'],
    ] as const
    for (const [r, kind] of kinds) {
      try {
        parseJsonResponse('cdp', r, schema)
        throw new Error('expected a failure')
      } catch (e) {
        expect(e).toBeInstanceOf(RemoteError)
        expect((e as RemoteError).kind).toBe(kind)
      }
    }
    try {
      parseJsonResponse('cdp', res(200, '<!DOCTYPE html><p>x</p>'), schema)
    } catch (e) {
      expect((e as RemoteError).message).toContain('网页')
    }
    try {
      parseJsonResponse('cdp', res(200, '{"a":"x"}'), schema)
    } catch (e) {
      expect((e as RemoteError).field).toBe('a')
    }
  })
})

describe('connection reuse', () => {
  let srv: http.Server
  let url = ''
  const ports: number[] = []
  let perSocket = new WeakMap<object, number>()
  let resetSecondOnSocket = false

  beforeAll(async () => {
    srv = http.createServer((req, res) => {
      ports.push(req.socket.remotePort ?? 0)
      const n = (perSocket.get(req.socket) ?? 0) + 1
      perSocket.set(req.socket, n)
      // a server that closed an idle keep-alive connection: the reused socket dies unanswered
      if (resetSecondOnSocket && n === 2) {
        req.socket.destroy()
        return
      }
      res.end('{"ok":true}')
    })
    srv.keepAliveTimeout = 60_000
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r))
    url = `http://127.0.0.1:${(srv.address() as AddressInfo).port}/`
  })

  afterAll(async () => {
    srv.closeAllConnections()
    await new Promise<void>((r) => srv.close(() => r()))
  })

  it('a write never goes out on a pooled socket', async () => {
    ports.length = 0
    for (let i = 0; i < 3; i++) {
      await nodeHttpTransport('weixin', { method: 'POST', url, body: '{}' })
    }
    expect(new Set(ports).size).toBe(3)
  })

  it('a read retries once when a reused idle socket was closed under it', async () => {
    perSocket = new WeakMap()
    resetSecondOnSocket = true
    try {
      const first = await nodeHttpTransport('cdp', { method: 'GET', url })
      const second = await nodeHttpTransport('cdp', { method: 'GET', url })
      expect(first.status).toBe(200)
      expect(second.status).toBe(200)
    } finally {
      resetSecondOnSocket = false
    }
  })

  it('a non-idempotent request on the same server is not retried', async () => {
    perSocket = new WeakMap()
    resetSecondOnSocket = true
    ports.length = 0
    try {
      // even flagged as idempotent=false over GET, it gets its own connection: nothing to retry
      const r = await nodeHttpTransport('cdp', { method: 'GET', url, idempotent: false })
      expect(r.status).toBe(200)
    } finally {
      resetSecondOnSocket = false
    }
  })
})
