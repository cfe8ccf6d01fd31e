import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Command, DoubleState } from './electron-double/electron-double'
import { REPO_ROOT } from './web-app'

/**
 * The built main bundle (out/main/index.js) in a plain Node child process, its `electron`
 * replaced by the recording double (electron-double/). The test talks to the double over the
 * child's IPC channel: read what main did, call main's handlers as Electron would.
 */

export const MAIN_BUNDLE = join(REPO_ROOT, 'out', 'main', 'index.js')
const HOOKS = join(import.meta.dirname, 'electron-double', 'hooks.ts')

export interface BootedMain {
  /** the app's directories (userData, logs…) */
  dir: string
  /** what the child printed, for failure output */
  output(): string
  state(): Promise<DoubleState>
  send<T = unknown>(command: Command): Promise<T>
  /** resolves with the exit code once the child has ended */
  exited: Promise<number | null>
  kill(): Promise<void>
}

export function bootMain(): BootedMain {
  const dir = mkdtempSync(join(tmpdir(), 'callcenter-main-'))
  const env: NodeJS.ProcessEnv = { ...process.env, CC_ELECTRON_DOUBLE_DIR: dir }
  // a development run would point the window at a dev server; this is the shipped mode
  delete env.ELECTRON_RENDERER_URL
  const child: ChildProcess = spawn(process.execPath, ['--import', HOOKS, MAIN_BUNDLE], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  })
  let out = ''
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()))
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()))
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  )

  let nextId = 1
  const waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>()
  child.on('message', (m: { id: number; ok: boolean; result?: unknown; error?: string }) => {
    const w = waiting.get(m.id)
    waiting.delete(m.id)
    if (m.ok) w?.resolve(m.result)
    else w?.reject(new Error(m.error))
  })
  void exited.then((code) => {
    for (const w of waiting.values()) w.reject(new Error(`main exited (${code}):\n${out}`))
    waiting.clear()
  })

  function send<T>(command: Command): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (child.exitCode !== null || !child.connected) {
        reject(new Error(`main is not running:\n${out}`))
        return
      }
      const id = nextId++
      waiting.set(id, { resolve: resolve as (v: unknown) => void, reject })
      child.send({ id, ...command })
    })
  }

  return {
    dir,
    output: () => out,
    state: () => send<DoubleState>({ cmd: 'state' }),
    send,
    exited,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL')
        await exited
      }
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
