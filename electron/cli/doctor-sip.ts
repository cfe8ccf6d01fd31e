import JsSIP from 'jssip'
import { z } from 'zod'

/**
 * The doctor's softphone checks, when the config names the PBX: the SIP WebSocket (RFC 7118,
 * subprotocol "sip") opens, and the extension registers with its password (JsSIP answers the
 * digest challenge, as the app's phone does). Never throws; the password is never printed.
 */

export const doctorSoftphoneSchema = z.object({
  wsUrl: z.string().regex(/^wss?:\/\//, '必须以 wss:// 或 ws:// 开头'),
  sipDomain: z.string().min(1),
  extension: z.string().min(1),
  password: z.string(),
})
export type DoctorSoftphone = z.infer<typeof doctorSoftphoneSchema>

export interface SipCheck {
  check: 'websocket' | 'register'
  status: 'ok' | 'fail'
  detail: string
  ms: number
}

function socketOpens(url: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, 'sip')
    const timer = setTimeout(() => {
      ws.close()
      reject(new Error(`${timeoutMs} ms 内未连上`))
    }, timeoutMs)
    ws.onopen = () => {
      clearTimeout(timer)
      const protocol = ws.protocol
      ws.close()
      if (protocol === 'sip') resolve()
      else reject(new Error(`服务器未接受 sip 子协议（回答为「${protocol}」）`))
    }
    ws.onerror = () => {
      clearTimeout(timer)
      reject(new Error('连接失败'))
    }
  })
}

function registers(s: DoctorSoftphone, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const ua = new JsSIP.UA({
      sockets: [new JsSIP.WebSocketInterface(s.wsUrl)],
      uri: `sip:${s.extension}@${s.sipDomain}`,
      authorization_user: s.extension,
      password: s.password,
      register: true,
      connection_recovery_max_interval: 2,
    })
    const done = (e?: Error) => {
      clearTimeout(timer)
      ua.stop()
      if (e) reject(e)
      else resolve()
    }
    const timer = setTimeout(() => done(new Error(`${timeoutMs} ms 内未注册成功`)), timeoutMs)
    ua.on('registered', () => done())
    ua.on('registrationFailed', (e: { cause?: string }) =>
      done(new Error(`注册被拒绝：${e.cause ?? '未知原因'}`)),
    )
    ua.start()
  })
}

async function timed(check: SipCheck['check'], run: () => Promise<void>, ok: string) {
  const started = performance.now()
  const ms = () => Math.round(performance.now() - started)
  try {
    await run()
    return { check, status: 'ok', detail: ok, ms: ms() } satisfies SipCheck
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e)
    return { check, status: 'fail', detail, ms: ms() } satisfies SipCheck
  }
}

export async function runSipChecks(s: DoctorSoftphone, timeoutMs = 8_000): Promise<SipCheck[]> {
  const socket = await timed('websocket', () => socketOpens(s.wsUrl, timeoutMs), s.wsUrl)
  if (socket.status === 'fail') {
    return [socket, { check: 'register', status: 'fail', detail: 'WebSocket 未连上', ms: 0 }]
  }
  const user = `sip:${s.extension}@${s.sipDomain}`
  return [socket, await timed('register', () => registers(s, timeoutMs), `${user} 已注册`)]
}

export function formatSipCheck(r: SipCheck): string {
  return `${r.status === 'ok' ? '✔' : '✘'} 软电话（sip） ${r.check}: ${r.detail} ${r.ms} ms`
}
