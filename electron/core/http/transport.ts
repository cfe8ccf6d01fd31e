import http from 'node:http'
import https from 'node:https'
import type { z } from 'zod'
import type { RemoteSystem } from '../../../shared/remote-error'
import {
  httpStatusError,
  networkError,
  notJsonError,
  shapeError,
  type NetworkCause,
} from '../errors'

export interface HttpRequest {
  method: 'GET' | 'POST'
  url: string
  headers?: Record<string, string>
  body?: string
  /** whole-exchange deadline; defaults to 15 s */
  timeoutMs?: number
  signal?: AbortSignal
  /**
   * Whether sending it twice is harmless (a read). Defaults to true for GET only. A request that
   * is not idempotent always goes out on a fresh connection: a pooled keep-alive socket that the
   * server closed while idle would fail it with a reset that looks like "maybe delivered".
   */
  idempotent?: boolean
}

export interface HttpResponse {
  status: number
  headers: http.IncomingHttpHeaders
  text: string
}

/** Everything a client needs from the network; tests and benchmarks may swap it. */
export type HttpTransport = (system: RemoteSystem, req: HttpRequest) => Promise<HttpResponse>

const DEFAULT_TIMEOUT_MS = 15_000
/** A response larger than this is not something any of these APIs sends. */
const MAX_BODY_BYTES = 32 * 1024 * 1024

const agents = {
  http: new http.Agent({ keepAlive: true, maxSockets: 16 }),
  https: new https.Agent({ keepAlive: true, maxSockets: 16 }),
}

function classify(err: NodeJS.ErrnoException): NetworkCause {
  switch (err.code) {
    case 'ECONNREFUSED':
      return 'refused'
    case 'ECONNRESET':
    case 'EPIPE':
      return 'reset'
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'dns'
    default:
      return err.message === 'socket hang up' ? 'reset' : 'other'
  }
}

/**
 * node:http rather than fetch: the CDP API needs a Host header other than the URL's host, which
 * fetch forbids, and main needs exact control of timeouts and of when a request counts as sent.
 */
export const nodeHttpTransport: HttpTransport = async (system, req) => {
  const idempotent = req.idempotent ?? req.method === 'GET'
  try {
    return await exchange(system, req, idempotent)
  } catch (e) {
    // The one retry Node's documentation recommends: a reused idle socket the server had
    // already closed. Only for reads; the server never saw the request.
    if (idempotent && e instanceof StaleSocketError) return exchange(system, req, false)
    if (e instanceof StaleSocketError) throw e.remote
    throw e
  }
}

/** a reset on a reused keep-alive socket before any response byte */
class StaleSocketError extends Error {
  constructor(readonly remote: ReturnType<typeof networkError>) {
    super(remote.message)
  }
}

function exchange(system: RemoteSystem, req: HttpRequest, pooled: boolean): Promise<HttpResponse> {
  return new Promise<HttpResponse>((resolve, reject) => {
    let url: URL
    try {
      url = new URL(req.url)
    } catch (e) {
      reject(networkError(system, 'dns', false, e))
      return
    }
    const isHttps = url.protocol === 'https:'
    const headers: Record<string, string | number> = { ...req.headers }
    const body = req.body === undefined ? undefined : Buffer.from(req.body, 'utf8')
    if (body) {
      headers['content-length'] = body.length
      headers['content-type'] ??= 'application/json; charset=utf-8'
    }
    if (req.signal?.aborted) {
      reject(networkError(system, 'aborted', false))
      return
    }
    // Once the request has been flushed the server may have acted on it; a failure after that
    // point must tell the caller it was perhaps delivered (the outbox marks it uncertain).
    let sent = false
    let responded = false
    let settled = false
    const finish = (fn: () => void): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      req.signal?.removeEventListener('abort', onAbort)
      fn()
    }
    const agent = pooled ? (isHttps ? agents.https : agents.http) : false
    const request = (isHttps ? https : http).request(
      url,
      { method: req.method, headers, agent },
      (res) => {
        responded = true
        const chunks: Buffer[] = []
        let size = 0
        res.on('data', (chunk: Buffer) => {
          size += chunk.length
          if (size > MAX_BODY_BYTES) {
            request.destroy()
            finish(() => reject(networkError(system, 'other', true)))
            return
          }
          chunks.push(chunk)
        })
        res.on('end', () =>
          finish(() =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              text: Buffer.concat(chunks).toString('utf8'),
            }),
          ),
        )
        res.on('error', (e) => finish(() => reject(networkError(system, 'reset', true, e))))
        res.on('aborted', () => finish(() => reject(networkError(system, 'reset', true))))
      },
    )
    const timer = setTimeout(() => {
      request.destroy()
      finish(() => reject(networkError(system, 'timeout', sent)))
    }, req.timeoutMs ?? DEFAULT_TIMEOUT_MS)
    const onAbort = (): void => {
      request.destroy()
      finish(() => reject(networkError(system, 'aborted', sent)))
    }
    req.signal?.addEventListener('abort', onAbort, { once: true })
    request.on('error', (e: NodeJS.ErrnoException) => {
      const cause = classify(e)
      const err = networkError(system, cause, sent && cause !== 'refused', e)
      const stale = request.reusedSocket && !responded && cause === 'reset'
      finish(() => reject(stale ? new StaleSocketError(err) : err))
    })
    request.on('finish', () => {
      sent = true
    })
    request.end(body)
  })
}

/**
 * Turns a raw response into validated data: status 200, a JSON body, and the schema's shape.
 * Each failure is the matching typed RemoteError.
 */
export function parseJsonResponse<S extends z.ZodType>(
  system: RemoteSystem,
  res: HttpResponse,
  schema: S,
): z.output<S> {
  if (res.status !== 200) throw httpStatusError(system, res.status)
  const json = parseJsonText(system, res.text)
  return validateShape(system, schema, json)
}

export function parseJsonText(system: RemoteSystem, text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    throw notJsonError(system, text.slice(0, 200))
  }
}

export function validateShape<S extends z.ZodType>(
  system: RemoteSystem,
  schema: S,
  value: unknown,
): z.output<S> {
  const result = schema.safeParse(value)
  if (result.success) return result.data
  const issue = result.error.issues[0]
  const field = issue ? issue.path.map(String).join('.') : ''
  throw shapeError(system, field, issue?.message ?? '')
}
