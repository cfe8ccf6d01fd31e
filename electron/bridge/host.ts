import { randomBytes, timingSafeEqual } from 'node:crypto'
import { readFile, realpath, stat } from 'node:fs/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { isAbsolute, relative, resolve, sep } from 'node:path'
import { WebSocket, WebSocketServer, type RawData } from 'ws'
import type { AppErrorInfo, IpcResult } from '../../shared/ipc/errors'
import type { Dispatcher } from '../ipc/dispatcher'
import type { EventSink } from '../ipc/register'
import { mimeTypeOf } from '../services/app-protocol/app-protocol'
import type { Logger } from '../services/ports'
import { buildBridgeClient } from './build-client'

/**
 * The development-only web bridge: serves the built renderer to an ordinary browser on
 * 127.0.0.1 and carries the preload's calls over a WebSocket to the same dispatcher main uses.
 * The socket is the whole trust boundary, so it demands the per-launch token and the host's own
 * Origin before a single message reaches the dispatcher.
 */

export const BRIDGE_PREFIX = '/__bridge/'
export const BRIDGE_CLIENT_PATH = '/__bridge/client.js'
export const BRIDGE_WS_PATH = '/__bridge/ws'
/** the query parameter of the printed URL that carries the token to the page */
export const BRIDGE_TOKEN_PARAM = 'bridge'
/** importProfile's text is capped at 64 KiB; a frame far above that is not a real call */
const MAX_MESSAGE_BYTES = 1024 * 1024

export interface BridgeHostOptions {
  dispatcher: Dispatcher
  /** the built renderer (out/renderer) */
  rendererDir: string
  /** 0 (the default) picks a free port */
  port?: number
  log?: Logger
  /** the softphone's WebSocket origin now (from the settings), added to the page's connect-src */
  connectOrigin?: () => string | null
}

export interface BridgeHost {
  /** the URL to open: it carries the token */
  url: string
  /** http://127.0.0.1:PORT, the only Origin the socket accepts */
  origin: string
  /** sends (channel, payload) to every connected page */
  emit: EventSink
  close(): Promise<void>
}

/** Used when index.html has no CSP meta: the renderer's own policy at the time of writing. */
const FALLBACK_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self' ws://127.0.0.1:*; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

const silentLog: Logger = { info() {}, warn() {}, error() {} }

