// Network neutralisation: Electronegativity runs behind these fences (see scripts/lint-security.ts).
import Module from 'node:module'
import net from 'node:net'
import { sep } from 'node:path'
import { ELECTRONEGATIVITY_DIR, require } from './paths'

export class OfflineError extends Error {
  readonly code = 'LINT_SECURITY_OFFLINE'
  constructor(what: string) {
    super(`lint:security runs offline: ${what} refused`)
    this.name = 'OfflineError'
  }
}

export interface OfflineGuard {
  /** URLs Electronegativity tried to fetch through `got` (all refused) */
  readonly gotCalls: string[]
  /** socket connections attempted by anything in this process (all refused) */
  readonly socketAttempts: number
  /** the stand-in handed out for `got` */
  readonly got: (...args: unknown[]) => Promise<never>
  restore(): void
}

type Load = (request: string, parent: unknown, isMain: boolean) => unknown
type Connect = (...args: unknown[]) => unknown

let active: OfflineGuard | null = null

/**
 * Installs the two fences: (1) every `require('got')` in this process gets a stand-in whose
 * calls (got(), got.head(), got.get(), …) reject immediately without a socket or DNS lookup;
 * (2) net.Socket#connect throws, so even a path the hook misses cannot open a connection
 * (http, https, tls and undici all connect through it). Idempotent; restore() undoes both.
 */
export function installOfflineGuard(): OfflineGuard {
  if (active) return active
  const gotCalls: string[] = []
  let socketAttempts = 0

  const refuse = (...args: unknown[]): Promise<never> => {
    gotCalls.push(typeof args[0] === 'string' ? args[0] : String(args[0]))
    return Promise.reject(new OfflineError('HTTP request'))
  }
  const offlineGot = Object.assign((...args: unknown[]) => refuse(...args), {
    get: refuse,
    head: refuse,
    post: refuse,
    put: refuse,
    patch: refuse,
    delete: refuse,
    stream: () => {
      throw new OfflineError('HTTP stream')
    },
    extend: () => offlineGot,
  })

  const mod = Module as unknown as { _load: Load }
  const originalLoad = mod._load
  mod._load = function (this: unknown, request, parent, isMain) {
    if (request === 'got') return offlineGot
    return originalLoad.call(this, request, parent, isMain)
  }

  const proto = net.Socket.prototype as unknown as { connect: Connect }
  const originalConnect = proto.connect
  proto.connect = function () {
    socketAttempts++
    throw new OfflineError('socket connection')
  }

  // modules loaded before the hook kept the real got: load Electronegativity afresh
  purgeModuleCache()

  const guard: OfflineGuard = {
    gotCalls,
    get socketAttempts() {
      return socketAttempts
    },
    got: offlineGot,
    restore() {
      mod._load = originalLoad
      proto.connect = originalConnect
      purgeModuleCache()
      active = null
    },
  }
  active = guard
  return guard
}

function purgeModuleCache(): void {
  const gotDir = `${sep}node_modules${sep}got${sep}`
  for (const key of Object.keys(require.cache)) {
    if (key.startsWith(ELECTRONEGATIVITY_DIR + sep) || key.includes(gotDir)) {
      delete require.cache[key]
    }
  }
}

/** Whether the real `got` has been loaded into this process (it must never be). */
export function realGotLoaded(): boolean {
  const gotDir = `${sep}node_modules${sep}got${sep}`
  return Object.keys(require.cache).some((k) => k.includes(gotDir))
}
