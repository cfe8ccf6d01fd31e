import { readFileSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { err, ok, startAppHarness, type AppHarness } from '../support/app-harness'

let h: AppHarness

beforeEach(async () => {
  h = await startAppHarness()
})

afterEach(async () => {
  await h.close()
})

describe('updates and diagnostics over IPC', () => {
  it('updates: without a packaged build and a feed, every call says unsupported in Chinese', async () => {
    const status = ok(await h.api.updates.status())
    expect(status).toMatchObject({ state: 'unsupported', channel: 'stable', available: null })
    const checked = ok(await h.api.updates.check())
    expect(checked.state).toBe('unsupported')
    expect(checked.error ?? '').toMatch(/[\u4e00-\u9fff]/)
    ok(await h.api.settings.update({ updateChannel: 'beta' }))
    expect(ok(await h.api.updates.status()).channel).toBe('beta')
    expect(err(await h.api.updates.status.call(null, ...([1] as unknown as []))).kind).toBe(
      'invalid-args',
    )
  })

  it('diagnostics: writes one JSON bundle with versions, settings and sync, and no secret', async () => {
    ok(await h.api.session.login({ userNum: '00011', password: 'Qh7#kLm2-冯9', remember: true }))
    const result = ok(await h.api.diagnostics.export())
    expect(result.file).toMatch(/\.json$/)
    expect(result.bytes).toBeGreaterThan(100)
    const text = readFileSync(result.file!, 'utf8')
    const bundle = JSON.parse(text) as Record<string, unknown>
    expect(Object.keys(bundle)).toEqual(expect.arrayContaining(['versions', 'settings']))
    expect(text).toContain('"pending"')
    expect(text).not.toContain('Qh7#kLm2-冯9')
  })
})
