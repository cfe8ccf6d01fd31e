/**
 * `npm run start:web`: the sandbox and the app's services behind the web bridge, for a browser
 * where the Electron binary is unavailable. Prints one line on stdout, the URL to open (it
 * carries the launch token); everything else goes to stderr. Serves until Ctrl+C.
 */
import { spawn } from 'node:child_process'
import { existsSync, readFileSync, realpathSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { consoleLogger, startWebApp } from '../electron/bridge/web-app'
import { startSandbox } from '../electron/sandbox'
import { parseProfile } from '../electron/services/settings/profile-import'
import type { ConnectionProfile } from '../shared/connection-profile'

const repoRoot = resolve(import.meta.dirname, '..')
const rendererDir = join(repoRoot, 'out', 'renderer')

export const START_WEB_USAGE = `用法: npm run start:web -- [选项]
  --port N          网页桥端口（默认 0 = 自动选择空闲端口）
  --data-dir DIR    本地数据目录（默认 .sandbox-data/web）
  --profile FILE    连接配置文件（如 npm run sandbox 打印的那一行 JSON）：连接其中的服务器，
                    不再启动自己的沙箱（培训室里多台电脑共用一个沙箱时使用）
启动沙箱与网页桥，在标准输出打印一行要打开的地址，直到 Ctrl+C 退出。`

export interface StartWebOptions {
  port: number
  dataDir: string
  /** a connection profile file to use instead of a sandbox of its own */
  profile?: string
}

export function parseStartWebArgs(argv: string[]): StartWebOptions | { error: string } {
  const opts: StartWebOptions = { port: 0, dataDir: join(repoRoot, '.sandbox-data', 'web') }
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i] ?? ''
    if (flag === '--help' || flag === '-h') return { error: START_WEB_USAGE }
    const value = argv[i + 1]
    if (value === undefined || value.startsWith('--')) return { error: `${flag} 需要一个值` }
    i++
    if (flag === '--port') {
      const port = Number(value)
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        return { error: `--port 不是有效端口: ${value}` }
      }
      opts.port = port
    } else if (flag === '--data-dir') {
      opts.dataDir = resolve(value)
    } else if (flag === '--profile') {
      opts.profile = resolve(value)
    } else {
      return { error: `未知选项 ${flag}\n${START_WEB_USAGE}` }
    }
  }
  return opts
}

/** Builds with electron-vite when out/renderer is missing; its output goes to stderr. */
async function ensureRendererBuilt(): Promise<void> {
  if (existsSync(join(rendererDir, 'index.html'))) return
  process.stderr.write('out/renderer 不存在，正在构建（electron-vite build）…\n')
  const cli = join(repoRoot, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js')
  const code = await new Promise<number | null>((ok, fail) => {
    const child = spawn(process.execPath, [cli, 'build'], {
      cwd: repoRoot,
      stdio: ['ignore', 2, 2],
    })
    child.once('error', fail)
    child.once('exit', ok)
  })
  if (code !== 0 || !existsSync(join(rendererDir, 'index.html'))) {
    throw new Error(`electron-vite build 失败（退出码 ${String(code)}）`)
  }
}

/** Runs until SIGINT/SIGTERM; a failure to start sets the exit code and returns. */
export async function serveWeb(argv: string[]): Promise<void> {
  const opts = parseStartWebArgs(argv)
  if ('error' in opts) {
    const help = argv.includes('--help') || argv.includes('-h')
    ;(help ? process.stdout : process.stderr).write(`${opts.error}\n`)
    process.exitCode = help ? 0 : 2
    return
  }
  const log = consoleLogger()
  let profile: ConnectionProfile
  let sandbox: { close(): Promise<void> }
  if (opts.profile) {
    try {
      profile = readProfileFile(opts.profile)
    } catch (e) {
      process.stderr.write(
        `无法读取连接配置 ${opts.profile}：${e instanceof Error ? e.message : String(e)}\n`,
      )
      process.exitCode = 2
      return
    }
    sandbox = { close: async () => {} }
  } else {
    const own = await startSandbox()
    profile = own.profile
    sandbox = own
  }
  let app: Awaited<ReturnType<typeof startWebApp>>
  try {
    await ensureRendererBuilt()
    app = await startWebApp({
      rendererDir,
      dataDir: opts.dataDir,
      port: opts.port,
      log,
      profile,
    })
  } catch (e) {
    await sandbox.close()
    process.stderr.write(`网页桥启动失败：${e instanceof Error ? e.message : String(e)}\n`)
    process.exitCode = 1
    return
  }
  process.stdout.write(`置业外呼工作台已在网页桥上运行，请在浏览器中打开: ${app.url}\n`)

  let stopping = false
  const stop = (): void => {
    if (stopping) return
    stopping = true
    void Promise.allSettled([app.close(), sandbox.close()]).then(() => process.exit(0))
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

/**
 * A connection profile file: the JSON `npm run sandbox` prints (its extra fields, the sandbox's
 * seed and control roots, are not part of a profile and are dropped) or one an administrator
 * wrote. Checked as an import checks it.
 */
export function readProfileFile(file: string): ConnectionProfile {
  const json = JSON.parse(readFileSync(file, 'utf8').replace(/^\uFEFF/, '')) as Record<
    string,
    unknown
  >
  const { seed: _seed, today: _today, sandbox: _roots, ...profile } = json
  return parseProfile(JSON.stringify(profile))
}

function isMain(): boolean {
  const entry = process.argv[1]
  if (!entry) return false
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url))
  } catch {
    return false
  }
}

if (isMain()) await serveWeb(process.argv.slice(2))
