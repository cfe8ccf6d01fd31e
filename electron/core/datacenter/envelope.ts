import { createHash, timingSafeEqual } from 'node:crypto'
import { DC_AUTH_FAILED, DC_BAD_FORMAT } from './codes'
import { Rc4Key } from './rc4'

/**
 * The Data Center message envelope (§2.1, §3): pure functions, no IO.
 *
 *   data     = base64(rc4(appkey, utf8(json)))
 *   dataCode = sha1_hex(data)
 *   authCode = sha1_hex(join(sort([appid, sid, token, dataCode])))
 *
 * sorted as Java sorts strings (UTF-16 code units), per the project's clarification.
 */

export interface EnvelopeHeader {
  appid: string
  /** UTC seconds */
  timestamp: number
  sid: string
  authCode: string
  cmd: string
  version: string
  dataCode: string
}

export interface Envelope {
  header: EnvelopeHeader
  /** base64 of the RC4 ciphertext */
  data: string
}

export const ENVELOPE_VERSION = '2.0'

export type EnvelopeFailure =
  | 'not-envelope'
  | 'appid'
  | 'authCode'
  | 'dataCode'
  | 'data-not-base64'
  | 'data-not-text'
  | 'data-not-json'

/** A failed §3.2 check: 1009 for anything signature-related, 1004 for a malformed envelope. */
export class EnvelopeError extends Error {
  readonly code: typeof DC_AUTH_FAILED | typeof DC_BAD_FORMAT
  readonly reason: EnvelopeFailure
  /** the header/data field at fault, where there is one */
  readonly field?: string

  constructor(reason: EnvelopeFailure, message: string, field?: string) {
    super(message)
    this.name = 'EnvelopeError'
    this.reason = reason
    this.code =
      reason === 'appid' || reason === 'authCode' || reason === 'dataCode'
        ? DC_AUTH_FAILED
        : DC_BAD_FORMAT
    if (field !== undefined) this.field = field
  }
}

export function sha1Hex(input: string | Uint8Array): string {
  return createHash('sha1').update(input).digest('hex')
}

