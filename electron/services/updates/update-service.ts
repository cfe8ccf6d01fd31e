import type { UpdatesService } from '../../../shared/ipc/contract'
import type { UpdateStatus } from '../../../shared/updates'
import type { Logger, SettingsStore } from '../ports'
import type { UpdaterEngine } from './engine'
import { toUpdateError, updateTexts } from './errors'
import type { UpdateFeed } from './feed'
import type { ReleaseInfo, UpdateChannel } from './policy'

/** Timers the service schedules with; tests pass a fake clock. */
export interface UpdateClock {
  now(): number
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

export const systemClock: UpdateClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms)
    // a pending check must not keep a test run or the web bridge alive
    t.unref()
    return t
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
}

export interface UpdateSchedule {
  /** the check at start waits this long, plus up to `firstJitterMs`: startup stays fast */
  firstCheckMs: number
  firstJitterMs: number
  /** then every interval ± jitter, so a whole floor of agents does not ask at once */
  intervalMs: number
  jitterMs: number
  /** how often a waiting install looks whether the call is over (besides onCallEnded) */
  callPollMs: number
}

export const defaultSchedule: UpdateSchedule = {
  firstCheckMs: 15_000,
  firstJitterMs: 45_000,
  intervalMs: 4 * 60 * 60 * 1000,
  jitterMs: 20 * 60 * 1000,
  callPollMs: 3_000,
}

export interface UpdateServiceDeps {
  /** the running app's version (package.json) */
  currentVersion: string
  /** the channel comes from settings.updateChannel at every check */
  settings: Pick<SettingsStore, 'get'>
  /** null (with engine null) where updating is impossible: development, the web bridge */
  feed: UpdateFeed | null
  engine: UpdaterEngine | null
  /** whether the agent is on a call: an install never restarts the app during one */
  isOnCall: () => boolean
  /** told when the call ends, so a waiting install proceeds at once (it also polls) */
  onCallEnded?: (listener: () => void) => () => void
  /** install() during a call: wait for its end (default), or refuse with a message */
  whileOnCall?: 'wait' | 'refuse'
  /** start downloading as soon as a check finds an update (default: the agent clicks) */
  autoDownload?: boolean
  log: Logger
  clock?: UpdateClock
  /** 0 ≤ x < 1, for the jitter */
  random?: () => number
  schedule?: Partial<UpdateSchedule>
}

/** The contract's `updates` service, plus what main needs around it. */
export interface UpdateService extends UpdatesService {
  /** every status change (wire to the `updateStatus` event); returns the unsubscribe */
  onStatus(listener: (status: UpdateStatus) => void): () => void
  /** the check at start and every few hours */
  start(): void
  /** settings changed: a new channel is checked at once */
  settingsChanged(): void
  dispose(): void
}

