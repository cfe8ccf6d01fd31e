import { remoteSystems, type RemoteSystem } from '../../shared/remote-error'
import { startSandbox, type RunningSandbox, type SandboxOptions } from '../sandbox'

export const SANDBOX_USAGE = `用法: npm run sandbox -- [选项]
  --seed N              种子数据的随机种子（默认 20261122）
  --today YYYY-MM-DD    项目在推日期以此为"今天"（默认当天）
  --port-<系统> N        指定端口（系统: ${remoteSystems.join(', ')}；0 = 自动选择空闲端口）
  --base-port N         依次使用 N, N+1, … 作为各系统端口
  --host ADDR           监听地址（默认 127.0.0.1）；培训室共用一个沙箱时填本机的局域网地址，
                        打印的连接配置即指向该地址
启动后在标准输出打印一行 JSON（连接配置 + 各服务器根地址），直到 Ctrl+C 退出。`

export function parseSandboxArgs(argv: string[]): SandboxOptions | { error: string } {
  const opts: SandboxOptions = {}
  const ports: Partial<Record<RemoteSystem, number>> = {}
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i] ?? ''
    const value = argv[i + 1]
    const need = (): string | { error: string } =>
      value === undefined || value.startsWith('--') ? { error: `${flag} 需要一个值` } : value
    const asPort = (v: string): number | undefined => {
      const n = Number(v)
      return Number.isInteger(n) && n >= 0 && n <= 65535 ? n : undefined
    }
    if (flag === '--help' || flag === '-h') return { error: SANDBOX_USAGE }
    const v = need()
    if (typeof v !== 'string') return v
    i++
    if (flag === '--seed') {
      const n = Number(v)
      if (!Number.isInteger(n)) return { error: `--seed 应为整数，收到 ${v}` }
      opts.seed = n
    } else if (flag === '--today') {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(v))) {
        return { error: `--today 应为 YYYY-MM-DD，收到 ${v}` }
      }
      opts.today = v
    } else if (flag === '--host') {
      if (!/^[A-Za-z0-9.:-]+$/.test(v)) return { error: `--host 不是有效地址: ${v}` }
      opts.host = v
    } else if (flag === '--base-port') {
      const base = asPort(v)
      if (base === undefined || base + remoteSystems.length - 1 > 65535) {
        return { error: `--base-port 不是有效端口: ${v}` }
      }
      remoteSystems.forEach((s, k) => (ports[s] = base === 0 ? 0 : base + k))
    } else if (flag.startsWith('--port-')) {
      const system = flag.slice('--port-'.length) as RemoteSystem
      if (!remoteSystems.includes(system)) return { error: `未知系统 ${system}（${flag}）` }
      const port = asPort(v)
      if (port === undefined) return { error: `${flag} 不是有效端口: ${v}` }
      ports[system] = port
    } else {
      return { error: `未知选项 ${flag}\n${SANDBOX_USAGE}` }
    }
  }
  if (Object.keys(ports).length > 0) opts.ports = ports
  return opts
}

/** The one JSON line `npm run sandbox` prints: an importable connection profile plus roots. */
export function sandboxAnnouncement(sb: RunningSandbox): string {
  return JSON.stringify({
    ...sb.profile,
    seed: sb.world.seed,
    today: sb.world.today,
    sandbox: sb.roots,
  })
}

export async function runSandboxCli(argv: string[]): Promise<RunningSandbox | number> {
  const opts = parseSandboxArgs(argv)
  if ('error' in opts) {
    console.error(opts.error)
    return argv.includes('--help') || argv.includes('-h') ? 0 : 2
  }
  const sb = await startSandbox(opts)
  process.stdout.write(`${sandboxAnnouncement(sb)}\n`)
  return sb
}
