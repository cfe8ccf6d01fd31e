import fs from 'node:fs'
import path from 'node:path'
import type { SecretKey, Vault } from '../ports'
import { secretKeys } from '../ports'

/**
 * Keeps secrets out of log files and diagnostics bundles, whoever passes them by mistake. Three
 * nets: values under secret-looking keys, `key=value` / `Bearer …` / `user:pass@` patterns inside
 * free text, and the exact secret values the vault holds, registered at run time. Mobile numbers
 * are masked too: logs leave the machine in support bundles. Electron-free, so it is tested.
 */

export const REDACTED = '[redacted]'

/** Shorter values are not meaningful secrets, and replacing them would shred ordinary text. */
export const MIN_SECRET_LENGTH = 4

/** A key naming a secret, as a whole word of the key (camelCase, snake_case, dotted, kebab). */
const SECRET_KEY_WORDS = new Set([
  'pass',
  'password',
  'passwd',
  'pwd',
  'token',
  'secret',
  'appkey',
  'appid',
  'authcode',
  'companyid',
  'cookie',
  'authorization',
  'apikey',
  'privatekey',
  'sessionid',
  'sessionkey',
  'sign',
  'signature',
  'credential',
  'credentials',
])
/** …and as the end of a run-together word: accesstoken, userpassword, dcappkey */
const SECRET_KEY_SUFFIXES = [
  'token',
  'password',
  'passwd',
  'pwd',
  'secret',
  'appkey',
  'apikey',
  'appid',
  'authcode',
  'companyid',
  'cookie',
  'sessionid',
  'signature',
]

/**
 * `key=value`, `"key": "value"`, `key: value` in free text; the replacer decides by the key. A
 * quoted value is taken whole; an earlier `[redacted]` is recognised, so redaction is idempotent.
 */
const KEY_VALUE =
  /([A-Za-z_][\w.-]{0,60})(["']?\s*[=:]\s*)(\[redacted\]|"(?:[^"\\]|\\.)*"|'[^']*'|(?:(?:Bearer|Basic)\s+)?[^\s&"',;}<>)\]]+)/g
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{6,}/g
/** credentials inside a URL: https://user:secret@host */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/[^\s/:@]+):[^\s/@]+@/gi
/** mainland mobile numbers, kept as 138****1234 like maskPhone */
const MOBILE = /(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)/g

export interface Redactor {
  /** free text with every secret it can find replaced */
  text(s: string): string
  /** a copy of any value, safe to log (errors become their scrubbed description) */
  value(v: unknown): unknown
  /** an error as `Name: message` and stack, scrubbed; never its attached data */
  error(e: unknown): string
  /** exact values to remove wherever they appear (the vault's secrets, a typed password) */
  addSecrets(values: Iterable<string | null | undefined>): void
  /** how many distinct values are registered (for tests and diagnostics, never the values) */
  secretCount(): number
}

export function isSecretKey(key: string): boolean {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '')
  return words.some(
    (w, i) =>
      SECRET_KEY_WORDS.has(w) ||
      SECRET_KEY_WORDS.has(w + (words[i + 1] ?? '')) ||
      SECRET_KEY_SUFFIXES.some((suffix) => w.endsWith(suffix)),
  )
}