/** Java's String.compareTo: UTF-16 code unit order (not locale, not natural number order). */
export function compareUtf16(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

export function computeDataCode(base64Data: string): string {
  return sha1Hex(base64Data)
}

export function computeAuthCode(
  appid: string,
  sid: string,
  token: string,
  dataCode: string,
): string {
  return sha1Hex([appid, sid, token, dataCode].sort(compareUtf16).join(''))
}

// A client talks with one appkey; caching the key schedule saves it on every message.
const keyCache = new Map<string, Rc4Key>()
const KEY_CACHE_LIMIT = 8

function rc4KeyFor(appkey: string): Rc4Key {
  let key = keyCache.get(appkey)
  if (!key) {
    if (keyCache.size >= KEY_CACHE_LIMIT) keyCache.clear()
    key = new Rc4Key(appkey)
    keyCache.set(appkey, key)
  }
  return key
}

/** base64(rc4(appkey, utf8(text))) */
export function encryptText(appkey: string, text: string): string {
  const cipher = rc4KeyFor(appkey).apply(Buffer.from(text, 'utf8'))
  return Buffer.from(cipher.buffer, cipher.byteOffset, cipher.length).toString('base64')
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

/**
 * Strict base64: Buffer's decoder skips junk silently, so the bytes are re-encoded and compared
 * (a regex over a 100 KB string costs more than the RC4). Line breaks, which some Java encoders
 * insert every 76 characters, are tolerated.
 */
function decodeBase64Strict(text: string): Buffer | undefined {
  const compact = text.includes('\n') ? text.replace(/\r?\n/g, '') : text
  const bytes = Buffer.from(compact, 'base64')
  return bytes.toString('base64') === compact ? bytes : undefined
}

/** The reverse of encryptText; the caller must have verified the envelope first. */
export function decryptText(appkey: string, base64Data: string): string {
  const cipher = decodeBase64Strict(base64Data)
  if (!cipher) throw new EnvelopeError('data-not-base64', 'data 不是合法的 base64', 'data')
  const plain = rc4KeyFor(appkey).apply(cipher)
  try {
    return utf8.decode(plain)
  } catch {
    // Most often a wrong appkey: the authCode does not involve it, so only decryption shows it.
    throw new EnvelopeError('data-not-text', 'data 解密后不是 UTF-8 文本（appkey 不符？）', 'data')
  }
}

export interface EncodeEnvelopeInput {
  appid: string
  token: string
  appkey: string
  sid: string
  cmd: string
  /** UTC seconds; defaults to now */
  timestamp?: number
  version?: string
  /** the business data; serialised with JSON.stringify */
  data: unknown
}

export function encodeEnvelope(input: EncodeEnvelopeInput): Envelope {
  for (const name of ['appid', 'token', 'appkey', 'sid', 'cmd'] as const) {
    if (typeof input[name] !== 'string' || input[name] === '') {
      throw new TypeError(`encodeEnvelope: ${name} must be a non-empty string`)
    }
  }
  const json = JSON.stringify(input.data)
  if (json === undefined) throw new TypeError('encodeEnvelope: data is not JSON-serialisable')
  const data = encryptText(input.appkey, json)
  const dataCode = computeDataCode(data)
  const authCode = computeAuthCode(input.appid, input.sid, input.token, dataCode)
  const timestamp = input.timestamp ?? Math.floor(Date.now() / 1000)
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new TypeError('encodeEnvelope: timestamp must be a non-negative integer (UTC seconds)')
  }
  return {
    header: {
      appid: input.appid,
      timestamp,
      sid: input.sid,
      authCode,
      cmd: input.cmd,
      version: input.version ?? ENVELOPE_VERSION,
      dataCode,
    },
    data,
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** Checks the envelope's shape (1004 when it is not one); verifies nothing. */
export function parseEnvelope(value: unknown): Envelope {
  const bad = (field: string, what: string): EnvelopeError =>
    new EnvelopeError('not-envelope', `报文格式错误：${field} ${what}`, field)
  if (!isRecord(value)) throw bad('(根)', '应为对象 {header, data}')
  const h = value.header
  if (!isRecord(h)) throw bad('header', '缺失或不是对象')
  for (const name of ['appid', 'sid', 'authCode', 'dataCode', 'cmd', 'version'] as const) {
    if (typeof h[name] !== 'string') throw bad(`header.${name}`, '缺失或不是字符串')
  }
  // timestamp is not signed; a server that sends it as a digit string is still understood
  let timestamp = h.timestamp
  if (typeof timestamp === 'string' && /^\d{1,15}$/.test(timestamp)) timestamp = Number(timestamp)
  if (typeof timestamp !== 'number' || !Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw bad('header.timestamp', '缺失或不是整数')
  }
  if (typeof value.data !== 'string') throw bad('data', '缺失或不是字符串')
  return {
    header: {
      appid: h.appid as string,
      timestamp,
      sid: h.sid as string,
      authCode: h.authCode as string,
      cmd: h.cmd as string,
      version: h.version as string,
      dataCode: h.dataCode as string,
    },
    data: value.data,
  }
}

function sameHex(expected: string, actual: string): boolean {
  const a = Buffer.from(expected.toLowerCase(), 'utf8')
  const b = Buffer.from(actual.toLowerCase(), 'utf8')
  return a.length === b.length && timingSafeEqual(a, b)
}

export interface VerifyOptions {
  token: string
  appkey: string
  /** when given, header.appid must equal it (a response must come from the Data Center) */
  expectedAppid?: string
}

export interface VerifiedEnvelope {
  envelope: Envelope
  /** the decrypted JSON text */
  plaintext: string
}

/**
 * §3.2 in order: authCode, then dataCode, and only then base64 → RC4 decrypt. Nothing is
 * decrypted before both checks pass.
 */
export function verifyEnvelope(value: unknown, opts: VerifyOptions): VerifiedEnvelope {
  const envelope = parseEnvelope(value)
  const { header, data } = envelope
  if (opts.expectedAppid !== undefined && header.appid !== opts.expectedAppid) {
    throw new EnvelopeError(
      'appid',
      `appid 不符：应为 ${opts.expectedAppid}，收到 ${header.appid}`,
      'header.appid',
    )
  }
  const authCode = computeAuthCode(header.appid, header.sid, opts.token, header.dataCode)
  if (!sameHex(authCode, header.authCode)) {
    throw new EnvelopeError('authCode', 'authCode 校验失败', 'header.authCode')
  }
  if (!sameHex(computeDataCode(data), header.dataCode)) {
    throw new EnvelopeError('dataCode', 'dataCode 校验失败（data 被篡改）', 'header.dataCode')
  }
  return { envelope, plaintext: decryptText(opts.appkey, data) }
}

/** verifyEnvelope plus JSON.parse of the plaintext; returns the business data. */
export function verifyAndDecodeEnvelope(value: unknown, opts: VerifyOptions): unknown {
  const { plaintext } = verifyEnvelope(value, opts)
  try {
    return JSON.parse(plaintext) as unknown
  } catch {
    throw new EnvelopeError('data-not-json', 'data 解密后不是 JSON', 'data')
  }
}
