import fs from 'node:fs'
import { isDeepStrictEqual } from 'node:util'
import { z } from 'zod'
import { remoteSystemNames } from '../../../shared/remote-error'
import { softphoneV4Defaults } from '../../../shared/softphone-defaults'
import {
  defaultSettings,
  serverUrlsSchema,
  settingsPatchSchema,
  settingsSchema,
  type Settings,
} from '../../../shared/settings'
import { AppError } from '../../core/app-error'
import { moveAsideSync, writeFileAtomicSync } from '../files/atomic-file'
import type { Logger, SettingsStore } from '../ports'

/*
 * The settings file is `{ settingsVersion: N, ...settings }`. History of its shape (each step is
 * a pure function in `settingsMigrations`; never edit a released step, add a new one):
 *
 * v0  pilot builds, no `settingsVersion`: flat `serverUrl` (the outbound-call service, the only
 *     server then), `lockMinutes` (stored as text straight from the input box in early pilots),
 *     `sandbox` (training mode), `dialPrefix` ('tel' | 'sip' | 'callto'), `machineNo`,
 *     `language` ('zh' | 'en'), `betaUpdates`.
 * v1  one URL per remote system: `servers: {weixin, datacenter}`; `idleLockMinutes`;
 *     `trainingMode`; `dialTemplate` ('sip:{phone}') replaces the prefix, as some PBXs need more
 *     than a scheme (e.g. 'sip:9{phone}@pbx').
 * v2  the enrichment systems: `servers.cdp/rabbitpre/miaosuan`, and `cdpHostHeader` (the CDP
 *     gateway routes by Host header, not by URL).
 * v3  `updateChannel` ('stable' | 'beta') replaces `betaUpdates`; `maskPhones`; `language`
 *     becomes a BCP 47 tag ('zh-CN' | 'en-US').
 * v4  the softphone (optional `softphone`, added without a step while the phone was new) gains
 *     `microphoneId`, `speakerId`, `echoExtension`, `progressiveProjects`, `previewSeconds`:
 *     filled in here, or the whole softphone section (the PBX address!) would fail the schema and
 *     fall back to its defaults.
 *
 * Steps only move or rename what is there and keep every key they do not know; filling in
 * defaults and repairing bad values is done once, after the last step, field by field.
 */

export const SETTINGS_VERSION_KEY = 'settingsVersion'

type Data = Record<string, unknown>

export interface SettingsMigration {
  from: number
  to: number
  description: string
  migrate(data: Data): Data
}

