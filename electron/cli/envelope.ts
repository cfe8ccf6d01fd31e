import { dataCenterCodeText } from '../core/datacenter/codes'
import { encodeEnvelope, EnvelopeError, verifyAndDecodeEnvelope } from '../core/datacenter/envelope'

/**
 * `npm run envelope -- encode|decode …`: builds and checks Data Center envelopes by hand, for
 * support staff comparing our messages with the Data Center's logs.
 */

export interface CliIo {
  stdin: () => Promise<string>
  stdout: (s: string) => void
  stderr: (s: string) => void
}

const USAGE = `用法 / usage:
  envelope encode --appid A --token T --appkey K --sid S --cmd C --data '<json>'
                  [--timestamp N] [--version V]
      prints the envelope {header, data} as JSON
  envelope decode --token T --appkey K [--appid DC_APPID]  < envelope.json
      verifies the envelope read from stdin (authCode, dataCode; with --appid, that
      header.appid equals it) and prints the decrypted data as JSON; when it does not
      verify, prints the code and text (e.g. "1009 接入验证失败") and exits 1
  envelope --help

exit codes: 0 ok, 1 the envelope does not verify or is malformed, 2 bad usage
`

class UsageError extends Error {}

type Options = Map<string, string>

function parseOptions(args: string[], allowed: readonly string[]): Options {
  const out: Options = new Map()
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument "${arg}"`)
    const eq = arg.indexOf('=')
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2)
    if (!allowed.includes(name)) throw new UsageError(`unknown option --${name}`)
    let value: string | undefined
    if (eq >= 0) value = arg.slice(eq + 1)
    else {
      value = args[i + 1]
      if (value === undefined) throw new UsageError(`option --${name} needs a value`)
      i++
    }
    if (out.has(name)) throw new UsageError(`option --${name} given twice`)
    out.set(name, value)
  }
  return out
}

function required(opts: Options, name: string): string {
  const v = opts.get(name)
  if (v === undefined) throw new UsageError(`missing option --${name}`)
  if (v === '') throw new UsageError(`option --${name} must not be empty`)
  return v
}

function encode(args: string[], io: CliIo): number {
  const opts = parseOptions(args, [
    'appid',
    'token',
    'appkey',
    'sid',
    'cmd',
    'data',
    'timestamp',
    'version',
  ])
  const appid = required(opts, 'appid')
  const token = required(opts, 'token')
  const appkey = required(opts, 'appkey')
  const sid = required(opts, 'sid')
  const cmd = required(opts, 'cmd')
  const dataText = required(opts, 'data')
  let data: unknown
  try {
    data = JSON.parse(dataText) as unknown
  } catch (e) {
    throw new UsageError(`option --data is not valid JSON: ${(e as Error).message}`)
  }
  const ts = opts.get('timestamp')
  if (ts !== undefined && !/^\d{1,15}$/.test(ts)) {
    throw new UsageError('option --timestamp must be a whole number of UTC seconds')
  }
  const version = opts.get('version')
  if (version === '') throw new UsageError('option --version must not be empty')
  const envelope = encodeEnvelope({
    appid,
    token,
    appkey,
    sid,
    cmd,
    data,
    ...(ts !== undefined ? { timestamp: Number(ts) } : {}),
    ...(version !== undefined ? { version } : {}),
  })
  io.stdout(`${JSON.stringify(envelope, null, 2)}\n`)
  return 0
}

async function decode(args: string[], io: CliIo): Promise<number> {
  const opts = parseOptions(args, ['token', 'appkey', 'appid'])
  const token = required(opts, 'token')
  const appkey = required(opts, 'appkey')
  const appid = opts.get('appid')
  if (appid === '') throw new UsageError('option --appid must not be empty')
  const text = await io.stdin()
  let value: unknown
  try {
    value = JSON.parse(text) as unknown
  } catch {
    io.stderr(`1004 ${dataCenterCodeText(1004)}: stdin is not JSON\n`)
    return 1
  }
  try {
    const data = verifyAndDecodeEnvelope(value, {
      token,
      appkey,
      ...(appid !== undefined ? { expectedAppid: appid } : {}),
    })
    io.stdout(`${JSON.stringify(data, null, 2)}\n`)
    return 0
  } catch (e) {
    if (!(e instanceof EnvelopeError)) throw e
    io.stderr(`${e.code} ${dataCenterCodeText(e.code)}: ${e.message}\n`)
    return 1
  }
}

export async function runEnvelopeCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv
  try {
    if (command === undefined) throw new UsageError('missing command (encode or decode)')
    if (command === '--help' || command === '-h' || command === 'help') {
      io.stdout(USAGE)
      return 0
    }
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout(USAGE)
      return 0
    }
    if (command === 'encode') return encode(rest, io)
    if (command === 'decode') return await decode(rest, io)
    throw new UsageError(`unknown command "${command}" (encode or decode)`)
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`envelope: ${e.message}\n\n${USAGE}`)
      return 2
    }
    io.stderr(`envelope: ${e instanceof Error ? e.message : String(e)}\n`)
    return 1
  }
}
