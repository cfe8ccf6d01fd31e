import { join } from 'node:path'
import { app } from 'electron'
import electronUpdater from 'electron-updater'
import type { DownloadProgress, ReleaseInfo, UpdaterEngine } from '../services/updates'
import { readAppUpdateConfig, toUpdateError, UpdateError, updateTexts } from '../services/updates'

/**
 * electron-updater behind the UpdaterEngine interface. The feed check and the channel rules are
 * the Electron-free FeedChecker's; this only downloads what it chose (sha512 verified by
 * electron-updater, the publisher's signature too on Windows: app-update.yml's publisherName)
 * and hands over to the installer.
 */

// electron-updater is CommonJS and defines `autoUpdater` as a getter, which Node's ESM named
// export detection does not see: take it from the default export.
const { autoUpdater } = electronUpdater

export interface ElectronUpdaterOptions {
  logger: {
    info(m: string): void
    warn(m: string): void
    error(m: string): void
    debug(m: string): void
  }
  /** another generic feed than the builder config's publish URL (a staging server) */
  feedUrl?: string
  /** before the app quits for the installer: e.g. skip the "unsynced records" prompt */
  beforeQuit?: () => void
}

/**
 * The generic feed URL of this build: an override, else app-update.yml (written by
 * electron-builder from the config's `publish`) in the packaged app's resources. Null in
 * development, where there is nothing to update.
 */
export function updateFeedUrl(override?: string): string | null {
  if (override) return override
  if (!app.isPackaged) return null
  return readAppUpdateConfig(join(process.resourcesPath, 'app-update.yml'))?.url ?? null
}

export function createElectronUpdaterEngine(opts: ElectronUpdaterOptions): UpdaterEngine {
  const updater = autoUpdater
  updater.logger = opts.logger
  // the service decides when to download and when to install
  updater.autoDownload = false
  // a downloaded update also goes in when the agent quits (no call can be running then)
  updater.autoInstallOnAppQuit = true
  updater.allowDowngrade = false
  updater.disableWebInstaller = true
  if (opts.feedUrl) updater.setFeedURL({ provider: 'generic', url: opts.feedUrl })

  const progressListeners = new Set<(p: DownloadProgress) => void>()
  const errorListeners = new Set<(e: unknown) => void>()
  let downloading = false

  updater.on('download-progress', (p) => {
    const progress = { percent: p.percent, transferred: p.transferred, total: p.total }
    for (const l of [...progressListeners]) l(progress)
  })
  updater.on('error', (e) => {
    // during download() the rejected promise reports it; afterwards (Squirrel.Mac handing over
    // at install time) only this event does
    if (downloading) return
    for (const l of [...errorListeners]) l(toUpdateError(e))
  })

  return {
    async download(release: ReleaseInfo) {
      downloading = true
      try {
        // Setting the channel also sets allowDowngrade = true (electron-updater): undo that.
        updater.channel = release.channelFile
        updater.allowDowngrade = false
        updater.allowPrerelease = release.channelFile === 'beta'
        const result = await updater.checkForUpdates()
        if (!result) throw new UpdateError('unsupported', updateTexts.unsupported)
        // a release published between the feed check and now: let the agent look again
        if (!result.isUpdateAvailable || result.updateInfo.version !== release.version) {
          throw new UpdateError('version-changed', updateTexts.versionChanged)
        }
        await updater.downloadUpdate()
      } catch (e) {
        throw toUpdateError(e)
      } finally {
        downloading = false
      }
    },
    quitAndInstall() {
      opts.beforeQuit?.()
      // silent: the per-user one-click installer needs no questions; then start the app again
      updater.quitAndInstall(true, true)
    },
    onProgress(listener) {
      progressListeners.add(listener)
      return () => progressListeners.delete(listener)
    },
    onError(listener) {
      errorListeners.add(listener)
      return () => errorListeners.delete(listener)
    },
  }
}
