import { AppError } from '../../core/app-error'

/**
 * Dial URIs: the only URLs main ever hands to the OS (shell.openExternal). Everything here is
 * deliberately narrow: a softphone registered for tel:/sip:/callto: receives a number and nothing
 * else, so no argument, parameter or second URI can ride along with it.
 */

export const dialSchemes = ['tel', 'sip', 'callto'] as const
export type DialScheme = (typeof dialSchemes)[number]

/** ASCII digits only (never \d with the u flag, never full-width or other scripts' digits). */
const PHONE = /^\+?[0-9]{3,20}$/
/** One DNS label: letters, digits, inner hyphens; at most 63 characters. */
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/
const PORT = /^[1-9][0-9]{0,4}$/

export interface ParsedDialUri {
  scheme: DialScheme
  number: string
  /** sip: only: the PBX, as host or host:port */
  host?: string
}

/** Digits with an optional leading +, 3 to 20 digits, nothing else. */
export function isValidPhoneNumber(phone: unknown): phone is string {
  return typeof phone === 'string' && PHONE.test(phone)
}

/** A PBX host as written in a sip: URI: DNS name or dotted IPv4, optional :port. */
export function isValidSipHost(host: string): boolean {
  if (host.length === 0 || host.length > 253) return false
  const colon = host.lastIndexOf(':')
  const name = colon === -1 ? host : host.slice(0, colon)
  if (colon !== -1) {
    const port = host.slice(colon + 1)
    if (!PORT.test(port) || Number(port) > 65_535) return false
  }
  const labels = name.split('.')
  if (!labels.every((l) => LABEL.test(l))) return false
  // a dotted all-numeric name must be a real IPv4 address
  if (labels.every((l) => /^[0-9]+$/.test(l))) {
    return labels.length === 4 && labels.every((l) => Number(l) <= 255 && String(Number(l)) === l)
  }
  return true
}

/**
 * Parses a canonical dial URI: lower-case scheme, then the number; for sip: `number@host`.
 * Anything else (parameters, paths, userinfo, query, fragment, spaces, unicode) gives null.
 */
export function parseDialUri(uri: unknown): ParsedDialUri | null {
  if (typeof uri !== 'string' || uri.length > 300) return null
  const colon = uri.indexOf(':')
  if (colon === -1) return null
  const scheme = uri.slice(0, colon)
  const rest = uri.slice(colon + 1)
  if (scheme === 'tel' || scheme === 'callto') {
    return isValidPhoneNumber(rest) ? { scheme, number: rest } : null
  }
  if (scheme === 'sip') {
    const at = rest.indexOf('@')
    if (at === -1 || rest.indexOf('@', at + 1) !== -1) return null
    const number = rest.slice(0, at)
    const host = rest.slice(at + 1)
    return isValidPhoneNumber(number) && isValidSipHost(host) ? { scheme, number, host } : null
  }
  return null
}

export function isValidDialUri(uri: unknown): uri is string {
  return parseDialUri(uri) !== null
}

const TEMPLATE_ERROR =
  '拨号模板无效：只支持 tel:{phone}、callto:{phone} 或 sip:{phone}@主机名（可带 :端口）'

/**
 * Fills the settings' dial template with a number. The template must be exactly one of
 * `tel:{phone}`, `callto:{phone}` or `sip:{phone}@host[:port]` (scheme in any case); the number
 * must be a valid phone. Throws a Chinese AppError otherwise.
 */
export function buildDialUri(template: string, phone: string): string {
  if (!isValidPhoneNumber(phone)) {
    throw new AppError('invalid-args', '号码无效：只能是 3–20 位数字，可带前导 +', {
      field: 'phone',
    })
  }
  const t = typeof template === 'string' ? template.trim() : ''
  const colon = t.indexOf(':')
  const scheme = colon === -1 ? '' : t.slice(0, colon).toLowerCase()
  const body = colon === -1 ? '' : t.slice(colon + 1)
  let uri: string | null = null
  if ((scheme === 'tel' || scheme === 'callto') && body === '{phone}') {
    uri = `${scheme}:${phone}`
  } else if (scheme === 'sip' && body.startsWith('{phone}@')) {
    const host = body.slice('{phone}@'.length).toLowerCase()
    if (isValidSipHost(host)) uri = `sip:${phone}@${host}`
  }
  // re-check the result: the URI that leaves the process is the one the Dialer accepts
  if (uri === null || !isValidDialUri(uri)) {
    throw new AppError('invalid-settings', TEMPLATE_ERROR, { field: 'dialTemplate' })
  }
  return uri
}
