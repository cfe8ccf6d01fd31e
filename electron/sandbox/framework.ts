import http from 'node:http'
import type { AddressInfo } from 'node:net'

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
   * none: only the latency. drop: processed, then the connection is cut (answer lost).
   * http500 / html: refused with a 500 / an HTML page, not processed. truncated: processed, half
   * the body sent. tamper: processed, the response altered (Data Center: a bad signature).
   * offline: connections are reset before anything is read or processed.
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

export class SandboxServer {
  readonly def: SandboxServerDef
  private readonly server: http.Server
  private faults: ActiveFault[] = []
  private baseLatencyMs = 0
  private records: SandboxRecord[] = []
  private seq = 0

  constructor(def: SandboxServerDef) {
    this.def = def
    this.server = http.createServer((req, res) => {
      void this.onRequest(req, res)
    })
    this.server.keepAliveTimeout = 5_000
  }

  get name(): string {
    return this.def.name
  }

  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject)
      this.server.listen(port, host, () => {
        this.server.off('error', reject)
        resolve()
      })
    })
    return this.url
  }

  get url(): string {
    const addr = this.server.address() as AddressInfo | null
    if (!addr) throw new Error(`sandbox ${this.def.name} is not listening`)
    return `http://127.0.0.1:${addr.port}`
  }

  async close(): Promise<void> {
    this.server.closeAllConnections()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }

  // --- control, in process (tests) and over HTTP (/__sandbox/) ---

  addFault(spec: FaultSpec): void {
    if (spec.mode === 'none' && spec.count === undefined && spec.match === undefined) {
      this.baseLatencyMs = spec.latencyMs ?? 0
      return
    }
    this.faults.push({ ...spec, remaining: spec.count ?? Number.POSITIVE_INFINITY })
  }

  clearFaults(): void {
    this.faults = []
    this.baseLatencyMs = 0
  }

  setOffline(offline: boolean): void {
    this.faults = this.faults.filter((f) => f.mode !== 'offline')
    if (offline) this.addFault({ mode: 'offline' })
  }

  getRecords(): SandboxRecord[] {
    return this.records
  }

  clearRecords(): void {
    this.records = []
  }

  reset(): void {
    this.def.reset()
    this.clearFaults()
    this.clearRecords()
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
    if (url.pathname.startsWith('/__sandbox/')) {
      const raw = await readBody(req)
      this.onControl(req.method ?? 'GET', url.pathname.slice('/__sandbox/'.length), raw, res)
      return
    }
    // Offline looks to the client like a firewall reset: nothing read, nothing processed.
    const offline = this.faults.some((f) => f.mode === 'offline')
    if (offline) {
      req.socket.resetAndDestroy()
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
      req.socket.resetAndDestroy()
      return
    }
    if (mode === 'tamper') out = (this.def.tamper ?? defaultTamper)(out, sreq)
    let text = typeof out.body === 'string' ? out.body : JSON.stringify(out.body)
    if (mode === 'truncated') text = text.slice(0, Math.max(1, Math.floor(text.length / 2)))
    record.status = out.status
    send(res, out.status, out.contentType ?? 'application/json; charset=utf-8', text)
  }

  private onControl(method: string, what: string, raw: string, res: http.ServerResponse): void {
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
      this.reset()
      return ok({ ok: true })
    }
    if (what === 'faults' && method === 'GET') {
      return ok({ latencyMs: this.baseLatencyMs, faults: this.faults })
    }
    if (what === 'faults' && method === 'DELETE') {
      this.clearFaults()
      return ok({ ok: true })
    }
    if (what === 'faults' && method === 'POST') {
      const spec = parseFaultSpec(json)
      if (typeof spec === 'string') return bad(spec)
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
