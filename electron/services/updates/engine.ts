import type { ReleaseInfo } from './policy'

export interface DownloadProgress {
  /** 0–100 */
  percent: number
  transferred: number
  total: number
}

/**
 * What downloads and installs an update. Main implements it with electron-updater (sha512
 * verification, and on Windows the publisher's signature, are built in there); tests use a fake.
 * The decision what to download is not the engine's: the feed and the channel rules made it.
 */
export interface UpdaterEngine {
  /**
   * Downloads `release` through its channel file and verifies it. Resolves when it is ready to
   * install; rejects with the failure (mapped by toUpdateError), e.g. a hash mismatch.
   */
  download(release: ReleaseInfo): Promise<void>
  /** Quits the app and runs the installer; the app starts again in the new version. */
  quitAndInstall(): void
  /** download progress events; returns the unsubscribe */
  onProgress(listener: (progress: DownloadProgress) => void): () => void
  /** failures outside a download() call (Squirrel.Mac at install time); returns the unsubscribe */
  onError(listener: (error: unknown) => void): () => void
}
