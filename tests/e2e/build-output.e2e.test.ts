import events from 'node:events'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import timers from 'node:timers'
import url from 'node:url'
import vm from 'node:vm'
import { describe, expect, it } from 'vitest'
import { buildBridgeClient } from '../../electron/bridge/build-client'
import { ipcContract } from '../../shared/ipc/contract'
import { REPO_ROOT } from './support/web-app'

/**
 * What `electron-vite build` ships (out/) must hold nothing of the development-only web bridge,
 * and the preload must expose only `callcenter`. Runs after the build in `npm test`.
 */

const OUT = join(REPO_ROOT, 'out')

const NEEDLES = [
  '__bridge',
  'bridge/client',
  'electron/bridge/',
  'startBridgeHost',
  'buildBridgeClient',
  'startWebApp',
  // the bridge's loopback socket (a bare ws:// also names the softphone's PBX address rule)
  'ws://127.0.0.1',
]

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? filesUnder(path) : [path]
  })
}

/**
 * The bridge's traces in a text. A CSP's connect-src may name ws://127.0.0.1:* (the page's own
 * policy allows the bridge to connect): that is policy text, not bridge code, so it is removed.
 */
function bridgeTraces(text: string): string[] {
  const withoutPolicy = text.replace(/connect-src(?:\s+(?:'[\w-]+'|[^\s;"'`]+))*/g, '')
  return NEEDLES.filter((n) => withoutPolicy.includes(n))
}

describe('the build output', () => {
  const files = filesUnder(OUT)

  it('has the three parts electron-vite builds', () => {
    const rel = files.map((f) => relative(OUT, f))
    expect(rel).toContain(join('renderer', 'index.html'))
    expect(rel.some((f) => f.startsWith(`main${'/'}`))).toBe(true)
    expect(rel.some((f) => f.startsWith(`preload${'/'}`))).toBe(true)
  })

  it('contains nothing of the web bridge', () => {
    const found = files
      .map((f) => ({ file: relative(OUT, f), traces: bridgeTraces(readFileSync(f, 'latin1')) }))
      .filter((f) => f.traces.length > 0)
    expect(found).toEqual([])
  })

  it('the scan does find the bridge where it is (control)', async () => {
    expect(bridgeTraces(await buildBridgeClient())).toContain('__bridge')
    expect(bridgeTraces(`new WebSocket('ws://127.0.0.1:1/')`)).toEqual(['ws://127.0.0.1'])
    expect(
      bridgeTraces(`content="default-src 'self'; connect-src 'self' ws://127.0.0.1:*; object-src"`),
    ).toEqual([])
  })

  it('the built page loads no script but its own bundle', () => {
    const html = readFileSync(join(OUT, 'renderer', 'index.html'), 'utf8')
    const srcs = [...html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1])
    expect(srcs).toHaveLength(1)
    expect(srcs[0]).toMatch(/^\.\/assets\/[\w-]+\.js$/)
  })
})

describe('the built preload', () => {
  /** Runs out/preload in a vm with a recording stand-in for the sandboxed preload's electron. */
  function runPreload(): { exposed: Map<string, unknown>; invoked: unknown[][] } {
    const dir = join(OUT, 'preload')
    const file = readdirSync(dir).find((f) => /\.c?js$/.test(f))
    if (!file) throw new Error('no preload bundle in out/preload')
    const exposed = new Map<string, unknown>()
    const invoked: unknown[][] = []
    const electron = {
      contextBridge: {
        exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api),
        exposeInIsolatedWorld: () => {
          throw new Error('exposeInIsolatedWorld is not expected')
        },
      },
      ipcRenderer: {
        invoke: (...args: unknown[]) => {
          invoked.push(args)
          return Promise.resolve({ ok: true, value: null })
        },
        on: () => {},
        removeListener: () => {},
        send: () => {
          throw new Error('the preload must not send')
        },
        sendSync: () => {
          throw new Error('the preload must not sendSync')
        },
      },
    }
    const module = { exports: {} }
    // what Electron's sandboxed preload can require: nothing from node_modules
    const builtins: Record<string, unknown> = { events, timers, url }
    const sandboxRequire = (id: string): unknown => {
      if (id === 'electron') return electron
      if (id in builtins) return builtins[id]
      throw new Error(`a sandboxed preload cannot require ${id}`)
    }
    const context = vm.createContext({
      require: sandboxRequire,
      module,
      exports: module.exports,
      process: { platform: 'linux', env: {}, versions: {} },
      console,
    })
    vm.runInContext(readFileSync(join(dir, file), 'utf8'), context, { filename: file })
    return { exposed, invoked }
  }

  it('exposes exactly one global, callcenter, with the contract’s services and on()', () => {
    const { exposed } = runPreload()
    expect([...exposed.keys()]).toEqual(['callcenter'])
    const api = exposed.get('callcenter') as Record<string, unknown>
    expect(Object.keys(api).sort()).toEqual([...Object.keys(ipcContract), 'on'].sort())
    for (const forbidden of ['invoke', 'send', 'sendSync', 'ipcRenderer', 'require']) {
      expect(api[forbidden]).toBeUndefined()
    }
  })
})