export function createUpdateService(deps: UpdateServiceDeps): UpdateService {
  const { feed, engine, log, settings } = deps
  const clock = deps.clock ?? systemClock
  const random = deps.random ?? Math.random
  const schedule = { ...defaultSchedule, ...deps.schedule }
  const supported = feed !== null && engine !== null
  const listeners = new Set<(s: UpdateStatus) => void>()

  let state: UpdateStatus['state'] = supported ? 'idle' : 'unsupported'
  let available: ReleaseInfo | null = null
  let progress: UpdateStatus['progress'] = null
  let error: string | null = supported ? null : updateTexts.unsupported
  let lastCheckedAt: string | null = null
  let waiting = false
  /** the channel the current `available` / `not-available` answer is for */
  let answeredFor: UpdateChannel | null = null
  /** the channel of the last check, answered or failed */
  let askedFor: UpdateChannel | null = null
  let checking: Promise<UpdateStatus> | null = null
  let timer: unknown = null
  let pollTimer: unknown = null
  let stopCallWatch: (() => void) | null = null
  let disposed = false
  let lastEmittedPercent = -1
  const unsubscribe: (() => void)[] = []

  const channel = (): UpdateChannel => settings.get().updateChannel
  /** read through a function: TypeScript would keep a narrowing across an await */
  const busy = (): boolean => state === 'downloading' || state === 'downloaded'

  function snapshot(): UpdateStatus {
    return {
      channel: channel(),
      currentVersion: deps.currentVersion,
      state,
      available: available
        ? { version: available.version, releaseDate: available.releaseDate }
        : null,
      progress: progress ? { ...progress } : null,
      error,
      lastCheckedAt,
      waitingForCallToEnd: waiting,
    }
  }

  function emit(): void {
    const s = snapshot()
    for (const l of [...listeners]) {
      try {
        l(s)
      } catch (e) {
        log.error('updates: a status listener failed', e)
      }
    }
  }

  function fail(e: unknown, what: string): void {
    const err = toUpdateError(e)
    state = 'error'
    error = err.message
    // the code and the cause's message, never a URL's query (the redactor also sees this)
    log.warn(`updates: ${what} failed`, {
      code: err.code,
      cause: err.cause instanceof Error ? err.cause.message : undefined,
    })
  }

  async function runCheck(): Promise<UpdateStatus> {
    if (!feed) return snapshot()
    const asked = channel()
    askedFor = asked
    state = 'checking'
    error = null
    emit()
    try {
      const result = await feed.check(deps.currentVersion, asked)
      if (disposed) return snapshot()
      available = result.update
      answeredFor = asked
      state = available ? 'available' : 'not-available'
      log.info('updates: checked', {
        channel: asked,
        current: deps.currentVersion,
        seen: result.seen.map((r) => `${r.channelFile}:${r.version}`),
        offer: available?.version ?? null,
      })
    } catch (e) {
      available = null
      answeredFor = null
      fail(e, 'check')
    }
    lastCheckedAt = new Date(clock.now()).toISOString()
    emit()
    return snapshot()
  }

  function check(): Promise<UpdateStatus> {
    if (!supported || disposed) return Promise.resolve(snapshot())
    // what is downloading or downloaded is what gets installed; no new answer is needed
    if (busy()) return Promise.resolve(snapshot())
    if (checking) return checking
    checking = (async () => {
      let status = await runCheck()
      // the agent switched channel while we asked: that answer is for the old one
      if (askedFor !== channel()) status = await runCheck()
      return status
    })().finally(() => {
      checking = null
    })
    const result = checking
    if (deps.autoDownload) {
      void result.then((s) => (s.state === 'available' ? download() : s))
    }
    return result
  }

  function startDownload(release: ReleaseInfo): void {
    if (!engine) return
    state = 'downloading'
    error = null
    progress = { percent: 0, transferred: 0, total: release.files[0]?.size ?? 0 }
    lastEmittedPercent = 0
    emit()
    log.info('updates: downloading', { version: release.version, via: release.channelFile })
    engine.download(release).then(
      () => {
        if (disposed) return
        state = 'downloaded'
        const total = progress?.total ?? 0
        progress = { percent: 100, transferred: total, total }
        log.info('updates: downloaded and verified', { version: release.version })
        emit()
      },
      (e: unknown) => {
        if (disposed) return
        progress = null
        // `available` stays: download() tries again
        fail(e, 'download')
        emit()
      },
    )
  }

  async function download(): Promise<UpdateStatus> {
    if (!supported || disposed) return snapshot()
    if (busy()) return snapshot()
    // nothing known yet (e.g. right after start): ask first
    if (!available || answeredFor !== channel()) await check()
    // (autoDownload may have started it while we awaited the check)
    if (!available || busy()) return snapshot()
    startDownload(available)
    return snapshot()
  }

  function stopWaiting(): void {
    waiting = false
    if (pollTimer !== null) clock.clearTimeout(pollTimer)
    pollTimer = null
    stopCallWatch?.()
    stopCallWatch = null
  }

  function installNow(): void {
    stopWaiting()
    if (!engine) return
    log.info('updates: restarting to install', { version: available?.version ?? null })
    emit()
    try {
      engine.quitAndInstall()
    } catch (e) {
      fail(e, 'install')
      // still downloaded: restarting can be tried again
      state = 'downloaded'
      emit()
    }
  }

  function waitForCallToEnd(): void {
    waiting = true
    error = null
    const proceedIfFree = (): void => {
      if (!waiting || disposed) return
      if (deps.isOnCall()) {
        pollTimer = clock.setTimeout(proceedIfFree, schedule.callPollMs)
        return
      }
      installNow()
    }
    stopCallWatch =
      deps.onCallEnded?.(() => {
        if (pollTimer !== null) clock.clearTimeout(pollTimer)
        pollTimer = null
        proceedIfFree()
      }) ?? null
    pollTimer = clock.setTimeout(proceedIfFree, schedule.callPollMs)
    log.info('updates: install waits for the current call to end')
    emit()
  }

  async function install(): Promise<UpdateStatus> {
    if (!supported || disposed) return snapshot()
    if (state !== 'downloaded') {
      error = updateTexts.notDownloaded
      emit()
      return snapshot()
    }
    if (waiting) return snapshot()
    if (deps.isOnCall()) {
      if (deps.whileOnCall === 'refuse') {
        error = updateTexts.refusedOnCall
        emit()
        return snapshot()
      }
      waitForCallToEnd()
      return snapshot()
    }
    installNow()
    return snapshot()
  }

  function scheduleNext(ms: number): void {
    if (disposed) return
    if (timer !== null) clock.clearTimeout(timer)
    timer = clock.setTimeout(() => {
      timer = null
      void check()
        .catch((e: unknown) => log.error('updates: scheduled check failed', e))
        .finally(() => {
          const jitter = (random() * 2 - 1) * schedule.jitterMs
          scheduleNext(Math.max(60_000, schedule.intervalMs + jitter))
        })
    }, ms)
  }

  if (engine) {
    unsubscribe.push(
      engine.onProgress((p) => {
        if (state !== 'downloading') return
        // electron-updater reports NaN while the size is unknown
        const percent = Number.isFinite(p.percent) ? Math.min(100, Math.max(0, p.percent)) : 0
        const finite = (n: number): number => (Number.isFinite(n) ? n : 0)
        progress = { percent, transferred: finite(p.transferred), total: finite(p.total) }
        // one event per whole percent is smooth enough and keeps IPC quiet
        if (Math.floor(percent) !== lastEmittedPercent) {
          lastEmittedPercent = Math.floor(percent)
          emit()
        }
      }),
      engine.onError((e) => {
        if (disposed) return
        const wasDownloaded = state === 'downloaded'
        stopWaiting()
        fail(e, 'install')
        // still downloaded (what failed is the hand-over): restarting can be tried again
        if (wasDownloaded) state = 'downloaded'
        emit()
      }),
    )
  }

  return {
    status: async () => snapshot(),
    check,
    download,
    install,
    onStatus(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    start() {
      if (!supported || disposed || timer !== null) return
      scheduleNext(schedule.firstCheckMs + random() * schedule.firstJitterMs)
    },
    settingsChanged() {
      if (!supported || disposed) return
      if (askedFor !== null && askedFor !== channel()) void check()
      else emit()
    },
    dispose() {
      disposed = true
      if (timer !== null) clock.clearTimeout(timer)
      timer = null
      stopWaiting()
      for (const u of unsubscribe) u()
      listeners.clear()
    },
  }
}
