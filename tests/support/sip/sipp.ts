import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { freeUdpPort } from './ports'

const SIPP = '/usr/bin/sipp'
const SCENARIOS = fileURLToPath(new URL('./scenarios/', import.meta.url))

export function sippAvailable(): boolean {
  return existsSync(SIPP)
}

export type CalleeBehaviour =
  | { answer: 'reject'; status: number; reason: string }
  /** `echo`: SIPp's -rtp_echo sends every RTP packet it gets back to its sender (plain RTP) */
  | { answer: 'accept'; holdMs: number; echo?: boolean }

export interface RunningCallee {
  port: number
  stop(): Promise<void>
}

/**
 * true once a process holds the UDP port on 127.0.0.1. Read from the kernel's socket table, not
 * by binding the port: a bind probe would itself take the port SIPp is about to bind.
 */
function udpPortTaken(port: number): boolean {
  const hex = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`
  return readFileSync('/proc/net/udp', 'utf8')
    .split('\n')
    .some((line) => line.trim().split(/\s+/)[1] === hex)
}

function run(args: string[]): { child: ChildProcess; exit: Promise<number>; output: () => string } {
  const child = spawn(SIPP, args, { stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  const keep = (d: Buffer) => (out = (out + d.toString()).slice(-10_000))
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  const exit = new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? -1)))
  return { child, exit, output: () => out }
}

/**
 * A scripted callee on a free UDP port of 127.0.0.1, answering every call it gets the same way
 * until stopped. Resolves once SIPp holds its port.
 */
export async function startCallee(behaviour: CalleeBehaviour): Promise<RunningCallee> {
  const port = await freeUdpPort()
  const mediaPort = await freeUdpPort()
  // SIPp checks codes and pauses when it loads a file, before any -key is known: the values
  // are written into a copy of the scenario
  const dir = mkdtempSync(join(tmpdir(), 'sipp-'))
  const file = join(dir, 'callee.xml')
  const values: Record<string, string> =
    behaviour.answer === 'reject'
      ? { __STATUS__: String(behaviour.status), __REASON__: behaviour.reason }
      : { __HOLD_MS__: String(behaviour.holdMs) }
  let text = readFileSync(
    join(SCENARIOS, behaviour.answer === 'reject' ? 'callee-reject.xml' : 'callee-answer.xml'),
    'utf8',
  )
  for (const [k, v] of Object.entries(values)) text = text.replaceAll(k, v)
  writeFileSync(file, text)
  const proc = run([
    '-sf',
    file,
    '-i',
    '127.0.0.1',
    '-p',
    String(port),
    '-mi',
    '127.0.0.1',
    '-mp',
    String(mediaPort),
    '-t',
    'u1',
    '-nostdin',
    ...(behaviour.answer === 'accept' && behaviour.echo ? ['-rtp_echo'] : []),
  ])
  let exited = false
  void proc.exit.then(() => {
    exited = true
    rmSync(dir, { recursive: true, force: true })
  })
  const deadline = Date.now() + 10_000
  while (!udpPortTaken(port)) {
    if (exited || Date.now() > deadline) {
      proc.child.kill('SIGKILL')
      await proc.exit
      throw new Error(`sipp callee did not start:\n${proc.output()}`)
    }
    // asked again on the next turn of the event loop, after SIPp's output has been read
    await new Promise((r) => setTimeout(r, 20))
  }
  return {
    port,
    async stop() {
      if (!exited) {
        proc.child.kill('SIGTERM')
        await proc.exit
      }
    },
  }
}

/**
 * One UDP call from SIPp to `number` through the PBX; resolves with SIPp's exit code (0: the
 * scenario went as expected) and its output.
 */
export async function sippCall(
  pbxUdpPort: number,
  number: string,
  expect: number,
): Promise<{ code: number; output: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'sipp-'))
  try {
    let file = join(SCENARIOS, 'caller-answered.xml')
    if (expect !== 200) {
      file = join(dir, 'caller.xml')
      const template = readFileSync(join(SCENARIOS, 'caller-rejected.xml'), 'utf8')
      writeFileSync(file, template.replaceAll('__EXPECT__', String(expect)))
    }
    const port = await freeUdpPort()
    const mediaPort = await freeUdpPort()
    const proc = run([
      `127.0.0.1:${pbxUdpPort}`,
      '-sf',
      file,
      '-s',
      number,
      '-i',
      '127.0.0.1',
      '-p',
      String(port),
      '-mi',
      '127.0.0.1',
      '-mp',
      String(mediaPort),
      '-t',
      'u1',
      '-m',
      '1',
      '-nostdin',
      '-timeout',
      '15s',
      '-timeout_error',
    ])
    const code = await proc.exit
    return { code, output: proc.output() }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