export async function startBridgeHost(opts: BridgeHostOptions): Promise<BridgeHost> {
  const log = opts.log ?? silentLog
  const rendererRoot = await realpath(resolve(opts.rendererDir))
  const indexPath = resolve(rendererRoot, 'index.html')
  // Fail at start, not at the first page load, when the renderer has not been built.
  const csp = headerCsp(extractCsp(await readFile(indexPath, 'utf8')) ?? FALLBACK_CSP)
  const clientScript = await buildBridgeClient()
  const token = randomBytes(32).toString('hex')
  const tokenBytes = Buffer.from(token)

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES })
  const sockets = new Set<WebSocket>()
  const rawConnections = new Set<Socket>()
  let origin = ''
  let hostHeader = ''

  const server = createServer((req, res) => {
    handleHttp(req, res).catch((e: unknown) => {
      log.error('bridge: request failed', e)
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'internal error')
      else res.destroy()
    })
  })
  server.on('connection', (socket) => {
    rawConnections.add(socket)
    socket.once('close', () => rawConnections.delete(socket))
  })
  server.on('clientError', (_e, socket) => socket.destroy())

  function baseHeaders(contentType: string, policy: string): Record<string, string> {
    return {
      'Content-Type': contentType,
      'Content-Security-Policy': policy,
      'X-Content-Type-Options': 'nosniff',
      // the first URL carries the token: never let it leave in a Referer
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
      // no Cross-Origin-Opener-Policy: see electron/main/hardening.ts securityHeaders
      'Cross-Origin-Resource-Policy': 'same-origin',
    }
  }

  function send(
    res: ServerResponse,
    status: number,
    contentType: string,
    body: string | Buffer,
    policy = csp,
    immutable = false,
  ) {
    const extra = opts.connectOrigin?.() ?? null
    if (extra !== null) policy = withConnectSource(policy, extra)
    const data = typeof body === 'string' ? Buffer.from(body) : body
    const headers: Record<string, string> = {
      ...baseHeaders(contentType, policy),
      'Content-Length': String(data.length),
    }
    // a content-hashed build file never changes under its name: the browser keeps it and its
    // compiled code, so the next load of the page parses nothing again
    if (immutable) headers['Cache-Control'] = 'public, max-age=31536000, immutable'
    res.writeHead(status, headers)
    res.end(res.req.method === 'HEAD' ? undefined : data)
  }

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // DNS rebinding: a foreign name that resolves to 127.0.0.1 gets nothing
    if (req.headers.host !== hostHeader) return send(res, 403, 'text/plain', 'forbidden host')
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD')
      return send(res, 405, 'text/plain', 'method not allowed')
    }
    const pathname = (req.url ?? '/').split('?', 1)[0] ?? '/'
    if (pathname === BRIDGE_CLIENT_PATH) {
      return send(res, 200, mimeTypeOf('client.js'), clientScript)
    }
    if (pathname.startsWith(BRIDGE_PREFIX)) return send(res, 404, 'text/plain', 'not found')
    if (pathname === '/' || pathname === '/index.html') {
      // read per request, so a rebuild shows at the next reload with its own policy
      const html = await readFile(indexPath, 'utf8')
      const page = injectClientScript(html)
      const pageCsp = extractCsp(html)
      return send(res, 200, mimeTypeOf('index.html'), page, pageCsp ? headerCsp(pageCsp) : csp)
    }
    const file = await resolveStatic(rendererRoot, pathname)
    if (!file) return send(res, 404, 'text/plain', 'not found')
    const type = mimeTypeOf(file)
    return send(res, 200, type, await readFile(file), csp, isHashedAsset(pathname))
  }

  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    socket.on('error', () => socket.destroy())
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    if (url.pathname !== BRIDGE_WS_PATH) return refuse(socket, 404, 'Not Found')
    if (req.headers.host !== hostHeader || req.headers.origin !== origin) {
      log.warn('bridge: refused a socket from a foreign origin', {
        origin: req.headers.origin ?? null,
      })
      return refuse(socket, 403, 'Forbidden')
    }
    const given = Buffer.from(url.searchParams.get('token') ?? '')
    if (given.length !== tokenBytes.length || !timingSafeEqual(given, tokenBytes)) {
      log.warn('bridge: refused a socket without the launch token')
      return refuse(socket, 401, 'Unauthorized')
    }
    const senderUrl = origin + pagePath(url.searchParams.get('page'))
    wss.handleUpgrade(req, socket, head, (ws) => accept(ws, senderUrl))
  })

  function accept(ws: WebSocket, senderUrl: string): void {
    sockets.add(ws)
    ws.on('close', () => sockets.delete(ws))
    ws.on('error', (e) => log.warn('bridge: socket error', { message: e.message }))
    ws.on('message', (data: RawData, isBinary: boolean) => {
      void onMessage(ws, data, isBinary, senderUrl)
    })
  }

  async function onMessage(ws: WebSocket, data: RawData, isBinary: boolean, senderUrl: string) {
    const request = isBinary ? undefined : parseRequest(data)
    // Without an id no answer can be matched to a call: drop it.
    if (!request) return log.warn('bridge: dropped a malformed message')
    let result: IpcResult<unknown>
    if ('error' in request) {
      result = { ok: false, error: request.error }
    } else {
      try {
        result = await opts.dispatcher.dispatch(request.channel, request.args, { senderUrl })
      } catch (e) {
        // dispatch never throws by contract; the bridge stays up even if it one day does
        log.error('bridge: dispatcher threw', e)
        result = { ok: false, error: { kind: 'internal', message: '内部错误，请稍后重试' } }
      }
    }
    if (ws.readyState !== WebSocket.OPEN) return
    try {
      ws.send(JSON.stringify({ id: request.id, result }))
    } catch (e) {
      log.error('bridge: could not send an answer', e)
    }
  }

  const emit: EventSink = (channel, payload) => {
    let text: string
    try {
      text = JSON.stringify({ event: channel, payload })
    } catch (e) {
      return log.error(`bridge: event ${channel} is not serialisable`, e)
    }
    for (const ws of sockets) if (ws.readyState === WebSocket.OPEN) ws.send(text)
  }

  await new Promise<void>((ok, fail) => {
    server.once('error', fail)
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', fail)
      ok()
    })
  })
  const port = (server.address() as AddressInfo).port
  hostHeader = `127.0.0.1:${port}`
  origin = `http://${hostHeader}`

  let closing: Promise<void> | undefined
  async function close(): Promise<void> {
    closing ??= (async () => {
      for (const ws of sockets) ws.terminate()
      sockets.clear()
      await new Promise<void>((ok) => wss.close(() => ok()))
      const closed = new Promise<void>((ok) => server.close(() => ok()))
      // keep-alive and half-upgraded sockets would hold server.close() open
      for (const socket of rawConnections) socket.destroy()
      server.closeAllConnections()
      await closed
    })()
    return closing
  }

  return { url: `${origin}/?${BRIDGE_TOKEN_PARAM}=${token}`, origin, emit, close }
}

type ParsedRequest =
  | { id: number | string; channel: string; args: unknown }
  | { id: number | string; error: AppErrorInfo }

