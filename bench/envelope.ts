import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { encodeEnvelope, verifyAndDecodeEnvelope } from '../electron/core/datacenter/envelope'
import { rc4 } from '../electron/core/datacenter/rc4'

/**
 * Envelope throughput: encode + verify-and-decode of one message (JSON → RC4 → base64 → SHA-1
 * dataCode/authCode and back), with our RC4 in-process and, side by side, the same pipeline
 * with OpenSSL's RC4 in a child Node started with --openssl-legacy-provider (OpenSSL 3 hides RC4
 * by default, which is why ours exists). Also raw RC4 on 64 KB, which is what the ratio goal
 * is about. Each figure runs for a fixed slice of time, so the whole bench takes a few seconds.
 */

const APPID = '301'
const TOKEN = 'bench-token-52e41ab0d3eee56b725e3e29999762a8'
const APPKEY = 'bench-appkey-S_+SFO!fH.7qj_CEIKgCoSRfYr&e%,zAL1-*UEW7D]V$o4Cc=Dd4kwSh%6Q'
const SID = '30126112210000000001'
const SLICE_MS = 500
const WARMUP_MS = 120

/** A customer-update-like payload of about `bytes` UTF-8 bytes, with Chinese text in it. */
function makePayload(bytes: number): unknown {
  const rows: Record<string, unknown>[] = []
  const data = { cmd: 'cst_follow_update', list: rows }
  let i = 0
  while (Buffer.byteLength(JSON.stringify(data), 'utf8') < bytes) {
    rows.push({
      cstGUID: `c0ffee00-0000-4000-8000-${String(i).padStart(12, '0')}`,
      followTime: '2026-11-22 10:15:00',
      followType: (i % 7) + 1,
      followContent: `第${i}次电话回访，客户关注学位与交楼时间`,
      cstWill: 'ABCDE'[i % 5],
    })
    i++
  }
  return data
}

function timeLoop(fn: () => void, ms: number): number {
  const warmEnd = performance.now() + WARMUP_MS
  while (performance.now() < warmEnd) fn()
  let n = 0
  const t0 = performance.now()
  let t = t0
  do {
    fn()
    n++
    t = performance.now()
  } while (t - t0 < ms)
  return n / ((t - t0) / 1000)
}

function oursEnvelopeMBps(payload: unknown): number {
  const bytes = Buffer.byteLength(JSON.stringify(payload), 'utf8')
  const opsPerSec = timeLoop(() => {
    const env = encodeEnvelope({
      appid: APPID,
      token: TOKEN,
      appkey: APPKEY,
      sid: SID,
      cmd: 'x',
      data: payload,
    })
    verifyAndDecodeEnvelope(env, { token: TOKEN, appkey: APPKEY, expectedAppid: APPID })
  }, SLICE_MS)
  return (opsPerSec * bytes) / 1e6
}

function oursRc4MBps(buf: Uint8Array): number {
  return (timeLoop(() => rc4(APPKEY, buf), SLICE_MS / 2) * buf.length) / 1e6
}

