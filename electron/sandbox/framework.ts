import { timingSafeEqual } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { isLocalHost, newControlToken, type ControlAccess } from './control-access'

export type { ControlAccess } from './control-access'

/**
 * A small HTTP server shell shared by every sandbox double: request parsing, the fault injector
 * and the request log behind the control API under /__sandbox/.
 */

export interface SandboxRequest {
  method: string
  path: string
  query: URLSearchParams
  headers: http.IncomingHttpHeaders
  rawBody: string
  /** the body parsed as JSON, or undefined when it is empty or not JSON */
  json: unknown
}

export interface SandboxResponse {
  status: number
  /** an object is sent as JSON; a string as it is */
  body: unknown
  contentType?: string
  /** extra facts for the request log (decoded command, business outcome, …) */
  note?: Record<string, unknown>
}

export const faultModes = [
  'none',
  'drop',
  'http500',
  'html',
  'truncated',
  'tamper',
  'offline',
] as const
export type FaultMode = (typeof faultModes)[number]

export interface FaultSpec {
  /**
   * none: only the latency. drop: processed, headers sent, then the connection is cut before
   * the body (the answer is lost).
   * http500 / html: refused with a 500 / an HTML page, not processed. truncated: processed, half
   * the body sent. tamper: processed, the response altered (Data Center: a bad signature).
   * offline: the port stops listening (connection refused) until the fault is cleared; the
   * control API stays reachable on the server's separate control port.
   */
  mode: FaultMode
  latencyMs?: number
  /** how many matching requests it applies to; absent = until cleared */
  count?: number
  /** only requests whose key (weixin action, Data Center cmd, path) equals this */
  match?: string
}

export interface SandboxRecord {
  seq: number
  at: string
  method: string
  path: string
  key: string
  query: Record<string, string>
  headers: Record<string, string>
  body: unknown
  fault: FaultMode
  /** whether the server acted on the request (state changed, record kept) */
  processed: boolean
  status: number | null
  note?: Record<string, unknown>
}

export interface SandboxServerDef {
  name: string
  /** the key that fault matching and the record use */
  keyOf(req: SandboxRequest): string
  handle(req: SandboxRequest): SandboxResponse | Promise<SandboxResponse>
  /** how the tamper fault alters a processed response; by default the JSON loses its shape */
  tamper?(res: SandboxResponse, req: SandboxRequest): SandboxResponse
  /** back to the seeded state */
  reset(): void
  /** the server's business state, for tests (GET /__sandbox/state) */
  state(): unknown
}

interface ActiveFault extends FaultSpec {
  remaining: number
}

const HTML_ERROR_PAGE =
  '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>' +
  '<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>'

const RECORD_LIMIT = 50_000

const OFFLINE_WHOLE_SERVER =
  'offline applies to the whole server until the faults are cleared: count and match do not apply'

function listenOn(server: http.Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
}

export class SandboxServer {
  readonly def: SandboxServerDef
  readonly control: ControlAccess
  private readonly server: http.Server
  /** always listening, so a test can bring an offline server back over HTTP */
  private readonly controlServer: http.Server
  private faults: ActiveFault[] = []
  private baseLatencyMs = 0
  private records: SandboxRecord[] = []
  private seq = 0
  private host = '127.0.0.1'
  private port = 0
  private offline = false
  private transition: Promise<void> = Promise.resolve()

  constructor(def: SandboxServerDef, control: ControlAccess = { token: newControlToken() }) {
    this.def = def
    this.control = control
    this.server = http.createServer((req, res) => {
      void this.onRequest(req, res)
    })
    this.server.keepAliveTimeout = 5_000
    this.controlServer = http.createServer((req, res) => {
      void this.onControlRequest(req, res)
    })
  }

