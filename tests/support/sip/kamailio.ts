import { spawn, type ChildProcess } from 'node:child_process'
import { createSocket } from 'node:dgram'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { kamailioConfig } from './kamailio-config'
import { freeTcpPort, freeUdpPort } from './ports'

const KAMAILIO = '/usr/sbin/kamailio'
const MODULES_DIRS = [
  '/usr/lib/x86_64-linux-gnu/kamailio/modules',
  '/usr/lib/aarch64-linux-gnu/kamailio/modules',
  '/usr/lib/kamailio/modules',
]

export interface RunningKamailio {
  udpPort: number
  wsPort: number
  /** ws://127.0.0.1:<wsPort> */
  wsUrl: string
  /** the SIP domain users register in */
  domain: string
  /** everything kamailio wrote to stderr so far, for a failing test's message */
  log(): string
  /**
   * Stops Kamailio and starts it again on the same ports: every WebSocket drops and the
   * registrations (kept in memory) are gone, as after a PBX restart or a network change.
   */
  restart(): Promise<void>
  stop(): Promise<void>
}

export function kamailioAvailable(): boolean {
  return existsSync(KAMAILIO) && MODULES_DIRS.some((d) => existsSync(join(d, 'websocket.so')))
}

/** One OPTIONS over UDP; true when Kamailio answers 200. */
function optionsAnswered(port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4')
    const done = (ok: boolean) => {
      clearTimeout(timer)
      socket.close()
      resolve(ok)
    }
    const timer = setTimeout(() => done(false), timeoutMs)
    socket.on('message', (msg) => done(msg.toString().startsWith('SIP/2.0 200')))
    socket.on('error', () => done(false))
    socket.bind(0, '127.0.0.1', () => {
      const local = socket.address().port
      const branch = `z9hG4bK${Math.random().toString(36).slice(2)}`
      const req = [
        `OPTIONS sip:127.0.0.1:${port} SIP/2.0`,
        `Via: SIP/2.0/UDP 127.0.0.1:${local};branch=${branch};rport`,
        'Max-Forwards: 5',
        `From: <sip:probe@127.0.0.1>;tag=${branch.slice(7)}`,
        `To: <sip:127.0.0.1:${port}>`,
        `Call-ID: ${branch}@probe`,
        'CSeq: 1 OPTIONS',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n')
      socket.send(req, port, '127.0.0.1')
    })
  })
}

function tcpAccepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1')
    s.once('connect', () => {
      s.destroy()
      resolve(true)
    })
    s.once('error', () => resolve(false))
  })
}

/**
 * Starts Kamailio in the foreground on free loopback ports with a generated config and resolves
 * once it answers OPTIONS on UDP and accepts connections on the WebSocket port.
 */
export async function startKamailio(
  opts: { routes?: Record<string, number>; timeoutMs?: number } = {},
): Promise<RunningKamailio> {
  const modulesDir = MODULES_DIRS.find((d) => existsSync(join(d, 'websocket.so')))
  if (!modulesDir) throw new Error('kamailio-websocket-modules is not installed')
  const udpPort = await freeUdpPort()
  const wsPort = await freeTcpPort()
  const dir = mkdtempSync(join(tmpdir(), 'kamailio-'))
  const cfg = join(dir, 'kamailio.cfg')
  writeFileSync(cfg, kamailioConfig({ udpPort, wsPort, routes: opts.routes ?? {}, modulesDir }))
  let stderr = ''
  let child!: ChildProcess
  let exited: number | null = null
  let exit: Promise<void> = Promise.resolve()
  const spawnKamailio = () => {
    // -DD: stay in the foreground with the worker processes; -E: log to stderr; -Y: own runtime dir
    child = spawn(KAMAILIO, ['-f', cfg, '-DD', '-E', '-Y', dir, '-m', '64', '-M', '8'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    child.stderr?.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-20_000)
    })
    exited = null
    exit = new Promise<void>((resolve) =>
      child.once('exit', (code) => {
        exited = code ?? -1
        resolve()
      }),
    )
  }
  const kill = async () => {
    if (exited === null) {
      child.kill('SIGTERM')
      await exit
    }
  }
  const stop = async () => {
    await kill()
    rmSync(dir, { recursive: true, force: true })
  }

  /** answers OPTIONS on UDP and accepts connections on the WebSocket port, or throws */
  const ready = async (timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs
    // the condition, asked again until it holds: each probe waits up to 200 ms for an answer
    for (;;) {
      if (exited !== null) {
        await stop()
        throw new Error(`kamailio exited with ${exited}:\n${stderr}`)
      }
      if ((await optionsAnswered(udpPort, 200)) && (await tcpAccepts(wsPort))) return
      if (Date.now() > deadline) {
        await stop()
        throw new Error(`kamailio did not answer on 127.0.0.1:${udpPort}:\n${stderr}`)
      }
    }
  }
  spawnKamailio()
  await ready(opts.timeoutMs ?? 10_000)
  return {
    udpPort,
    wsPort,
    wsUrl: `ws://127.0.0.1:${wsPort}`,
    domain: '127.0.0.1',
    log: () => stderr,
    async restart() {
      await kill()
      spawnKamailio()
      await ready(10_000)
    },
    stop,
  }
}
