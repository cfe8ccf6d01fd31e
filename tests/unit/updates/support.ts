import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type {
  DownloadProgress,
  ReleaseInfo,
  UpdaterEngine,
} from '../../../electron/services/updates'
import type { UpdateClock } from '../../../electron/services/updates'

/** A channel file as electron-builder writes it. */
export function channelYml(version: string, opts: { file?: string; date?: string } = {}): string {
  const file = opts.file ?? `callcenter-desk-${version}-win-setup.exe`
  const sha512 = Buffer.from(`sha512 of ${file}`.padEnd(64, '.')).toString('base64')
  return [
    `version: ${version}`,
    'files:',
    `  - url: ${file}`,
    `    sha512: ${sha512}`,
    '    size: 104857600',
    `path: ${file}`,
    `sha512: ${sha512}`,
    `releaseDate: '${opts.date ?? '2026-11-20T08:00:00.000Z'}'`,
    '',
  ].join('\n')
}

export type FeedEntry = string | { status: number; body?: string }

/** A generic feed on 127.0.0.1: file name → body (200) or a status. Unknown names are 404. */
export interface FeedServer {
  url: string
  hits: string[]
  files: Map<string, FeedEntry>
  close(): Promise<void>
}

export async function startFeedServer(files: Record<string, FeedEntry> = {}): Promise<FeedServer> {
  const map = new Map(Object.entries(files))
  const hits: string[] = []
  const server = http.createServer((req, res) => {
    const name = decodeURIComponent((req.url ?? '/').split('?')[0]!.replace(/^\/feed\//, ''))
    hits.push(name)
    const entry = map.get(name)
    if (entry === undefined) {
      res.statusCode = 404
      res.end('Not Found')
      return
    }
    if (typeof entry === 'string') {
      res.setHeader('content-type', 'text/yaml')
      res.end(entry)
      return
    }
    res.statusCode = entry.status
    res.end(entry.body ?? '')
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const port = (server.address() as AddressInfo).port
  return {
    // a path like a real feed's, without the trailing slash (the checker must add it)
    url: `http://127.0.0.1:${port}/feed`,
    hits,
    files: map,
    async close() {
      server.closeAllConnections()
      await new Promise<void>((r) => server.close(() => r()))
    },
  }
}

/** A port nothing listens on. */
export async function closedPort(): Promise<number> {
  const s = http.createServer()
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r))
  const port = (s.address() as AddressInfo).port
  await new Promise<void>((r) => s.close(() => r()))
  return port
}

/** An engine whose downloads the test finishes, fails and reports progress for. */
export class FakeEngine implements UpdaterEngine {
  readonly downloads: ReleaseInfo[] = []
  installs = 0
  installError: unknown = null
  private pending: { resolve: () => void; reject: (e: unknown) => void } | null = null
  private readonly progress = new Set<(p: DownloadProgress) => void>()
  private readonly errors = new Set<(e: unknown) => void>()

  download(release: ReleaseInfo): Promise<void> {
    this.downloads.push(release)
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject }
    })
  }

  quitAndInstall(): void {
    this.installs++
    if (this.installError) throw this.installError
  }

  onProgress(listener: (p: DownloadProgress) => void): () => void {
    this.progress.add(listener)
    return () => this.progress.delete(listener)
  }

  onError(listener: (e: unknown) => void): () => void {
    this.errors.add(listener)
    return () => this.errors.delete(listener)
  }

  emitProgress(percent: number, total = 1000): void {
    for (const l of this.progress) l({ percent, transferred: (total * percent) / 100, total })
  }

  emitError(e: unknown): void {
    for (const l of this.errors) l(e)
  }

  finish(): void {
    this.pending?.resolve()
    this.pending = null
  }

  fail(e: unknown): void {
    this.pending?.reject(e)
    this.pending = null
  }

  get listenerCount(): number {
    return this.progress.size + this.errors.size
  }
}

/** Timers that only fire when the test advances time. */
export class FakeClock implements UpdateClock {
  private t = Date.parse('2026-11-22T01:00:00.000Z')
  private seq = 0
  private readonly timers = new Map<number, { at: number; fn: () => void }>()

  now(): number {
    return this.t
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq
    this.timers.set(id, { at: this.t + ms, fn })
    return id
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number)
  }

  /** delays of the timers now pending, from now */
  pending(): number[] {
    return [...this.timers.values()].map((x) => x.at - this.t).sort((a, b) => a - b)
  }

  /** moves time forward, firing every timer that falls due, in order */
  advance(ms: number): void {
    const end = this.t + ms
    for (;;) {
      const due = [...this.timers.entries()]
        .filter(([, x]) => x.at <= end)
        .sort((a, b) => a[1].at - b[1].at)[0]
      if (!due) break
      this.timers.delete(due[0])
      this.t = due[1].at
      due[1].fn()
    }
    this.t = end
  }
}

/** resolves when `predicate` holds, polling the event loop (real I/O keeps running) */
export async function until(
  predicate: () => boolean,
  what: string,
  timeoutMs = 5_000,
): Promise<void> {
  const start = Date.now()
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 5))
  }
}
