/**
 * Auto-update, Electron-free: the channel rules (policy), the feed reader, the service the
 * renderer talks to, and the engine interface main implements with electron-updater.
 */
export { CallActivity, withCallTracking } from './call-activity'
export type { DownloadProgress, UpdaterEngine } from './engine'
export { UpdateError, toUpdateError, updateTexts, type UpdateErrorCode } from './errors'
export {
  FeedChecker,
  parseChannelFile,
  readAppUpdateConfig,
  type FeedCheck,
  type FeedCheckerOptions,
  type UpdateFeed,
} from './feed'
export {
  channelFilesFor,
  chooseUpdate,
  isAcceptable,
  isPrerelease,
  type ChannelFile,
  type ReleaseFile,
  type ReleaseInfo,
  type UpdateChannel,
} from './policy'
export {
  createUpdateService,
  defaultSchedule,
  systemClock,
  type UpdateClock,
  type UpdateSchedule,
  type UpdateService,
  type UpdateServiceDeps,
} from './update-service'
