import { realpath, stat } from 'node:fs/promises'
import { extname, isAbsolute, relative, resolve, sep } from 'node:path'

/**
 * The app's own origin, `app://callcenter/`, served from out/renderer by main's protocol handler.
 * This file holds the Electron-free part: which URLs belong to the app, which file a request
 * maps to, and the Content-Security-Policy the pages get. main/hardening.ts wires it to Electron.
 */

export const APP_SCHEME = 'app'
export const APP_HOST = 'callcenter'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`

function parseUrl(raw: unknown): URL | null {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 4096) return null
  try {
    return new URL(raw)
  } catch {
    return null
  }
}

/** `app://callcenter/…`, with no port and no userinfo. (URL.origin is "null" for custom schemes.) */
export function isAppUrl(raw: unknown): boolean {
  const u = parseUrl(raw)
  return (
    u !== null &&
    u.protocol === `${APP_SCHEME}:` &&
    u.hostname === APP_HOST &&
    u.port === '' &&
    u.username === '' &&
    u.password === ''
  )
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]'])

/**
 * The dev server's origin from ELECTRON_RENDERER_URL, or null. Only a plain http(s) loopback
 * server counts: a dev build must never be pointed at a remote page that gets the preload's API.
 */
export function devServerOrigin(rendererUrl: string | undefined): string | null {
  const u = parseUrl(rendererUrl)
  if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:')) return null
  if (!LOOPBACK.has(u.hostname) || u.username !== '' || u.password !== '') return null
  return u.origin
}

/**
 * Whether a URL is one of the app's own pages: app://callcenter, or in development the dev
 * server's origin. Used for IPC senders and for navigation alike.
 */
export function isAppOrigin(raw: unknown, devOrigin: string | null): boolean {
  if (isAppUrl(raw)) return true
  if (devOrigin === null) return false
  const u = parseUrl(raw)
  return u !== null && u.username === '' && u.password === '' && u.origin === devOrigin
}

/**
 * What a page may fetch at all (a second fence behind the CSP): its own origin, data: images,
 * DevTools' own pages, and in development the dev server including its HMR WebSocket.
 */
export function isAllowedRendererRequest(
  raw: unknown,
  devOrigin: string | null,
  softphoneOrigin: string | null = null,
): boolean {
  if (isAppOrigin(raw, devOrigin)) return true
  if (typeof raw !== 'string') return false
  if (raw.startsWith('data:') || raw.startsWith('devtools:')) return true
  // the softphone's SIP WebSocket (RFC 7118), exactly the configured origin
  if (softphoneOrigin !== null && /^wss?:/.test(raw) && parseUrl(raw)?.origin === softphoneOrigin)
    return true
  if (devOrigin === null) return false
  return isAppOrigin(raw.replace(/^ws(s?):/, 'http$1:'), devOrigin) && /^wss?:/.test(raw)
}

/** The dispatcher's `isAllowedSender`, bound to this run's mode (dev origin or none). */
export function createSenderCheck(devOrigin: string | null): (url: string | undefined) => boolean {
  return (url) => isAppOrigin(url, devOrigin)
}

/**
 * The policy sent as a response header with every page (a <meta> cannot carry frame-ancestors,
 * and a header also covers pages whose markup we do not control). connect-src gains exactly the
 * softphone's configured WebSocket origin while it is on. style-src keeps
 * 'unsafe-inline' because Vue's compiled static markup may carry style attributes.
 */