export function createRedactor(): Redactor {
  /** every form of every secret, longest first, so a secret containing another goes whole */
  let secrets: string[] = []
  /** lower-cased, for numbers */
  let secretSet = new Set<string>()
  /** all of them, case-insensitively (an upper-cased token, upper-case hex) */
  let secretPattern: RegExp | null = null

  function text(s: string): string {
    let out = secretPattern ? s.replace(secretPattern, REDACTED) : s
    out = pairs(out)
    out = out.replace(BEARER, `$1 ${REDACTED}`)
    out = out.replace(URL_USERINFO, `$1:${REDACTED}@`)
    return out.replace(MOBILE, '$1****$2')
  }

  function pairs(s: string): string {
    return s.replace(KEY_VALUE, (match, key: string, sep: string, value: string) => {
      // not a secret's key: its value may still hold one (`url: https://…?token=…`)
      if (!isSecretKey(key))
        return value.length < match.length ? `${key}${sep}${pairs(value)}` : match
      const quote = value.startsWith('"') ? '"' : value.startsWith("'") ? "'" : ''
      return `${key}${sep}${quote}${REDACTED}${quote}`
    })
  }

  function error(e: unknown): string {
    if (e instanceof Error) {
      const stack = e.stack ?? ''
      // the stack usually starts with the message: do not write it twice
      const head = `${e.name}: ${e.message}`
      const body = stack.startsWith(head) ? stack : `${head}\n${stack}`
      const cause = e.cause === undefined ? '' : `\ncaused by: ${error(e.cause)}`
      return text(`${body}${cause}`.trimEnd())
    }
    if (typeof e === 'string') return text(e)
    return Object.prototype.toString.call(e)
  }

  function value(v: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
    if (typeof v === 'string') return text(v)
    // a numeric secret (an id) must not survive as a number either
    if (typeof v === 'number' || typeof v === 'bigint') {
      return secretSet.has(String(v).toLowerCase())
        ? REDACTED
        : typeof v === 'bigint'
          ? v.toString()
          : v
    }
    if (typeof v === 'function' || typeof v === 'symbol') return String(v)
    if (v === null || typeof v !== 'object') return v
    if (v instanceof Error) return error(v)
    if (v instanceof Date) return Number.isNaN(v.getTime()) ? 'Invalid Date' : v.toISOString()
    if (ArrayBuffer.isView(v) || v instanceof ArrayBuffer) return `[binary ${v.byteLength} bytes]`
    if (seen.has(v)) return '[circular]'
    if (depth >= 6) return '[…]'
    seen.add(v)
    if (Array.isArray(v)) return v.map((x) => value(x, depth + 1, seen))
    if (v instanceof Map) {
      return value(Object.fromEntries([...v].map(([k, x]) => [String(k), x])), depth, seen)
    }
    if (v instanceof Set) return value([...v], depth, seen)
    return Object.fromEntries(
      Object.entries(v).map(([k, x]) => [
        // a key can be a secret too (a map by token)
        text(k),
        // a secret-named key keeps a hint of whether it was set, never the value
        isSecretKey(k) && x !== null && x !== undefined && x !== ''
          ? REDACTED
          : value(x, depth + 1, seen),
      ]),
    )
  }

  return {
    text,
    value: (v) => value(v),
    error,
    addSecrets(values) {
      const next = new Set(secrets)
      for (const raw of values) {
        if (typeof raw !== 'string') continue
        for (const form of secretForms(raw)) {
          if (form.length >= MIN_SECRET_LENGTH) next.add(form)
        }
      }
      secrets = [...next].sort((a, b) => b.length - a.length)
      secretSet = new Set(secrets.map((f) => f.toLowerCase()))
      secretPattern =
        secrets.length > 0 ? new RegExp(secrets.map(escapeRegExp).join('|'), 'gi') : null
    },
    secretCount: () => secrets.length,
  }
}

/** Encoded forms shorter than this are not looked for: they would match ordinary text. */
const MIN_ENCODED_LENGTH = 8

/**
 * A secret as it may appear in text: raw, trimmed, JSON-escaped (also with \uXXXX for
 * non-ASCII), encodeURIComponent, form-urlencoded, hex, base64 and base64url. Base64 is taken at
 * each of the three alignments a secret can have inside a longer encoded value, without the
 * characters it shares with its neighbours. Matching is case-insensitive (see Redactor.text and
 * findLeakedSecrets), which also covers upper-cased values and upper-case hex.
 */
