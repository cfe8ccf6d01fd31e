import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runDoctorChecks, runDoctorCli } from '../../../electron/cli/doctor'
import { startSandbox, type RunningSandbox } from '../../../electron/sandbox'

let sb: RunningSandbox
const dir = mkdtempSync(join(tmpdir(), 'cc-doctor-'))

beforeAll(async () => {
  sb = await startSandbox({ seed: 3, today: '2026-11-22' })
})
afterAll(async () => {
  await sb.close()
})

function io() {
  const out: string[] = []
  const err: string[] = []
  return { out, err, io: { out: (s: string) => out.push(s), err: (s: string) => err.push(s) } }
}

const noSandbox = async () => {
  throw new Error('must not start a sandbox when --config is given')
}

describe('doctor', () => {
  it('passes every check against the sandbox, with a login', async () => {
    const results = await runDoctorChecks({
      ...sb.profile,
      login: { userNum: '00006', password: '888' },
    })
    expect(results.map((r) => `${r.system}:${r.check}:${r.status}`)).toEqual([
      'weixin:reachable:ok',
      'weixin:get_server_url:ok',
      'weixin:login:ok',
      'datacenter:envelope round-trip:ok',
      'cdp:tags:ok',
      'rabbitpre:audience:ok',
      'miaosuan:customer:ok',
    ])
    expect(results[2]?.detail).toContain('冯依敏')
  })

  it('a wrong token fails the envelope check with 1009, and the exit code says so', async () => {
    const file = join(dir, 'bad-token.json')
    const profile = {
      ...sb.profile,
      datacenter: { ...sb.profile.datacenter!, token: 'wrong-token' },
    }
    writeFileSync(file, JSON.stringify(profile))
    const c = io()
    const code = await runDoctorCli(['--config', file], c.io, noSandbox)
    expect(code).toBe(1)
    const line = c.out.find((l) => l.includes('envelope round-trip'))
    expect(line).toMatch(/^✘ .*1009 .*接入验证失败/)
    expect(c.out.at(-1)).toBe('1 项检查失败')
  })

  it('a wrong appkey is caught when the answer does not decrypt, with a hint', async () => {
    const results = await runDoctorChecks({
      ...sb.profile,
      datacenter: { ...sb.profile.datacenter!, appkey: 'wrong-key' },
    })
    const dc = results.find((r) => r.system === 'datacenter')
    expect(dc?.status).toBe('fail')
    expect(dc?.detail).toContain('appkey')
  })

  it('an unreachable weixin server and a wrong password fail their lines; absent systems are skipped', async () => {
    const file = join(dir, 'offline.json')
    writeFileSync(
      file,
      JSON.stringify({ weixin: sb.profile.weixin, login: { userNum: '00006', password: 'x' } }),
    )
    const c = io()
    expect(await runDoctorCli(['--config', file], c.io, noSandbox)).toBe(1)
    expect(c.out.find((l) => l.includes(' login:'))).toMatch(/^✘ .*用户名或者密码错误/)
    expect(c.out.filter((l) => l.startsWith('–'))).toHaveLength(4)
    await sb.servers.weixin.setOffline(true)
    try {
      const c2 = io()
      expect(await runDoctorCli(['--config', file], c2.io, noSandbox)).toBe(1)
      expect(c2.out.find((l) => l.includes('reachable'))).toMatch(/^✘ .*无法连接服务器/)
    } finally {
      await sb.servers.weixin.setOffline(false)
    }
  })

  it('a bad config names the field; a missing file and bad JSON say so', async () => {
    const file = join(dir, 'bad-field.json')
    writeFileSync(file, JSON.stringify({ weixin: { baseUrl: 'ftp://x' } }))
    const c = io()
    expect(await runDoctorCli(['--config', file], c.io, noSandbox)).toBe(2)
    expect(c.err[0]).toContain('weixin.baseUrl')
    const c2 = io()
    expect(await runDoctorCli(['--config', join(dir, 'nope.json')], c2.io, noSandbox)).toBe(2)
    expect(c2.err[0]).toContain('读取配置文件失败')
    const broken = join(dir, 'broken.json')
    writeFileSync(broken, '{"weixin":')
    const c3 = io()
    expect(await runDoctorCli(['--config', broken], c3.io, noSandbox)).toBe(2)
    expect(c3.err[0]).toContain('不是有效的 JSON')
    const c4 = io()
    expect(await runDoctorCli(['--bogus'], c4.io, noSandbox)).toBe(2)
  })

  it('with no config it starts and checks the sandbox, then closes it', async () => {
    let closed = false
    const c = io()
    const code = await runDoctorCli([], c.io, async () => ({
      profile: sb.profile,
      close: async () => {
        closed = true
      },
    }))
    expect(code).toBe(0)
    expect(c.out.at(-1)).toBe('全部检查通过')
    expect(closed).toBe(true)
  })
})
