import type { EventName, EventPayload } from '../../shared/ipc/contract'
import type { ConnectionProfile } from '../../shared/connection-profile'
import type { Settings, SettingsPatch } from '../../shared/settings'

/**
 * What the services need from their host. Main provides Electron implementations (safeStorage,
 * electron-store, shell); tests and the web bridge provide Node ones. No `electron` import here.
 */

export const secretKeys = [
  'password',
  'datacenter.appid',
  'datacenter.token',
  'datacenter.appkey',
  'datacenter.dataCenterAppid',
  'rabbitpre.companyId',
  'rabbitpre.instanceAppid',
  'miaosuan.userId',
  /** kept beside the remembered password so the login form can be pre-filled */
  'login.userNum',
  /** the agent's SIP password for the built-in softphone */
  'softphone.password',
] as const
export type SecretKey = (typeof secretKeys)[number]

export interface VaultStatus {
  available: boolean
  /** why secrets cannot be stored (Chinese, for the user), when not available */
  problem: string | null
}

/** Encrypted storage for secrets. Values never leave main. */
export interface Vault {
  status(): Promise<VaultStatus>
  get(key: SecretKey): Promise<string | null>
  /** refuses (AppError kind 'vault') when encryption is unavailable */
  set(key: SecretKey, value: string): Promise<void>
  delete(key: SecretKey): Promise<void>
}

/** Settings with schema, defaults and migrations; the renderer reaches them via the service. */
export interface SettingsStore {
  get(): Settings
  /** validates, merges and persists; throws AppError 'invalid-settings' naming the field */
  update(patch: SettingsPatch): Settings
}

/** Opens a tel:/sip:/callto: URI (Electron: shell.openExternal after validation). */
export interface Dialer {
  open(uri: string): Promise<void>
}

/** Never give it secrets; it may be written to disk and to diagnostics bundles. */
export interface Logger {
  info(message: string, data?: Record<string, unknown>): void
  warn(message: string, data?: Record<string, unknown>): void
  error(message: string, error?: unknown): void
}

/** Where exports go and imports come from (Electron: native dialogs; bridge/tests: folders). */
export interface FileDialogs {
  /** a path to write to, or null when the user cancels */
  chooseSavePath(defaultName: string, format: 'csv' | 'xlsx' | 'json'): Promise<string | null>
  /** a call-log file to import, or null when the user cancels */
  chooseOpenPath(formats: ('csv' | 'xlsx')[]): Promise<string | null>
  /**
   * Call-log files to import: several files, or folders (whose files the caller reads); empty
   * when the user cancels
   */
  chooseOpenPaths(formats: ('csv' | 'xlsx')[], pick: 'files' | 'folder'): Promise<string[]>
}

/** Sends a contract event to the renderer (main: validated, then to every window). */
export type EmitEvent = <E extends EventName>(event: E, payload: EventPayload<E>) => void

/** The training servers (the embedded sandbox), started by the host on first use. */
export interface TrainingServers {
  /** the profile that points the app at them */
  profile: ConnectionProfile
  close(): Promise<void>
}
export type StartTraining = () => Promise<TrainingServers>
