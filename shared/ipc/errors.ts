import type { RemoteErrorInfo, RemoteErrorKind } from '../remote-error'

/**
 * Every failure that crosses IPC. Remote failures keep their RemoteErrorInfo; the IPC door adds
 * its own kinds. `message` is always Chinese text the screen can show as it is.
 */
export type AppErrorKind =
  | RemoteErrorKind
  /** the arguments failed the contract's schema (field names the first bad one) */
  | 'invalid-args'
  /** a channel the contract does not know */
  | 'unknown-channel'
  /** the sender frame is not the app's own page */
  | 'forbidden'
  /** the method needs a logged-in agent */
  | 'not-logged-in'
  /** the OS cannot encrypt secrets, or the vault failed */
  | 'vault'
  /** a settings or profile value was rejected */
  | 'invalid-settings'
  /** local storage failed (disk full, read-only, damaged) */
  | 'storage'
  /** the rules for marketing calls refuse this dial (勿扰, calling hours, attempts); code names which */
  | 'dial-refused'
  /** a bug: logged in main, shown as a generic message */
  | 'internal'

export interface AppErrorInfo extends Omit<RemoteErrorInfo, 'kind' | 'system'> {
  kind: AppErrorKind
  system?: RemoteErrorInfo['system']
  /**
   * the values in `message` (a time, a count, a status) for the screen's own wording of `code`:
   * the English UI words main's errors by code (mainCodes.*) and keeps `message` for Chinese
   */
  params?: Record<string, string | number>
}

export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: AppErrorInfo }
