import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { runEnvelopeCli } from '../../../electron/cli/envelope'

const TOKEN = '52e41ab0d3eee56b725e3e29999762a8'
const APPKEY =
  'S_+SFO!fH.7qj_CEIKgCoSRfYr&e%,zAL1-*UEW7D]V$o4Cc=Dd4kwSh%6Q<!?=!+_@H^,K*#Gdk/d.qp@nBjl:e^/,.ckVGC2<4OoZNS2JN5<IX[Uq0W0oI-Y(K[k-R'
const SPEC_ARGS = [
  'encode',
  '--appid',
  '123',
  '--token',
  TOKEN,
  '--appkey',
  APPKEY,
  '--sid',
  '2014123123123123',
  '--cmd',
  'cst_identity',
  '--timestamp',
  '1436782123',
  '--data',
  '{"hello":123}',
]

async function run(
  argv: string[],
  stdin = '',
): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const code = await runEnvelopeCli(argv, {
    stdin: () => Promise.resolve(stdin),
    stdout: (s) => (out += s),
    stderr: (s) => (err += s),
  })
  return { code, out, err }
}

describe('envelope CLI', () => {
  it('encodes the §3.1 example exactly', async () => {
    const r = await run(SPEC_ARGS)
    expect(r.code).toBe(0)
    expect(JSON.parse(r.out)).toEqual({
      header: {
        timestamp: 1436782123,
        dataCode: 'a975283943d4be0d7cb355c2115f45d63b5dcc5d',
        authCode: '8c694932bba5d137af13654ce5a875d30a267ec8',
        sid: '2014123123123123',
        cmd: 'cst_identity',
        appid: '123',
        version: '2.0',
      },
      data: 'FQz8lhihFbBH8fV4PA==',
    })
    expect(r.err).toBe('')
  })

  it('round-trips encode → decode, with --option=value and Chinese data', async () => {
    const data = { mobile: '15920447900', customerName: '李建华', gender: 1 }
    const enc = await run([
      'encode',
      '--appid=301',
      `--token=${TOKEN}`,
      `--appkey=${APPKEY}`,
      '--sid=30126112210304500000',
      '--cmd=cst_info_create',
      '--version=2.1',
      `--data=${JSON.stringify(data)}`,
    ])
    expect(enc.code).toBe(0)
    expect(JSON.parse(enc.out)).toMatchObject({ header: { appid: '301', version: '2.1' } })
    const dec = await run(
      ['decode', '--token', TOKEN, '--appkey', APPKEY, '--appid', '301'],
      enc.out,
    )
    expect(dec.code).toBe(0)
    expect(JSON.parse(dec.out)).toEqual(data)
  })

  it('decodes the §3.1 envelope', async () => {
    const enc = await run(SPEC_ARGS)
    const dec = await run(['decode', '--token', TOKEN, '--appkey', APPKEY], enc.out)
    expect([dec.code, JSON.parse(dec.out)]).toEqual([0, { hello: 123 }])
  })

  it('a tampered envelope exits non-zero printing 1009 接入验证失败, and no data', async () => {
    const env = JSON.parse((await run(SPEC_ARGS)).out) as { data: string }
    env.data = 'FQz8lhihFbBH8fV4PQ=='
    const dec = await run(['decode', '--token', TOKEN, '--appkey', APPKEY], JSON.stringify(env))
    expect(dec.code).toBe(1)
    expect(dec.err).toMatch(/^1009 接入验证失败/)
    expect(dec.out).toBe('')
  })

  it('a wrong token or an unexpected appid is 1009', async () => {
    const { out } = await run(SPEC_ARGS)
    const wrongToken = await run(['decode', '--token', 'x', '--appkey', APPKEY], out)
    expect([wrongToken.code, wrongToken.err.slice(0, 11)]).toEqual([1, '1009 接入验证失败'])
    const wrongAppid = await run(
      ['decode', '--token', TOKEN, '--appkey', APPKEY, '--appid', '100'],
      out,
    )
    expect(wrongAppid.code).toBe(1)
    expect(wrongAppid.err).toContain('1009 接入验证失败')
  })

  it('stdin that is not an envelope is 1004', async () => {
    const notJson = await run(['decode', '--token', 't', '--appkey', 'k'], 'hello')
    expect([notJson.code, notJson.err.startsWith('1004 请求数据格式错误')]).toEqual([1, true])
    const noHeader = await run(['decode', '--token', 't', '--appkey', 'k'], '{"data":""}')
    expect(noHeader.err).toContain('1004 请求数据格式错误')
  })

  const usage: [string, string[], string][] = [
    [
      'a missing option',
      SPEC_ARGS.filter((a, i) => a !== '--token' && SPEC_ARGS[i - 1] !== '--token'),
      '--token',
    ],
    ['invalid --data JSON', [...SPEC_ARGS.slice(0, -1), '{hello}'], '--data'],
    [
      'a bad --timestamp',
      SPEC_ARGS.map((a) => (a === '1436782123' ? 'yesterday' : a)),
      '--timestamp',
    ],
    ['an unknown option', [...SPEC_ARGS, '--colour', 'red'], '--colour'],
    ['an option without value', ['decode', '--token', 't', '--appkey'], '--appkey'],
    ['an empty value', ['decode', '--token', '', '--appkey', 'k'], '--token'],
    ['decode without --appkey', ['decode', '--token', 't'], '--appkey'],
    ['an unknown command', ['sign'], 'sign'],
    ['no command', [], 'missing command'],
  ]
  for (const [what, argv, named] of usage) {
    it(`${what} exits 2 naming ${named}`, async () => {
      const r = await run(argv)
      expect(r.code).toBe(2)
      expect(r.err.split('\n')[0]).toContain(named)
      expect(r.out).toBe('')
    })
  }

  it('--help prints the usage and exits 0', async () => {
    for (const argv of [['--help'], ['encode', '--help']]) {
      const r = await run(argv)
      expect(r.code).toBe(0)
      expect(r.out).toContain('envelope encode --appid A --token T --appkey K --sid S --cmd C')
      expect(r.out).toContain('envelope decode --token T --appkey K')
    }
  })

  it('scripts/envelope.ts wires stdin, stdout and the exit code', () => {
    const root = path.resolve(import.meta.dirname, '../../..')
    const enc = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'scripts/envelope.ts', ...SPEC_ARGS],
      {
        cwd: root,
        encoding: 'utf8',
        timeout: 30_000,
      },
    )
    expect(enc.status).toBe(0)
    const dec = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'scripts/envelope.ts', 'decode', '--token', 'wrong', '--appkey', APPKEY],
      { cwd: root, encoding: 'utf8', input: enc.stdout, timeout: 30_000 },
    )
    expect(dec.status).toBe(1)
    expect(dec.stderr).toContain('1009 接入验证失败')
  })
})
