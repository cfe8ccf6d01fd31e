import { buildCallcenterApi } from '../../shared/ipc/api'
import type { IpcResult } from '../../shared/ipc/errors'

/**
 * The web bridge's browser side, served by host.ts as /__bridge/client.js (an IIFE built in
 * memory): it gives the page the same `window.callcenter` the preload gives it in Electron, over
 * a WebSocket to the host. It runs as a classic script before the app's module script, so the
 * global exists synchronously; the socket connects in the background and calls made before it
 * opens wait in a queue.
 *
 * Written against a minimal structural view of the browser (the node tsconfig has no DOM lib).
 */

// Must match host.ts (which cannot be imported here: it is Node code).
const WS_PATH = '/__bridge/ws'
const TOKEN_PARAM = 'bridge'
const TOKEN_KEY = 'callcenter.bridge.token'
const FIRST_RETRY_MS = 250
const MAX_RETRY_MS = 8_000

interface BrowserSocket {
  readonly readyState: number
  send(data: string): void
  addEventListener(type: 'open' | 'close' | 'error', listener: () => void): void
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void
}

interface BrowserEnv {
  location: { href: string; protocol: string; host: string; pathname: string }
  history: { state: unknown; replaceState(state: unknown, unused: string, url: string): void }
  sessionStorage: { getItem(key: string): string | null; setItem(key: string, v: string): void }
  WebSocket: new (url: string) => BrowserSocket
  setTimeout(handler: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

type Resolve = (result: IpcResult<unknown>) => void

const DISCONNECTED: IpcResult<never> = {
  ok: false,
  error: { kind: 'network', message: '与本地服务的连接已断开' },
}
const NO_TOKEN: IpcResult<never> = {
  ok: false,
  error: { kind: 'network', message: '缺少本地服务令牌：请用启动时打印的完整地址打开本页面' },
}

/** The token from ?bridge=… (then gone from the address bar), or the one kept for reloads. */
function takeToken(env: BrowserEnv): string | null {
  const url = new URL(env.location.href)
  const fromUrl = url.searchParams.get(TOKEN_PARAM)
  if (fromUrl === null) {
    try {
      return env.sessionStorage.getItem(TOKEN_KEY)
    } catch {
      return null
    }
  }
  url.searchParams.delete(TOKEN_PARAM)
  try {
    env.sessionStorage.setItem(TOKEN_KEY, fromUrl)
  } catch {
    // storage disabled: this load still works, a reload will need the printed URL again
  }
  env.history.replaceState(env.history.state, '', `${url.pathname}${url.search}${url.hash}`)
  return fromUrl
}

function install(env: BrowserEnv): void {
  const token = takeToken(env)
  const pending = new Map<number, Resolve>()
  const queue: string[] = []
  const listeners = new Map<string, Set<(payload: unknown) => void>>()
  let socket: BrowserSocket | undefined
  let opened = false
  let retries = 0
  let retryTimer: unknown
  let nextId = 1

  function connect(): void {
    if (token === null || socket) return
    if (retryTimer !== undefined) env.clearTimeout(retryTimer)
    retryTimer = undefined
    const scheme = env.location.protocol === 'https:' ? 'wss:' : 'ws:'
    const query = `token=${encodeURIComponent(token)}&page=${encodeURIComponent(env.location.pathname)}`
    const ws = new env.WebSocket(`${scheme}//${env.location.host}${WS_PATH}?${query}`)
    socket = ws
    ws.addEventListener('open', () => {
      opened = true
      retries = 0
      for (const text of queue.splice(0)) ws.send(text)
    })
    ws.addEventListener('message', (event) => onMessage(event.data))
    // 'error' is always followed by 'close', which handles both
    ws.addEventListener('error', () => {})
    ws.addEventListener('close', () => {
      socket = undefined
      opened = false
      queue.length = 0
      // Every call waiting on this socket gets an answer, as Electron's invoke would reject.
      const waiting = [...pending.values()]
      pending.clear()
      for (const resolve of waiting) resolve(DISCONNECTED)
      const delay = Math.min(FIRST_RETRY_MS * 2 ** retries, MAX_RETRY_MS)
      retries++
      retryTimer = env.setTimeout(connect, delay)
    })
  }

  function onMessage(data: unknown): void {
    if (typeof data !== 'string') return
    let message: unknown
    try {
      message = JSON.parse(data)
    } catch {
      return
    }
    if (typeof message !== 'object' || message === null) return
    const m = message as { id?: unknown; result?: unknown; event?: unknown; payload?: unknown }
    if (typeof m.event === 'string') {
      for (const listener of [...(listeners.get(m.event) ?? [])]) {
        try {
          listener(m.payload)
        } catch (e) {
          // a listener's bug surfaces as an uncaught error, without starving the others
          env.setTimeout(() => {
            throw e
          }, 0)
        }
      }
      return
    }
    if (typeof m.id !== 'number') return
    const resolve = pending.get(m.id)
    if (!resolve) return
    pending.delete(m.id)
    resolve(m.result as IpcResult<unknown>)
  }

  function invoke(channel: string, args: unknown[]): Promise<IpcResult<unknown>> {
    return new Promise<IpcResult<unknown>>((resolve) => {
      if (token === null) return resolve(NO_TOKEN)
      const id = nextId++
      let text: string
      try {
        text = JSON.stringify({ id, channel, args })
      } catch {
        return resolve({ ok: false, error: { kind: 'invalid-args', message: '参数无法序列化' } })
      }
      pending.set(id, resolve)
      if (socket && opened) return socket.send(text)
      queue.push(text)
      // a call during the back-off does not wait for the timer
      connect()
    })
  }

  function subscribe(channel: string, listener: (payload: unknown) => void): () => void {
    let set = listeners.get(channel)
    if (!set) listeners.set(channel, (set = new Set()))
    set.add(listener)
    return () => {
      set.delete(listener)
    }
  }

  // Like contextBridge.exposeInMainWorld: read-only, and the page cannot swap it out.
  Object.defineProperty(env, 'callcenter', {
    value: buildCallcenterApi(invoke, subscribe),
    enumerable: true,
    configurable: false,
    writable: false,
  })
  connect()
}

install(globalThis as unknown as BrowserEnv)
