import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { ReleaseInfo } from '../../../electron/services/updates'
import { UpdateError, updateTexts } from '../../../electron/services/updates'

/**
 * electron/main/updater.ts with Electron and electron-updater replaced: the Electron binary is
 * not available here. The fake mirrors the electron-updater behaviour the engine must work
 * around: setting `channel` also sets `allowDowngrade = true`.
 */
const h = vi.hoisted(() => {
  class FakeAutoUpdater {
    private listeners = new Map<string, ((...args: unknown[]) => void)[]>()
    on(event: string, fn: (...args: never[]) => void): this {
      this.listeners.set(event, [
        ...(this.listeners.get(event) ?? []),
        fn as (...a: unknown[]) => void,
      ])
      return this
    }
    emit(event: string, ...args: unknown[]): void {
      for (const fn of this.listeners.get(event) ?? []) fn(...args)
    }
    removeAllListeners(): void {
      this.listeners.clear()
    }
    logger: unknown = null
    autoDownload = true
    autoInstallOnAppQuit = false
    allowPrerelease = false
    allowDowngrade = false
    disableWebInstaller = false
    feed: unknown = null
    private _channel: string | null = null
    checks: { channel: string | null; allowDowngrade: boolean; allowPrerelease: boolean }[] = []
    offer: { version: string; available: boolean } | null = { version: '1.3.0', available: true }
    downloadError: unknown = null
    installs: [boolean, boolean][] = []

    get channel(): string | null {
      return this._channel
    }
    set channel(value: string | null) {
      this._channel = value
      this.allowDowngrade = true
    }
    setFeedURL(o: unknown): void {
      this.feed = o
    }
    async checkForUpdates() {
      this.checks.push({
        channel: this._channel,
        allowDowngrade: this.allowDowngrade,
        allowPrerelease: this.allowPrerelease,
      })
      // what electron-updater does on a 404 of the channel file, for instance, is to emit
      // 'error' as well as reject
      if (!this.offer) return null
      return {
        isUpdateAvailable: this.offer.available,
        updateInfo: { version: this.offer.version },
      }
    }
    async downloadUpdate() {
      this.emit('download-progress', {
        percent: 50,
        transferred: 5,
        total: 10,
        delta: 5,
        bytesPerSecond: 1,
      })
      if (this.downloadError) {
        this.emit('error', this.downloadError)
        throw this.downloadError
      }
      return ['/tmp/installer.exe']
    }
    quitAndInstall(silent: boolean, forceRunAfter: boolean): void {
      this.installs.push([silent, forceRunAfter])
    }
  }
  return { updater: new FakeAutoUpdater(), app: { isPackaged: true } }
})

vi.mock('electron', () => ({ app: h.app }))
vi.mock('electron-updater', () => ({ default: { autoUpdater: h.updater } }))

const { createElectronUpdaterEngine, updateFeedUrl } =
  await import('../../../electron/main/updater')

const release = (version: string, channelFile: 'latest' | 'beta'): ReleaseInfo => ({
  version,
  channelFile,
  releaseDate: null,
  files: [{ url: 'x.exe', sha512: 'y'.repeat(88), size: 10 }],
})
const logger = { info: () => {}, warn: () => {}, error: () => {}, debug: () => {} }

beforeEach(() => {
  h.updater.removeAllListeners()
  h.updater.checks = []
  h.updater.offer = { version: '1.3.0', available: true }
  h.updater.downloadError = null
  h.updater.installs = []
})

async function rejection(p: Promise<unknown>): Promise<UpdateError> {
  try {
    await p
  } catch (e) {
    expect(e).toBeInstanceOf(UpdateError)
    return e as UpdateError
  }
  throw new Error('expected a rejection')
}

describe('the electron-updater engine', () => {
  it('is configured for the service: no auto download, no downgrade, install on quit', () => {
    createElectronUpdaterEngine({ logger, feedUrl: 'https://staging.example.cn/feed/' })
    expect(h.updater).toMatchObject({
      autoDownload: false,
      allowDowngrade: false,
      autoInstallOnAppQuit: true,
      disableWebInstaller: true,
      logger,
    })
    expect(h.updater.feed).toEqual({ provider: 'generic', url: 'https://staging.example.cn/feed/' })
  })

  it('downloads through the release’s channel file, prerelease only for beta, never downgrading', async () => {
    const engine = createElectronUpdaterEngine({ logger })
    h.updater.offer = { version: '1.4.0-beta.1', available: true }
    await engine.download(release('1.4.0-beta.1', 'beta'))
    h.updater.offer = { version: '1.3.0', available: true }
    await engine.download(release('1.3.0', 'latest'))
    expect(h.updater.checks).toEqual([
      { channel: 'beta', allowDowngrade: false, allowPrerelease: true },
      { channel: 'latest', allowDowngrade: false, allowPrerelease: false },
    ])
  })

  it('a different version on the server than the feed check saw: look again', async () => {
    const engine = createElectronUpdaterEngine({ logger })
    h.updater.offer = { version: '1.3.1', available: true }
    const e = await rejection(engine.download(release('1.3.0', 'latest')))
    expect(e).toMatchObject({ code: 'version-changed', message: updateTexts.versionChanged })
  })

  it('download failures come back mapped, and are not reported twice through onError', async () => {
    const engine = createElectronUpdaterEngine({ logger })
    const errors: unknown[] = []
    engine.onError((e) => errors.push(e))
    h.updater.downloadError = Object.assign(new Error('sha512 checksum mismatch'), {
      code: 'ERR_CHECKSUM_MISMATCH',
    })
    const e = await rejection(engine.download(release('1.3.0', 'latest')))
    expect(e.message).toBe(updateTexts.checksum)
    expect(errors).toEqual([])
  })

  it('forwards progress, and errors that arrive outside a download (install time)', async () => {
    const engine = createElectronUpdaterEngine({ logger })
    const progress: number[] = []
    const errors: UpdateError[] = []
    engine.onProgress((p) => progress.push(p.percent))
    engine.onError((e) => errors.push(e as UpdateError))
    await engine.download(release('1.3.0', 'latest'))
    expect(progress).toEqual([50])
    h.updater.emit('error', new Error('Code signature at URL file:///x did not pass validation'))
    expect(errors.map((e) => e.code)).toEqual(['signature'])
  })

  it('quitAndInstall lets main prepare the quit, then installs silently and restarts', () => {
    const beforeQuit = vi.fn()
    createElectronUpdaterEngine({ logger, beforeQuit }).quitAndInstall()
    expect(beforeQuit).toHaveBeenCalledOnce()
    expect(h.updater.installs).toEqual([[true, true]])
  })
})

describe('updateFeedUrl', () => {
  it('an override wins; development has none; a packaged app reads app-update.yml', () => {
    expect(updateFeedUrl('https://staging.example.cn/')).toBe('https://staging.example.cn/')
    h.app.isPackaged = false
    expect(updateFeedUrl()).toBeNull()
    h.app.isPackaged = true
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-resources-'))
    fs.writeFileSync(
      path.join(dir, 'app-update.yml'),
      'provider: generic\nurl: https://dl.example.cn/desk/\n',
    )
    const proc = process as NodeJS.Process & { resourcesPath?: string }
    const before = proc.resourcesPath
    proc.resourcesPath = dir
    try {
      expect(updateFeedUrl()).toBe('https://dl.example.cn/desk/')
    } finally {
      proc.resourcesPath = before as string
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
