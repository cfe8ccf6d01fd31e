import { afterEach, describe, expect, it } from 'vitest'
import type { CallingService } from '../../../shared/ipc/contract'
import { defaultSettings, type Settings } from '../../../shared/settings'
import { updateStatusSchema, type UpdateStatus } from '../../../shared/updates'
import { MemorySettingsStore } from '../../../electron/services/settings/settings-store'
import {
  CallActivity,
  createUpdateService,
  FeedChecker,
  updateTexts,
  withCallTracking,
  type UpdateService,
  type UpdateServiceDeps,
} from '../../../electron/services/updates'
import { recordingLogger } from '../../support/app-harness'
import {
  channelYml,
  FakeClock,
  FakeEngine,
  startFeedServer,
  until,
  type FeedEntry,
  type FeedServer,
} from './support'

const HOUR = 60 * 60 * 1000
const PHONE = '13800138000'

interface Rig {
  service: UpdateService
  feed: FeedServer
  engine: FakeEngine
  clock: FakeClock
  calls: CallActivity
  settings: MemorySettingsStore
  statuses: UpdateStatus[]
  logLines: string[]
  last(): UpdateStatus
}

const open: Rig[] = []
afterEach(async () => {
  for (const r of open.splice(0)) {
    r.service.dispose()
    await r.feed.close()
  }
})

async function rig(
  opts: {
    files?: Record<string, FeedEntry>
    channel?: Settings['updateChannel']
    current?: string
    extra?: Partial<UpdateServiceDeps>
  } = {},
): Promise<Rig> {
  const feed = await startFeedServer(
    opts.files ?? { 'latest.yml': channelYml('1.3.0'), 'beta.yml': channelYml('1.4.0-beta.1') },
  )
  const settings = new MemorySettingsStore({
    ...defaultSettings,
    updateChannel: opts.channel ?? 'stable',
  })
  const engine = new FakeEngine()
  const clock = new FakeClock()
  const calls = new CallActivity({ now: () => clock.now() })
  const statuses: UpdateStatus[] = []
  const logLines: string[] = []
  const service = createUpdateService({
    currentVersion: opts.current ?? '1.2.0',
    settings,
    feed: new FeedChecker({ url: feed.url, platform: 'win32' }),
    engine,
    isOnCall: () => calls.isOnCall(),
    onCallEnded: (l) => calls.onEnded(l),
    log: recordingLogger(logLines),
    clock,
    random: () => 0.5,
    ...opts.extra,
  })
  service.onStatus((s) => statuses.push(s))
  const r: Rig = {
    service,
    feed,
    engine,
    clock,
    calls,
    settings,
    statuses,
    logLines,
    last: () =>
      statuses.at(-1) ??
      (() => {
        throw new Error('no status yet')
      })(),
  }
  open.push(r)
  return r
}

async function downloaded(r: Rig): Promise<void> {
  await r.service.check()
  await r.service.download()
  r.engine.finish()
  await until(() => r.last().state === 'downloaded', 'the download to finish')
}

describe('UpdateService: checking', () => {
  it('offers a newer stable release; every status fits the contract', async () => {
    const r = await rig()
    const status = await r.service.check()
    expect(status).toMatchObject({
      channel: 'stable',
      currentVersion: '1.2.0',
      state: 'available',
      available: { version: '1.3.0', releaseDate: '2026-11-20T08:00:00.000Z' },
      error: null,
      waitingForCallToEnd: false,
    })
    expect(status.lastCheckedAt).toBe(new Date(r.clock.now()).toISOString())
    expect(r.statuses.map((s) => s.state)).toEqual(['checking', 'available'])
    for (const s of r.statuses) expect(() => updateStatusSchema.parse(s)).not.toThrow()
  })

  it('stable does not downgrade: an older latest.yml is "not available"', async () => {
    const r = await rig({ current: '1.3.1' })
    expect((await r.service.check()).state).toBe('not-available')
  })

  it('the channel comes from settings; switching to beta checks again at once', async () => {
    const r = await rig()
    await r.service.check()
    expect(r.feed.hits).toEqual(['latest.yml'])
    r.settings.update({ updateChannel: 'beta' })
    r.service.settingsChanged()
    await until(() => r.last().available?.version === '1.4.0-beta.1', 'the beta answer')
    expect(r.last().channel).toBe('beta')
    expect(r.feed.hits).toContain('beta.yml')
  })

  it('beta also sees stable releases', async () => {
    const r = await rig({
      channel: 'beta',
      current: '1.3.0-beta.3',
      files: { 'latest.yml': channelYml('1.3.0'), 'beta.yml': channelYml('1.3.0-beta.3') },
    })
    expect((await r.service.check()).available?.version).toBe('1.3.0')
  })

  it('a missing channel file is an error state with the Chinese text', async () => {
    const r = await rig({ files: {} })
    const status = await r.service.check()
    expect(status.state).toBe('error')
    expect(status.error).toBe(updateTexts.channelFileMissing('latest.yml'))
    expect(status.available).toBeNull()
    expect(r.logLines.join('\n')).toContain('channel-file-missing')
  })

  it('concurrent checks share one request', async () => {
    const r = await rig()
    const [a, b] = await Promise.all([r.service.check(), r.service.check()])
    expect(a.state).toBe('available')
    expect(b.state).toBe('available')
    expect(r.feed.hits).toEqual(['latest.yml'])
  })

  it('where updating is impossible (development, web bridge): unsupported, and no request', async () => {
    const r = await rig({ extra: { engine: null } })
    const status = await r.service.check()
    expect(status.state).toBe('unsupported')
    expect(status.error).toBe(updateTexts.unsupported)
    expect((await r.service.download()).state).toBe('unsupported')
    expect((await r.service.install()).state).toBe('unsupported')
    r.service.start()
    expect(r.clock.pending()).toEqual([])
    expect(r.feed.hits).toEqual([])
  })
})

