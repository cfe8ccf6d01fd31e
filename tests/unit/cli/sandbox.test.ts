import { spawn } from 'node:child_process'
import http from 'node:http'
import { createInterface } from 'node:readline'
import { describe, expect, it } from 'vitest'
import { connectionProfileSchema } from '../../../shared/connection-profile'
import { parseSandboxArgs } from '../../../electron/cli/sandbox'

describe('sandbox CLI arguments', () => {
  it('parses ports, seed and day, and names bad options', () => {
    expect(
      parseSandboxArgs(['--seed', '5', '--today', '2026-01-02', '--port-weixin', '0']),
    ).toEqual({
      seed: 5,
      today: '2026-01-02',
      ports: { weixin: 0 },
    })
    expect(parseSandboxArgs(['--base-port', '41000'])).toMatchObject({
      ports: { weixin: 41000, datacenter: 41001, cdp: 41002, rabbitpre: 41003, miaosuan: 41004 },
    })
    expect(parseSandboxArgs(['--seed', 'x'])).toEqual({ error: expect.stringContaining('--seed') })
    expect(parseSandboxArgs(['--port-foo', '1'])).toEqual({ error: expect.stringContaining('foo') })
    expect(parseSandboxArgs(['--port-cdp', '70000'])).toEqual({
      error: expect.stringContaining('--port-cdp'),
    })
    expect(parseSandboxArgs(['--today', '2026-13-99'])).toEqual({
      error: expect.stringContaining('--today'),
    })
    expect(parseSandboxArgs(['--seed'])).toEqual({ error: expect.stringContaining('需要一个值') })
  })
})

function get(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        let text = ''
        res.on('data', (c: Buffer) => (text += c.toString()))
        res.on('end', () => resolve(text))
      })
      .on('error', reject)
  })
}

describe('npm run sandbox', () => {
  it('prints one JSON line that is an importable profile, serves, and stops on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'scripts/sandbox.ts', '--seed', '9'],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    )
    try {
      const line = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout }).once('line', resolve)
        child.once('exit', (code) => reject(new Error(`sandbox exited early with ${code}`)))
      })
      const announced = JSON.parse(line) as Record<string, unknown>
      const profile = connectionProfileSchema.parse(announced)
      expect(profile.weixin.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/estate$/)
      expect(profile.datacenter).toMatchObject({ appid: '301', dataCenterAppid: '100' })
      expect(profile.datacenter?.token.length).toBeGreaterThan(8)
      expect(announced.seed).toBe(9)
      const roots = announced.sandbox as Record<string, string>
      const state = JSON.parse(await get(`${roots.weixin}/__sandbox/faults`)) as {
        offline: boolean
      }
      expect(state.offline).toBe(false)
      const items = JSON.parse(
        await get(`${profile.weixin.baseUrl}/ihk/weixin?action_name=getcallback`),
      ) as { call_back_item: unknown[] }
      expect(items.call_back_item.length).toBeGreaterThan(1)
    } finally {
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
      child.kill('SIGTERM')
      expect(await exited).toBe(0)
    }
  })
})