export function buildContentSecurityPolicy(
  devOrigin: string | null = null,
  softphoneOrigin: string | null = null,
): string {
  const dev = devOrigin === null ? [] : [devOrigin, devOrigin.replace(/^http/, 'ws')]
  // the softphone's PBX (its ws(s):// origin from the settings), and nothing wider
  const phone = softphoneOrigin === null ? [] : [softphoneOrigin]
  const directives: [string, ...string[]][] = [
    ['default-src', "'none'"],
    ['script-src', "'self'", ...(devOrigin === null ? [] : [devOrigin])],
    ['style-src', "'self'", "'unsafe-inline'"],
    ['img-src', "'self'", 'data:'],
    ['font-src', "'self'", 'data:'],
    // the supervisor's player gets a recording's bytes from main as a blob: URL
    ['media-src', "'self'", 'blob:'],
    ['connect-src', "'self'", ...dev, ...phone],
    ['object-src', "'none'"],
    ['base-uri', "'none'"],
    ['form-action', "'none'"],
    ['frame-src', "'none'"],
    ['frame-ancestors', "'none'"],
  ]
  return directives.map((d) => d.join(' ')).join('; ')
}

/**
 * The page without its <meta> CSP. Served over app://, the header is the one policy: the meta
 * (written for the dev server and the web bridge) would otherwise be enforced beside it and keep
 * the softphone's configured PBX out of connect-src.
 */
export function withoutMetaCsp(html: string): string {
  return html.replace(
    /<meta\b[^>]*http-equiv\s*=\s*["']?content-security-policy["']?[^>]*>\s*/gi,
    '',
  )
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
}

export function mimeTypeOf(file: string): string {
  return MIME[extname(file).toLowerCase()] ?? 'application/octet-stream'
}

export type AppPathResult =
  | { ok: true; path: string; mimeType: string }
  | { ok: false; status: 400 | 403 | 404; reason: string }

/** Characters no served file name needs: separators, drive colons, controls, NUL. */
// eslint-disable-next-line no-control-regex
const BAD_SEGMENT = /[/\\:\u0000-\u001f\u007f]/

/**
 * Maps an app:// request URL to a path inside `root` without touching the disk. Each path
 * segment is percent-decoded on its own, so an encoded separator (`..%2f`, `%5c`) stays inside
 * one segment and is rejected rather than turned into a directory step. Dot segments, dotfiles,
 * empty segments (`//abs`), drive letters and anything resolving outside `root` are refused.
 */
export function resolveAppPath(requestUrl: string, root: string): AppPathResult {
  const u = parseUrl(requestUrl)
  if (!u || !isAppUrl(requestUrl)) return { ok: false, status: 403, reason: 'not the app origin' }
  const pathname = u.pathname === '' || u.pathname === '/' ? '/index.html' : u.pathname
  const segments: string[] = []
  for (const raw of pathname.slice(1).split('/')) {
    let segment: string
    try {
      segment = decodeURIComponent(raw)
    } catch {
      return { ok: false, status: 400, reason: 'malformed percent-encoding' }
    }
    if (segment === '' || segment.startsWith('.') || BAD_SEGMENT.test(segment)) {
      return { ok: false, status: 404, reason: 'forbidden path segment' }
    }
    segments.push(segment)
  }
  const base = resolve(root)
  const path = resolve(base, ...segments)
  const rel = relative(base, path)
  if (rel === '' || isAbsolute(rel) || rel.split(sep)[0] === '..') {
    return { ok: false, status: 404, reason: 'outside the renderer directory' }
  }
  return { ok: true, path, mimeType: mimeTypeOf(path) }
}

/**
 * resolveAppPath, then the disk: the file must exist, be a regular file, and its real path
 * (symlinks followed) must still be inside the real `root`.
 */
export async function resolveAppFile(requestUrl: string, root: string): Promise<AppPathResult> {
  const candidate = resolveAppPath(requestUrl, root)
  if (!candidate.ok) return candidate
  try {
    const [realRoot, realFile] = await Promise.all([realpath(root), realpath(candidate.path)])
    const rel = relative(realRoot, realFile)
    if (rel === '' || isAbsolute(rel) || rel.split(sep)[0] === '..') {
      return { ok: false, status: 403, reason: 'resolves outside the renderer directory' }
    }
    if (!(await stat(realFile)).isFile()) return { ok: false, status: 404, reason: 'not a file' }
    return { ok: true, path: realFile, mimeType: candidate.mimeType }
  } catch {
    return { ok: false, status: 404, reason: 'no such file' }
  }
}