// The child: the same pipeline with crypto's RC4. Self-contained, so plain node runs it.
const CHILD_SOURCE = `
import crypto from 'node:crypto'
import fs from 'node:fs'
const [file, sliceMs, warmMs] = process.argv.slice(2)
const { appid, token, appkey, sid, payloads } = JSON.parse(fs.readFileSync(file, 'utf8'))
const key = Buffer.from(appkey, 'utf8')
const rc4 = (buf) => { const c = crypto.createCipheriv('rc4', key, null); return Buffer.concat([c.update(buf), c.final()]) }
const sha1 = (s) => crypto.createHash('sha1').update(s).digest('hex')
const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0)
const auth = (dataCode) => sha1([appid, sid, token, dataCode].sort(cmp).join(''))
const utf8 = new TextDecoder('utf-8', { fatal: true })
function roundTrip(payload) {
  const data = rc4(Buffer.from(JSON.stringify(payload), 'utf8')).toString('base64')
  const dataCode = sha1(data)
  const env = { header: { appid, timestamp: Math.floor(Date.now() / 1000), sid, authCode: auth(dataCode), cmd: 'x', version: '2.0', dataCode }, data }
  if (auth(env.header.dataCode) !== env.header.authCode) throw new Error('authCode')
  if (sha1(env.data) !== env.header.dataCode) throw new Error('dataCode')
  return JSON.parse(utf8.decode(rc4(Buffer.from(env.data, 'base64'))))
}
function timeLoop(fn, ms) {
  const warmEnd = performance.now() + Number(warmMs)
  while (performance.now() < warmEnd) fn()
  let n = 0; const t0 = performance.now(); let t = t0
  do { fn(); n++; t = performance.now() } while (t - t0 < ms)
  return n / ((t - t0) / 1000)
}
const out = {}
for (const [name, payload] of Object.entries(payloads)) {
  const bytes = Buffer.byteLength(JSON.stringify(payload), 'utf8')
  out['envelope_' + name] = (timeLoop(() => roundTrip(payload), Number(sliceMs)) * bytes) / 1e6
}
const raw = crypto.randomBytes(65536)
out.rc4_64kb = (timeLoop(() => rc4(raw), Number(sliceMs) / 2) * raw.length) / 1e6
process.stdout.write(JSON.stringify(out))
`

async function opensslFigures(
  payloads: Record<string, unknown>,
): Promise<Record<string, number> | string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'envelope-bench-'))
  try {
    const script = path.join(dir, 'openssl-child.mjs')
    const input = path.join(dir, 'input.json')
    fs.writeFileSync(script, CHILD_SOURCE)
    fs.writeFileSync(
      input,
      JSON.stringify({ appid: APPID, token: TOKEN, appkey: APPKEY, sid: SID, payloads }),
    )
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        ['--openssl-legacy-provider', script, input, String(SLICE_MS), String(WARMUP_MS)],
        { timeout: 30_000, maxBuffer: 1 << 20 },
        (err, out, errOut) =>
          err ? reject(new Error(errOut.trim() || err.message)) : resolve(out),
      )
    })
    return JSON.parse(stdout) as Record<string, number>
  } catch (e) {
    return e instanceof Error ? (e.message.split('\n')[0] ?? 'failed') : String(e)
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

const fmt = (v: number | undefined): string => (v === undefined ? 'n/a' : v.toFixed(1))

export async function benchEnvelope(): Promise<void> {
  const payloads: Record<string, unknown> = { '1kb': makePayload(1024), '64kb': makePayload(65536) }
  const ours: Record<string, number> = {}
  for (const [name, payload] of Object.entries(payloads)) {
    ours[`envelope_${name}`] = oursEnvelopeMBps(payload)
  }
  ours.rc4_64kb = oursRc4MBps(randomBytes(65536))
  const openssl = await opensslFigures(payloads)
  const theirs = typeof openssl === 'string' ? {} : openssl

  const rows = ['envelope_1kb', 'envelope_64kb', 'rc4_64kb']
  const lines = [
    'Data Center envelope: encode + verify/decode (MB/s of JSON payload)',
    `${'figure'.padEnd(16)}${'ours'.padStart(10)}${'openssl'.padStart(10)}${'ratio'.padStart(8)}`,
  ]
  for (const row of rows) {
    const a = ours[row]
    const b = theirs[row]
    const ratio = a !== undefined && b ? a / b : undefined
    lines.push(
      `${row.padEnd(16)}${fmt(a).padStart(10)}${fmt(b).padStart(10)}${(ratio === undefined ? 'n/a' : ratio.toFixed(2)).padStart(8)}`,
    )
  }
  if (typeof openssl === 'string') lines.push(`(OpenSSL RC4 unavailable: ${openssl})`)
  console.log(lines.join('\n'))
  for (const row of rows) {
    const [what, size] = row.split('_') as [string, string]
    const a = ours[row]
    const b = theirs[row]
    console.log(`BENCH ${what}_ours_${size} ${fmt(a)} MB/s`)
    if (b !== undefined) {
      console.log(`BENCH ${what}_openssl_${size} ${fmt(b)} MB/s`)
      if (a !== undefined) console.log(`BENCH ${what}_ratio_${size} ${(a / b).toFixed(2)} x`)
    }
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  await benchEnvelope()
}
