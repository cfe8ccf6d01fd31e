import { readFileSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startAppHarness, ok, err, type AppHarness } from '../support/app-harness'

/**
 * The projects' 话术 and 卖点: carried by the connection profile (an import replaces them),
 * written in supervisor mode, and put into the profile a supervisor hands out.
 */

let h: AppHarness
beforeEach(async () => {
  h = await startAppHarness()
  ok(await h.api.session.login({ userNum: '00006', password: '888', remember: false }))
})
afterEach(async () => {
  await h.close()
})

const profile = {
  name: '华东区域',
  weixin: { baseUrl: 'https://call.example.com/api' },
  scripts: {
    '141': {
      script: '您好，我是万科东荟城的置业顾问……',
      sellingPoints: ['地铁 5 号线 300 米', '南北通透三房'],
    },
    星汇云锦: { script: '您好，星汇云锦……' },
  },
}

describe('project scripts', () => {
  it('come with an imported profile, keyed by project id or name, and replace what was there', async () => {
    ok(await h.api.settings.importProfile({ text: JSON.stringify(profile) }))
    expect(ok(await h.api.settings.scripts())).toEqual({
      '141': profile.scripts['141'],
      星汇云锦: { script: '您好，星汇云锦……', sellingPoints: [] },
    })
    ok(
      await h.api.settings.importProfile({
        text: JSON.stringify({ ...profile, scripts: undefined }),
      }),
    )
    expect(ok(await h.api.settings.scripts())).toEqual({})
  })

  it('are checked field by field: the error names the field', async () => {
    const long = { ...profile, scripts: { '141': { sellingPoints: ['好', 'x'.repeat(101)] } } }
    const e = err(await h.api.settings.importProfile({ text: JSON.stringify(long) }))
    expect(e).toMatchObject({ kind: 'invalid-settings', field: 'scripts.141.sellingPoints.1' })
    expect(e.message).toContain('每条卖点最多 100 字')
    const many = {
      ...profile,
      scripts: { '141': { sellingPoints: Array.from({ length: 13 }, (_, i) => `卖点${i}`) } },
    }
    expect(
      err(await h.api.settings.importProfile({ text: JSON.stringify(many) })).message,
    ).toContain('卖点最多 12 条')
    // nothing was changed by a refused import
    expect(ok(await h.api.settings.scripts())).toEqual({})
  })

  it('are written only in supervisor mode, and exported into the profile they hand out', async () => {
    const mine = { '141': { script: '新话术', sellingPoints: ['精装交付'] } }
    expect(err(await h.api.settings.saveScripts({ scripts: mine }))).toMatchObject({
      kind: 'forbidden',
      code: 'supervisor-required',
    })
    expect(
      err(await h.api.settings.exportScripts({ text: JSON.stringify(profile) })),
    ).toMatchObject({ code: 'supervisor-required' })
    ok(await h.api.calllog.setSupervisorPassword({ next: 'zhuguan-8' }))
    expect(ok(await h.api.settings.saveScripts({ scripts: mine }))).toEqual(mine)
    expect(ok(await h.api.settings.scripts())).toEqual(mine)

    // a profile that would not import is not written
    const bad = err(await h.api.settings.exportScripts({ text: '{"weixin":{}}' }))
    expect(bad).toMatchObject({ kind: 'invalid-settings', field: 'weixin.baseUrl' })

    const { file } = ok(await h.api.settings.exportScripts({ text: JSON.stringify(profile) }))
    const written = JSON.parse(readFileSync(file, 'utf8')) as typeof profile
    expect(written.scripts).toEqual(mine)
    expect(written.weixin).toEqual(profile.weixin)
    // an agent's desktop importing it gets the supervisor's scripts
    ok(await h.api.calllog.supervisorLock())
    ok(await h.api.settings.importProfile({ text: readFileSync(file, 'utf8') }))
    expect(ok(await h.api.settings.scripts())).toEqual(mine)
  })
})