function isRecord(v: unknown): v is Data {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

export const settingsMigrations: readonly SettingsMigration[] = [
  {
    from: 0,
    to: 1,
    description: 'flat serverUrl/lockMinutes/sandbox/dialPrefix → servers, idleLockMinutes, …',
    migrate(data) {
      const { serverUrl, lockMinutes, sandbox, dialPrefix, ...rest } = data
      const out: Data = { ...rest }
      if (serverUrl !== undefined) {
        const servers = isRecord(rest.servers) ? rest.servers : {}
        out.servers = { datacenter: '', ...servers, weixin: serverUrl }
      }
      if (lockMinutes !== undefined && rest.idleLockMinutes === undefined) {
        out.idleLockMinutes =
          typeof lockMinutes === 'string' && /^\s*\d+\s*$/.test(lockMinutes)
            ? Number(lockMinutes)
            : lockMinutes
      }
      if (sandbox !== undefined && rest.trainingMode === undefined) out.trainingMode = sandbox
      if (typeof dialPrefix === 'string' && rest.dialTemplate === undefined) {
        out.dialTemplate = `${dialPrefix.trim().replace(/:$/, '')}:{phone}`
      }
      return out
    },
  },
  {
    from: 1,
    to: 2,
    description: 'servers.cdp/rabbitpre/miaosuan and cdpHostHeader for the enrichment systems',
    migrate(data) {
      const servers = isRecord(data.servers) ? data.servers : {}
      return {
        ...data,
        servers: { cdp: '', rabbitpre: '', miaosuan: '', ...servers },
        cdpHostHeader: data.cdpHostHeader ?? '',
      }
    },
  },
  {
    from: 2,
    to: 3,
    description: 'betaUpdates → updateChannel, maskPhones, language zh/en → zh-CN/en-US',
    migrate(data) {
      const { betaUpdates, ...out } = data
      if (out.updateChannel === undefined && betaUpdates !== undefined) {
        out.updateChannel = betaUpdates === true ? 'beta' : 'stable'
      }
      out.maskPhones ??= false
      if (out.language === 'zh') out.language = 'zh-CN'
      if (out.language === 'en') out.language = 'en-US'
      return out
    },
  },
  {
    from: 3,
    to: 4,
    description: 'softphone: audio devices, echo extension, progressive mode',
    migrate(data) {
      if (!isRecord(data.softphone)) return data
      return { ...data, softphone: { ...softphoneV4Defaults, ...data.softphone } }
    },
  },
]

/** The version the current code writes. */
export const SETTINGS_VERSION = settingsMigrations.length

export interface MigrationResult {
  /** valid, current settings */
  settings: Settings
  /** the version of `settings`, i.e. SETTINGS_VERSION: write it beside them */
  version: number
  /** the version found in the input (0: unversioned); null when the input was not an object */
  fromVersion: number | null
  /** fields that held an invalid value and fell back to the default ('servers.cdp', …) */
  repaired: string[]
}

/**
 * Brings anything read from disk to valid current Settings. Never throws and never drops a
 * valid field: unknown versions/shapes are repaired field by field, each bad or missing field
 * taking its default. A file from a newer version runs no step and keeps what it can.
 */
export function migrateSettings(raw: unknown): MigrationResult {
  if (!isRecord(raw)) {
    return {
      settings: structuredClone(defaultSettings),
      version: SETTINGS_VERSION,
      fromVersion: null,
      repaired: [],
    }
  }
  const stated = raw[SETTINGS_VERSION_KEY]
  const fromVersion =
    typeof stated === 'number' && Number.isInteger(stated) && stated >= 0 ? stated : 0
  let data: Data = { ...raw }
  delete data[SETTINGS_VERSION_KEY]
  for (const step of settingsMigrations) {
    if (step.from < fromVersion) continue
    try {
      data = step.migrate(data)
    } catch {
      // A step is pure and total by design; should one still throw, repair what there is.
    }
  }
  const { settings, repaired } = repairSettings(data)
  return { settings, version: SETTINGS_VERSION, fromVersion, repaired }
}

function repairSettings(data: Data): { settings: Settings; repaired: string[] } {
  const repaired: string[] = []
  const out: Data = {}
  const shape = settingsSchema.shape
  for (const key of Object.keys(shape) as (keyof Settings)[]) {
    if (key === 'servers') {
      const given = data.servers
      if (given !== undefined && !isRecord(given)) repaired.push('servers')
      const servers: Data = {}
      for (const name of Object.keys(serverUrlsSchema.shape) as (keyof Settings['servers'])[]) {
        const value = isRecord(given) ? given[name] : undefined
        const parsed = serverUrlsSchema.shape[name].safeParse(value)
        if (parsed.success) servers[name] = parsed.data
        else {
          if (value !== undefined) repaired.push(`servers.${name}`)
          servers[name] = defaultSettings.servers[name]
        }
      }
      out.servers = servers
      continue
    }
    const value = data[key]
    const parsed = shape[key].safeParse(value)
    if (parsed.success) out[key] = parsed.data
    else {
      if (value !== undefined) repaired.push(key)
      out[key] = structuredClone(defaultSettings[key])
    }
  }
  const checked = settingsSchema.safeParse(out)
  // Cannot fail (every field was checked or defaulted); the fallback keeps "never throws" true.
  return checked.success
    ? { settings: checked.data, repaired }
    : { settings: structuredClone(defaultSettings), repaired: Object.keys(shape) }
}

// ---------------------------------------------------------------------------------------------

const fieldLabels: Record<string, string> = {
  trainingMode: '培训模式',
  servers: '服务器地址',
  ...Object.fromEntries(
    Object.entries(remoteSystemNames).map(([k, name]) => [`servers.${k}`, `${name}地址`]),
  ),
  machineNo: '机器码',
  cdpHostHeader: 'CDP 主机头（Host）',
  dialTemplate: '拨号模板',
  language: '界面语言',
  maskPhones: '号码脱敏',
  updateChannel: '更新通道',
  idleLockMinutes: '空闲锁定时间（分钟）',
}

/** '拨号模板（dialTemplate）': what the agent sees and what a developer greps for. */
export function settingsFieldLabel(field: string): string {
  const label = fieldLabels[field]
  return label ? `${label}（${field}）` : field
}

// Built-in zod messages in Chinese whatever the global config (the dispatcher sets it too).
const zhErrors = z.locales.zhCN().localeError

/** The AppError('invalid-settings') for a zod failure, naming its first bad field. */
export function settingsIssueError(error: z.ZodError): AppError {
  const issue = error.issues[0]
  let field = issue ? issue.path.map(String).join('.') : ''
  if (issue?.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? ''
    field = field ? `${field}.${key}` : key
    return new AppError('invalid-settings', `未知的设置项：${field}`, { field })
  }
  const text = issue?.message ?? '值无效'
  const message = field
    ? `设置项「${settingsFieldLabel(field)}」无效：${text}`
    : `设置无效：${text}`
  return new AppError('invalid-settings', message, { field })
}

/**
 * Validates a patch (the renderer's, or an import's) and merges it; `servers` merges per
 * system. Throws AppError('invalid-settings', …, {field}) naming the first bad field.
 */
export function applySettingsPatch(current: Settings, patch: unknown): Settings {
  const parsed = settingsPatchSchema.safeParse(patch, { error: zhErrors })
  if (!parsed.success) throw settingsIssueError(parsed.error)
  const { servers, ...rest } = parsed.data
  const merged = { ...current, ...rest, servers: { ...current.servers, ...servers } }
  const checked = settingsSchema.safeParse(merged, { error: zhErrors })
  if (!checked.success) throw settingsIssueError(checked.error)
  return checked.data
}

// ---------------------------------------------------------------------------------------------

export interface SettingsJsonSchema {
  type: 'object'
  properties: Record<keyof Settings, Record<string, unknown>>
  required: string[]
  additionalProperties?: boolean
}

/**
 * Settings as JSON Schema, generated from the zod schema so the two never drift (electron-store
 * validates its file with it). Refinements (URL, {phone}) cannot be expressed and stay with zod.
 */
export const settingsJsonSchema: SettingsJsonSchema = (() => {
  const { $schema: _draft, ...schema } = z.toJSONSchema(settingsSchema) as Record<string, unknown>
  return schema as unknown as SettingsJsonSchema
})()

export type StoredSettings = Settings & { [SETTINGS_VERSION_KEY]: number }

export function toStoredSettings(settings: Settings): StoredSettings {
  return { [SETTINGS_VERSION_KEY]: SETTINGS_VERSION, ...settings }
}

export interface SettingsFileOptions {
  log: Logger
  now?: () => Date
}

/**
 * Reads a settings file for a store: a damaged file (not JSON, not an object) is moved aside to
 * `*.corrupt-<timestamp>` and defaults are used; an old or partly invalid one is migrated,
 * repaired and written back (atomically) so the file on disk is current and valid. Never throws.
 */
export function loadSettingsFile(file: string, opts: SettingsFileOptions): MigrationResult {
  const { log } = opts
  let text: string
  try {
    text = fs.readFileSync(file, 'utf8')
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    if (code !== 'ENOENT')
      log.warn('settings: cannot read the file, using defaults', { file, code })
    return migrateSettings(undefined)
  }
  let raw: unknown
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''))
  } catch {
    raw = undefined
  }
  if (!isRecord(raw)) {
    const movedTo = moveAsideSync(file, (opts.now ?? (() => new Date()))())
    log.warn('settings: damaged file moved aside, using defaults', { file, movedTo })
    return migrateSettings(undefined)
  }
  const result = migrateSettings(raw)
  if (result.repaired.length > 0) {
    log.warn('settings: invalid values replaced by defaults', { fields: result.repaired })
  }
  if (result.fromVersion !== null && result.fromVersion > SETTINGS_VERSION) {
    // Written by a newer version: leave the file alone until the agent changes something, so
    // going back to that version loses nothing by merely opening this one.
    log.warn('settings: file is from a newer version', {
      fileVersion: result.fromVersion,
      version: SETTINGS_VERSION,
    })
    return result
  }
  const stored = toStoredSettings(result.settings)
  if (!isDeepStrictEqual(raw, stored)) {
    try {
      writeFileAtomicSync(file, serializeSettings(result.settings), 0o644)
      if (result.fromVersion !== SETTINGS_VERSION) {
        log.info('settings: migrated', { from: result.fromVersion, to: SETTINGS_VERSION })
      }
    } catch (e) {
      // The migrated settings still apply for this run; the next start migrates again.
      log.warn('settings: cannot write the migrated file', { file, code: errnoOf(e) })
    }
  }
  return result
}