describe('UpdateService: downloading', () => {
  it('reports progress, then downloaded; the engine gets the release and its channel file', async () => {
    const r = await rig()
    await r.service.check()
    const started = await r.service.download()
    expect(started.state).toBe('downloading')
    expect(started.progress?.percent).toBe(0)
    expect(r.engine.downloads).toHaveLength(1)
    expect(r.engine.downloads[0]).toMatchObject({ version: '1.3.0', channelFile: 'latest' })

    const before = r.statuses.length
    r.engine.emitProgress(25.2)
    r.engine.emitProgress(25.8) // same whole percent: no new event
    r.engine.emitProgress(60)
    expect(r.statuses.slice(before).map((s) => s.progress?.percent)).toEqual([25.2, 60])

    r.engine.finish()
    await until(() => r.last().state === 'downloaded', 'downloaded')
    expect(r.last().progress).toMatchObject({ percent: 100 })
  })

  it('download() before any check asks the feed first', async () => {
    const r = await rig()
    expect((await r.service.download()).state).toBe('downloading')
    expect(r.feed.hits).toEqual(['latest.yml'])
  })

  it('a hash mismatch is shown, and download() tries again', async () => {
    const r = await rig()
    await r.service.check()
    await r.service.download()
    r.engine.fail(
      Object.assign(new Error('sha512 checksum mismatch, expected a, got b'), {
        code: 'ERR_CHECKSUM_MISMATCH',
      }),
    )
    await until(() => r.last().state === 'error', 'the error')
    expect(r.last().error).toBe(updateTexts.checksum)
    expect(r.last().available?.version).toBe('1.3.0')
    expect((await r.service.download()).state).toBe('downloading')
    expect(r.engine.downloads).toHaveLength(2)
  })

  it('autoDownload starts downloading when a check finds something', async () => {
    const r = await rig({ extra: { autoDownload: true } })
    await r.service.check()
    await until(() => r.engine.downloads.length === 1, 'the automatic download')
    expect(r.last().state).toBe('downloading')
  })
})

describe('UpdateService: installing never interrupts a call', () => {
  it('not on a call: restarts into the update at once', async () => {
    const r = await rig()
    await downloaded(r)
    const status = await r.service.install()
    expect(r.engine.installs).toBe(1)
    expect(status.waitingForCallToEnd).toBe(false)
  })

  it('on a call: waits (waitingForCallToEnd) and installs when the call is saved', async () => {
    const r = await rig()
    await downloaded(r)
    r.calls.started(PHONE)
    const status = await r.service.install()
    expect(status.waitingForCallToEnd).toBe(true)
    expect(status.state).toBe('downloaded')
    r.clock.advance(60_000)
    expect(r.engine.installs).toBe(0)
    r.calls.ended(PHONE)
    expect(r.engine.installs).toBe(1)
    expect(r.last().waitingForCallToEnd).toBe(false)
  })

  it('without a call-ended signal, polling notices the end', async () => {
    let onCall = true
    const r = await rig({ extra: { isOnCall: () => onCall, onCallEnded: undefined } })
    await downloaded(r)
    await r.service.install()
    r.clock.advance(30_000)
    expect(r.engine.installs).toBe(0)
    onCall = false
    r.clock.advance(3_000)
    expect(r.engine.installs).toBe(1)
  })

  it('refuse mode: refused with a clear message, nothing installed', async () => {
    const r = await rig({ extra: { whileOnCall: 'refuse' } })
    await downloaded(r)
    r.calls.started(PHONE)
    const status = await r.service.install()
    expect(status.error).toBe(updateTexts.refusedOnCall)
    expect(status.waitingForCallToEnd).toBe(false)
    r.calls.ended(PHONE)
    r.clock.advance(60_000)
    expect(r.engine.installs).toBe(0)
  })

  it('install before the download finished is refused with a message', async () => {
    const r = await rig()
    await r.service.check()
    const status = await r.service.install()
    expect(status.error).toBe(updateTexts.notDownloaded)
    expect(r.engine.installs).toBe(0)
  })

  it('a failure at install time (Squirrel.Mac) is shown and restarting stays possible', async () => {
    const r = await rig()
    await downloaded(r)
    r.engine.emitError(new Error('Could not get code signature for running application'))
    expect(r.last()).toMatchObject({ state: 'downloaded', error: updateTexts.unsigned })
  })
})