/** {id, channel, args}; a bad channel or args becomes a typed answer, a bad id undefined */
export function parseRequest(data: RawData): ParsedRequest | undefined {
  let message: unknown
  try {
    message = JSON.parse(rawText(data))
  } catch {
    return undefined
  }
  if (typeof message !== 'object' || message === null || Array.isArray(message)) return undefined
  const { id, channel, args } = message as Record<string, unknown>
  const idOk =
    (typeof id === 'number' && Number.isSafeInteger(id)) ||
    (typeof id === 'string' && id.length > 0 && id.length <= 64)
  if (!idOk) return undefined
  if (typeof channel !== 'string' || !Array.isArray(args)) {
    return { id, error: { kind: 'invalid-args', message: '请求格式无效：需要 channel 与 args' } }
  }
  return { id, channel, args }
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8')
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8')
  return data.toString('utf8')
}

/** The page path the client reports; the origin part of senderUrl is the verified one. */
function pagePath(raw: string | null): string {
  if (!raw || !raw.startsWith('/') || raw.startsWith('//') || raw.length > 512) return '/'
  return /^[A-Za-z0-9\-._~!$&'()*+,;=:@/%]*$/.test(raw) ? raw : '/'
}

function refuse(socket: Socket, status: number, reason: string): void {
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain\r\n` +
      `Content-Length: ${reason.length}\r\n\r\n${reason}`,
    () => socket.destroy(),
  )
}

/**
 * The header form of the page's policy: a meta tag cannot carry frame-ancestors (browsers ignore
 * it there), so the header adds it, and no other site can frame the bridge page.
 */
export function headerCsp(policy: string): string {
  return /(^|;)\s*frame-ancestors\b/.test(policy) ? policy : `${policy}; frame-ancestors 'none'`
}

/**
 * The policy with one more connect-src source (the softphone's PBX). A policy without
 * connect-src falls back to default-src for connections, so that is copied first.
 */
export function withConnectSource(policy: string, source: string): string {
  const parts = policy.split(';').map((p) => p.trim())
  const i = parts.findIndex((p) => /^connect-src\b/.test(p))
  if (i >= 0) {
    if (!parts[i]!.split(/\s+/).includes(source)) parts[i] = `${parts[i]} ${source}`
  } else {
    const fallback = parts.find((p) => /^default-src\b/.test(p))?.slice('default-src'.length)
    parts.push(`connect-src${fallback ?? " 'self'"} ${source}`)
  }
  return parts.filter((p) => p !== '').join('; ')
}

/** A build file whose name carries its content hash (Vite's assets/<name>-<hash>.<ext>). */
export function isHashedAsset(pathname: string): boolean {
  return /^\/assets\/[^/]+-[A-Za-z0-9_-]{8}\.(?:js|css|woff2?|png|svg)$/.test(pathname)
}

/** The renderer's CSP from its meta tag, so the header never drifts from the built page. */
export function extractCsp(html: string): string | undefined {
  for (const tag of html.match(/<meta\b[^>]*>/gi) ?? []) {
    if (!/http-equiv\s*=\s*["']?content-security-policy["']?/i.test(tag)) continue
    const content = /\bcontent\s*=\s*(?:"([^"]*)"|'([^']*)')/i.exec(tag)
    const value = content?.[1] ?? content?.[2]
    if (value) return value.replace(/\s+/g, ' ').trim()
  }
  return undefined
}

/**
 * One deferred classic script before the app's first module script: deferred scripts and module
 * scripts run in document order once the page is parsed, so the global exists before the app's
 * code runs. Deferred, it does not hold the parser: the app's files are fetched alongside it
 * (a blocking one put them off until it had run, about 60 ms at a cold start).
 */
export function injectClientScript(html: string): string {
  const tag = `<script defer src="${BRIDGE_CLIENT_PATH}"></script>`
  const moduleScript = /<script\b[^>]*\btype\s*=\s*["']?module["']?[^>]*>/i.exec(html)
  if (moduleScript) {
    return `${html.slice(0, moduleScript.index)}${tag}\n    ${html.slice(moduleScript.index)}`
  }
  const headEnd = html.search(/<\/head>/i)
  if (headEnd >= 0) return `${html.slice(0, headEnd)}${tag}\n${html.slice(headEnd)}`
  throw new Error('bridge: index.html has neither a module script nor </head>')
}

/** A file strictly inside root (symlinks resolved), or undefined: no traversal, no dotfiles. */
async function resolveStatic(root: string, pathname: string): Promise<string | undefined> {
  let decoded: string
  try {
    decoded = decodeURIComponent(pathname)
  } catch {
    return undefined
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined
  const segments = decoded.split('/').filter((s) => s !== '')
  if (segments.some((s) => s.startsWith('.'))) return undefined
  const candidate = resolve(root, ...segments)
  if (!isInside(root, candidate)) return undefined
  try {
    const real = await realpath(candidate)
    if (!isInside(root, real)) return undefined
    return (await stat(real)).isFile() ? real : undefined
  } catch {
    return undefined
  }
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path)
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel)
}