export function serializeSettings(settings: Settings): string {
  return `${JSON.stringify(toStoredSettings(settings), null, 2)}\n`
}

function errnoOf(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | undefined)?.code
}

/** For tests and tools: migrates its initial value, keeps everything in memory. */
export class MemorySettingsStore implements SettingsStore {
  #current: Settings

  constructor(initial?: unknown) {
    this.#current = migrateSettings(initial ?? defaultSettings).settings
  }

  get(): Settings {
    return structuredClone(this.#current)
  }

  update(patch: unknown): Settings {
    this.#current = applySettingsPatch(this.#current, patch)
    return structuredClone(this.#current)
  }
}

/** Settings in a JSON file (web bridge, Node tools): migrated on load, replaced atomically. */
export class JsonFileSettingsStore implements SettingsStore {
  readonly file: string
  #current: Settings

  constructor(opts: { file: string } & SettingsFileOptions) {
    this.file = opts.file
    this.#current = loadSettingsFile(opts.file, opts).settings
  }

  get(): Settings {
    return structuredClone(this.#current)
  }

  update(patch: unknown): Settings {
    const next = applySettingsPatch(this.#current, patch)
    try {
      writeFileAtomicSync(this.file, serializeSettings(next), 0o644)
    } catch (e) {
      throw new AppError('storage', `保存设置失败（${errnoOf(e) ?? '写入错误'}），设置未更改`, {
        cause: e,
      })
    }
    this.#current = next
    return structuredClone(this.#current)
  }
}