describe('UpdateService: scheduling', () => {
  it('checks once soon after start, then every 4 hours with jitter', async () => {
    const randoms = [0.5, 0.9, 0.1]
    const r = await rig({ extra: { random: () => randoms.shift() ?? 0.5 } })
    r.service.start()
    // 15 s + 0.5 × 45 s of start jitter
    expect(r.clock.pending()).toEqual([37_500])
    r.clock.advance(37_499)
    expect(r.feed.hits).toEqual([])
    r.clock.advance(1)
    await until(() => r.clock.pending().length === 1, 'the next check to be scheduled')
    expect(r.feed.hits).toEqual(['latest.yml'])
    // 4 h + (0.9 × 2 − 1) × 20 min
    expect(r.clock.pending()[0]).toBe(4 * HOUR + 0.8 * 20 * 60 * 1000)

    r.clock.advance(4 * HOUR + 16 * 60 * 1000)
    await until(
      () => r.feed.hits.length === 2 && r.clock.pending().length === 1,
      'the second check',
    )
    // 4 h + (0.1 × 2 − 1) × 20 min
    expect(r.clock.pending()[0]).toBe(4 * HOUR - 0.8 * 20 * 60 * 1000)
  })

  it('does not ask again while an update is downloaded and waiting', async () => {
    const r = await rig()
    await downloaded(r)
    const hits = r.feed.hits.length
    r.service.start()
    r.clock.advance(5 * HOUR)
    await new Promise((res) => setTimeout(res, 50))
    expect(r.feed.hits.length).toBe(hits)
  })

  it('dispose stops the timers and the engine subscriptions', async () => {
    const r = await rig()
    r.service.start()
    expect(r.clock.pending()).toHaveLength(1)
    r.service.dispose()
    expect(r.clock.pending()).toEqual([])
    expect(r.engine.listenerCount).toBe(0)
  })
})

describe('call tracking', () => {
  const calling = (failDial = false): CallingService =>
    ({
      currentPhone: async () => null,
      nextPhone: async () => {
        throw new Error('unused')
      },
      saveCallback: async () => ({ id: 'o1', state: 'pending', message: '已保存' }),
      markDnc: async () => ({ id: 'dnc', state: 'delivered', message: '已加入勿扰名单' }),
      dial: async ({ phone }: { phone: string }) => {
        if (failDial) throw new Error('no dialer')
        return { uri: `tel:${phone}` }
      },
    }) as unknown as CallingService

  it('a dial starts a call; saving its result or 勿扰 ends it', async () => {
    const activity = new CallActivity()
    const ended: number[] = []
    activity.onEnded(() => ended.push(1))
    const svc = withCallTracking(calling(), activity)
    await svc.dial({ phone: PHONE })
    expect(activity.isOnCall()).toBe(true)
    await svc.saveCallback({ phone: PHONE } as never)
    expect(activity.isOnCall()).toBe(false)
    expect(ended).toHaveLength(1)
    await svc.dial({ phone: PHONE })
    await svc.markDnc({ phone: PHONE } as never)
    expect(activity.isOnCall()).toBe(false)
  })

  it('a failed dial is no call; a forgotten one stops counting after the limit', async () => {
    let now = 0
    const activity = new CallActivity({ now: () => now, maxCallMs: 1000 })
    await expect(withCallTracking(calling(true), activity).dial({ phone: PHONE })).rejects.toThrow()
    expect(activity.isOnCall()).toBe(false)
    activity.started(PHONE)
    now = 1001
    expect(activity.isOnCall()).toBe(false)
  })
})