  get name(): string {
    return this.def.name
  }

  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    this.host = host
    await listenOn(this.server, port, host)
    this.port = (this.server.address() as AddressInfo).port
    if (this.control !== 'off') await listenOn(this.controlServer, 0, host)
    return this.url
  }

  /** where clients connect; stable across offline periods */
  get url(): string {
    if (this.port === 0) throw new Error(`sandbox ${this.def.name} is not listening`)
    return `http://${this.host}:${this.port}`
  }

  /** the control API's own port and token, reachable even while the server is offline */
  get controlUrl(): string {
    if (this.control === 'off') throw new Error(`sandbox ${this.def.name}: control API is off`)
    const addr = this.controlServer.address() as AddressInfo | null
    if (!addr) throw new Error(`sandbox ${this.def.name} is not listening`)
    return `http://${this.host}:${addr.port}/${this.control.token}`
  }

  /** the control API's path prefix on the server's own port: `${controlPath}/__sandbox/...` */
  get controlPath(): string {
    if (this.control === 'off') throw new Error(`sandbox ${this.def.name}: control API is off`)
    return `/${this.control.token}`
  }

  /** the control path without its token prefix, or null when this request may not control */
  private controlTarget(req: http.IncomingMessage, pathname: string): string | null {
    if (this.control === 'off') return null
    const prefix = `/${this.control.token}/__sandbox/`
    const given = Buffer.from(pathname.slice(0, prefix.length))
    if (given.length !== prefix.length || !timingSafeEqual(given, Buffer.from(prefix))) {
      return null
    }
    if (!isLocalHost(req.headers.host)) return null
    return pathname.slice(prefix.length)
  }

  get isOffline(): boolean {
    return this.offline
  }

  async close(): Promise<void> {
    await this.transition
    for (const server of [this.server, this.controlServer]) {
      server.closeAllConnections()
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }

  /**
   * Offline closes the listening socket, so clients get "connection refused" and know their
   * request never arrived (as when the network is down). Going online listens on the same port.
   */
  setOffline(offline: boolean): Promise<void> {
    this.transition = this.transition.then(async () => {
      if (offline === this.offline) return
      this.offline = offline
      if (offline) {
        const closed = new Promise<void>((resolve) => this.server.close(() => resolve()))
        this.server.closeAllConnections()
        await closed
      } else {
        await listenOn(this.server, this.port, this.host)
      }
    })
    return this.transition
  }

  // --- control, in process (tests) and over HTTP (/__sandbox/) ---

  addFault(spec: FaultSpec): void {
    if (spec.mode === 'offline') {
      if (spec.count !== undefined || spec.match !== undefined) {
        throw new Error(OFFLINE_WHOLE_SERVER)
      }
      void this.setOffline(true)
      return
    }
    if (spec.mode === 'none' && spec.count === undefined && spec.match === undefined) {
      this.baseLatencyMs = spec.latencyMs ?? 0
      return
    }
    this.faults.push({ ...spec, remaining: spec.count ?? Number.POSITIVE_INFINITY })
  }

  /** clears every fault and the latency, and brings an offline server back */
  clearFaults(): Promise<void> {
    this.faults = []
    this.baseLatencyMs = 0
    return this.setOffline(false)
  }

  getRecords(): SandboxRecord[] {
    return this.records
  }

  clearRecords(): void {
    this.records = []
  }

  reset(): Promise<void> {
    this.def.reset()
    this.clearRecords()
    return this.clearFaults()
  }

  private takeFault(key: string): ActiveFault | undefined {
    const fault = this.faults.find(
      (f) => f.remaining > 0 && (f.match === undefined || f.match === key),
    )
    if (!fault) return undefined
    fault.remaining -= 1
    if (fault.remaining <= 0) this.faults = this.faults.filter((f) => f !== fault)
    return fault
  }

  private async onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    if (this.controlTarget(req, url.pathname) !== null) {
      await this.onControlRequest(req, res)
      return
    }
    const rawBody = await readBody(req)
    const sreq: SandboxRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      rawBody,
      json: tryJson(rawBody),
    }
    const key = this.def.keyOf(sreq)
    const fault = this.takeFault(key)
    const mode: FaultMode = fault?.mode ?? 'none'
    const latency = this.baseLatencyMs + (fault?.latencyMs ?? 0)
    if (latency > 0) await sleep(latency)

    const record: SandboxRecord = {
      seq: ++this.seq,
      at: new Date().toISOString(),
      method: sreq.method,
      path: sreq.path,
      key,
      query: Object.fromEntries(sreq.query),
      headers: pickHeaders(req.headers),
      body: sreq.json ?? (rawBody === '' ? undefined : rawBody),
      fault: mode,
      processed: false,
      status: null,
    }
    if (this.records.length >= RECORD_LIMIT) this.records.shift()
    this.records.push(record)

    if (mode === 'http500') {
      record.status = 500
      send(res, 500, 'text/plain; charset=utf-8', 'Internal Server Error')
      return
    }
    if (mode === 'html') {
      record.status = 200
      send(res, 200, 'text/html; charset=utf-8', HTML_ERROR_PAGE)
      return
    }

    let out: SandboxResponse
    try {
      out = await this.def.handle(sreq)
    } catch (e) {
      record.status = 500
      record.note = { error: e instanceof Error ? e.message : String(e) }
      send(res, 500, 'text/plain; charset=utf-8', 'sandbox handler failed')
      return
    }
    record.processed = true
    if (out.note) record.note = out.note

    if (mode === 'drop') {
      // The answer is lost in transit: headers go out, the body never arrives. (A reset before
      // any byte would look like a stale keep-alive socket, which clients may rightly retry.)
      const text = typeof out.body === 'string' ? out.body : JSON.stringify(out.body)
      res.writeHead(out.status, {
        'content-type': out.contentType ?? 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(text),
      })
      res.flushHeaders()
      setTimeout(() => req.socket.destroy(), 5)
      return
    }
    if (mode === 'tamper') out = (this.def.tamper ?? defaultTamper)(out, sreq)
    let text = typeof out.body === 'string' ? out.body : JSON.stringify(out.body)
    if (mode === 'truncated') text = text.slice(0, Math.max(1, Math.floor(text.length / 2)))
    record.status = out.status
    send(res, out.status, out.contentType ?? 'application/json; charset=utf-8', text)
  }

  private async onControlRequest(
    req: http.IncomingMessage,
    res: http.ServerResponse,
  ): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const what = this.controlTarget(req, url.pathname)
    if (what === null) {
      req.resume()
      send(
        res,
        404,
        'application/json; charset=utf-8',
        JSON.stringify({ error: 'control port: use /<token>/__sandbox/ from this machine' }),
      )
      return
    }
    const raw = await readBody(req)
    await this.onControl(req.method ?? 'GET', what, raw, res)
  }

  private async onControl(
    method: string,
    what: string,
    raw: string,
    res: http.ServerResponse,
  ): Promise<void> {
    const json = tryJson(raw)
    const ok = (body: unknown): void =>
      send(res, 200, 'application/json; charset=utf-8', JSON.stringify(body))
    const bad = (message: string): void =>
      send(res, 400, 'application/json; charset=utf-8', JSON.stringify({ error: message }))
    if (what === 'records' && method === 'GET') return ok({ records: this.records })
    if (what === 'records' && method === 'DELETE') {
      this.clearRecords()
      return ok({ ok: true })
    }
    if (what === 'state' && method === 'GET') return ok(this.def.state())
    if (what === 'reset' && method === 'POST') {
      await this.reset()
      return ok({ ok: true })
    }
    if (what === 'faults' && method === 'GET') {
      return ok({ latencyMs: this.baseLatencyMs, offline: this.offline, faults: this.faults })
    }
    if (what === 'faults' && method === 'DELETE') {
      await this.clearFaults()
      return ok({ ok: true })
    }
    if (what === 'faults' && method === 'POST') {
      const spec = parseFaultSpec(json)
      if (typeof spec === 'string') return bad(spec)
      if (spec.mode === 'offline') {
        // answer first: going offline cuts this very connection when it comes in on the data port
        res.once('finish', () => void this.setOffline(true))
        return ok({ ok: true, controlUrl: this.controlUrl })
      }
      this.addFault(spec)
      return ok({ ok: true })
    }
    bad(`unknown control request ${method} /__sandbox/${what}`)
  }
}

