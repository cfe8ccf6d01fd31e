import semver from 'semver'
import type { Settings } from '../../../shared/settings'

/** What the agent picks in settings. */
export type UpdateChannel = Settings['updateChannel']

/**
 * The channel files electron-builder writes (generateUpdatesFilesForAllChannels): a stable
 * x.y.z release writes latest.yml and beta.yml, an x.y.z-beta.n release only beta.yml.
 */
export type ChannelFile = 'latest' | 'beta'

export interface ReleaseFile {
  url: string
  sha512: string
  size: number | null
}

/** One channel file's release, as read from the feed. */
export interface ReleaseInfo {
  version: string
  releaseDate: string | null
  /** the file it came from: the updater downloads it through the same channel */
  channelFile: ChannelFile
  files: ReleaseFile[]
}

export function isPrerelease(version: string): boolean {
  return (semver.prerelease(version)?.length ?? 0) > 0
}

/**
 * Whether a release may be offered to an agent on `channel` who runs `current`:
 * - never a downgrade, never the same version (semver order: 1.2.0-beta.2 < 1.2.0);
 * - stable never offers a prerelease, even one wrongly published to latest.yml;
 * - beta offers prereleases and stable releases alike.
 */
export function isAcceptable(
  current: string,
  channel: UpdateChannel,
  release: ReleaseInfo,
): boolean {
  if (!semver.valid(release.version) || !semver.valid(current)) return false
  if (channel === 'stable' && isPrerelease(release.version)) return false
  return semver.gt(release.version, current)
}

/** The release to offer, if any: the newest acceptable one of the channel files read. */
export function chooseUpdate(
  current: string,
  channel: UpdateChannel,
  releases: readonly (ReleaseInfo | null)[],
): ReleaseInfo | null {
  let best: ReleaseInfo | null = null
  for (const r of releases) {
    if (!r) continue
    // the stable channel reads only latest.yml: beta.yml is none of its business
    if (channel === 'stable' && r.channelFile !== 'latest') continue
    if (!isAcceptable(current, channel, r)) continue
    if (!best || semver.gt(r.version, best.version)) best = r
  }
  return best
}

/** The channel files a channel reads: stable its own; beta its own and stable's. */
export function channelFilesFor(channel: UpdateChannel): ChannelFile[] {
  return channel === 'stable' ? ['latest'] : ['beta', 'latest']
}
