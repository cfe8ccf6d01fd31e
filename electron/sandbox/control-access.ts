import { randomBytes } from 'node:crypto'
import { isIP } from 'node:net'

/**
 * Who may use the control API (faults, records, state, reset). In development and tests it
 * needs the per-launch token as the first path segment (`/<token>/__sandbox/...`) and a Host
 * that is an IP literal or localhost (no DNS rebinding); a packaged build turns it off, since
 * a training room's sandbox must not let anyone on the machine reset or fault it.
 */
export type ControlAccess = 'off' | { token: string }

export function newControlToken(): string {
  return randomBytes(16).toString('hex')
}

/** A Host header naming an IP literal or localhost: a rebound DNS name is refused. */
export function isLocalHost(host: string | undefined): boolean {
  if (!host) return false
  const name = host.startsWith('[') ? host.slice(1, host.indexOf(']')) : host.replace(/:\d+$/, '')
  return name === 'localhost' || isIP(name) !== 0
}