export function parseFaultSpec(value: unknown): FaultSpec | string {
  if (typeof value !== 'object' || value === null) return 'body must be a JSON object'
  const v = value as Record<string, unknown>
  const mode = v.mode ?? 'none'
  if (typeof mode !== 'string' || !(faultModes as readonly string[]).includes(mode)) {
    return `mode must be one of ${faultModes.join(', ')}`
  }
  const spec: FaultSpec = { mode: mode as FaultMode }
  if (v.latencyMs !== undefined) {
    if (typeof v.latencyMs !== 'number' || v.latencyMs < 0 || v.latencyMs > 120_000) {
      return 'latencyMs must be a number from 0 to 120000'
    }
    spec.latencyMs = v.latencyMs
  }
  if (v.count !== undefined) {
    if (typeof v.count !== 'number' || !Number.isInteger(v.count) || v.count < 1) {
      return 'count must be a positive integer'
    }
    spec.count = v.count
  }
  if (v.match !== undefined) {
    if (typeof v.match !== 'string') return 'match must be a string'
    spec.match = v.match
  }
  if (spec.mode === 'offline' && (spec.count !== undefined || spec.match !== undefined)) {
    return OFFLINE_WHOLE_SERVER
  }
  return spec
}

function defaultTamper(res: SandboxResponse): SandboxResponse {
  return { ...res, body: { tampered: true, payload: 'unexpected' } }
}

function send(res: http.ServerResponse, status: number, type: string, text: string): void {
  const body = Buffer.from(text, 'utf8')
  res.writeHead(status, { 'content-type': type, 'content-length': body.length })
  res.end(body)
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

function tryJson(text: string): unknown {
  if (text.trim() === '') return undefined
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

const RECORDED_HEADERS = ['host', 'content-type', 'user_id', 'user-agent']

function pickHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {}
  for (const name of RECORDED_HEADERS) {
    const v = headers[name]
    if (typeof v === 'string') out[name] = v
  }
  return out
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

export function json(body: unknown, note?: Record<string, unknown>): SandboxResponse {
  return note ? { status: 200, body, note } : { status: 200, body }
}