export function secretForms(secret: string): string[] {
  const forms = new Set<string>()
  for (const s of new Set([secret, secret.trim()])) {
    if (s === '') continue
    forms.add(s)
    const encoded = [
      JSON.stringify(s).slice(1, -1),
      asciiJson(s),
      encodeURIComponent(s),
      new URLSearchParams([['', s]]).toString().slice(1),
      Buffer.from(s, 'utf8').toString('hex'),
      ...base64Cores(Buffer.from(s, 'utf8')),
    ]
    for (const form of encoded) {
      if (form.length >= MIN_ENCODED_LENGTH) forms.add(form)
    }
  }
  return [...forms]
}

/** JSON as ensure_ascii writers (Python's json, some loggers) write it: \u00e9 for é. */
function asciiJson(s: string): string {
  return JSON.stringify(s)
    .slice(1, -1)
    .replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

/** The base64 and base64url characters that depend on the secret's bytes only, per alignment. */
function base64Cores(bytes: Buffer): string[] {
  const out: string[] = []
  for (let k = 0; k < 3; k++) {
    const b64 = Buffer.concat([Buffer.alloc(k), bytes]).toString('base64')
    const core = b64.slice(Math.ceil((8 * k) / 6), Math.floor((8 * (k + bytes.length)) / 6))
    out.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'))
  }
  return out
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/**
 * The secrets still present in `text` in any of their forms, case-insensitively: the last check
 * before a diagnostics bundle is written.
 */
export function findLeakedSecrets(text: string, secrets: readonly string[]): string[] {
  const haystack = text.toLowerCase()
  return secrets.filter((secret) =>
    secretForms(secret).some(
      (form) => form.length >= MIN_SECRET_LENGTH && haystack.includes(form.toLowerCase()),
    ),
  )
}

/** Every secret value the vault holds now; keys it cannot read are skipped. */
export async function readVaultSecrets(vault: Vault): Promise<string[]> {
  const out: string[] = []
  for (const key of secretKeys) {
    try {
      const value = await vault.get(key)
      if (value) out.push(value)
    } catch {
      // undecryptable: it cannot be logged either
    }
  }
  return out
}

/**
 * The vault, reporting every value it stores or returns to `register` (the log's redactor)
 * before anyone can log it.
 */
export function withSecretRegistry(vault: Vault, register: (value: string) => void): Vault {
  return {
    status: () => vault.status(),
    async get(key: SecretKey) {
      const value = await vault.get(key)
      if (value) register(value)
      return value
    },
    async set(key: SecretKey, value: string) {
      register(value)
      await vault.set(key, value)
    },
    delete: (key: SecretKey) => vault.delete(key),
  }
}

// Log files: rotation and tail. Kept here (Electron-free) so they are tested; main's logging
// hands them to electron-log.

/** `main.log` → `main.1.log`; `main.1.log` → `main.2.log`; the oldest beyond `keep` is removed. */
export function archivePathFor(file: string, n: number): string {
  const p = path.parse(file)
  return path.join(p.dir, `${p.name}.${n}${p.ext}`)
}

export function rotateLogFiles(file: string, keep: number): void {
  fs.rmSync(archivePathFor(file, keep), { force: true })
  for (let n = keep - 1; n >= 1; n--) {
    const from = archivePathFor(file, n)
    if (fs.existsSync(from)) fs.renameSync(from, archivePathFor(file, n + 1))
  }
  if (keep >= 1) fs.renameSync(file, archivePathFor(file, 1))
  else fs.rmSync(file, { force: true })
}

/** The last `max` lines of the log, reaching into the newest archive when the file is short. */
export function tailLogLines(file: string, max: number): string[] {
  const lines: string[] = []
  for (const f of [file, archivePathFor(file, 1)]) {
    let text: string
    try {
      text = fs.readFileSync(f, 'utf8')
    } catch {
      continue
    }
    const own = text.split(/\r?\n/).filter((l) => l !== '')
    lines.unshift(...own.slice(-(max - lines.length)))
    if (lines.length >= max) break
  }
  return lines.slice(-max)
}
