import path from 'node:path'
import { app } from 'electron'
import Store, { type Schema } from 'electron-store'
import { AppError } from '../core/app-error'
import type { Logger, SettingsStore } from '../services/ports'
import {
  applySettingsPatch,
  loadSettingsFile,
  migrateSettings,
  SETTINGS_VERSION,
  SETTINGS_VERSION_KEY,
  settingsJsonSchema,
  toStoredSettings,
  type StoredSettings,
} from '../services/settings/settings-store'
import type { Settings } from '../../shared/settings'

// Used only when main builds the store before its logger; warnings must not vanish.
const consoleLogger: Logger = {
  info: (message, data) => console.info(message, data ?? ''),
  warn: (message, data) => console.warn(message, data ?? ''),
  error: (message, error) => console.error(message, error),
}

/**
 * The app's settings in `settings.json` under userData, through electron-store (atomic writes,
 * JSON Schema validation generated from the zod schema). Never holds a secret: those are in the
 * vault.
 *
 * Migrations run through our own migrateSettings, not electron-store's `migrations`: those are
 * keyed by the app's semver (`projectVersion`), run before a schema check that throws on (or,
 * with clearInvalidConfig, wipes) a file with one bad value, and cannot be tested outside
 * Electron. migrateSettings is pure, unit-tested in Node, repairs field by field and never
 * throws. So the file is migrated, repaired (or a damaged one moved aside) and written back by
 * loadSettingsFile before electron-store opens it, and `deserialize` runs migrateSettings again
 * on every read, so the schema check can never meet an old or invalid shape, even if the file is
 * edited by hand while the app runs.
 */
export class ElectronSettingsStore implements SettingsStore {
  readonly #store: Store<StoredSettings>
  #current: Settings

  constructor(opts: { log?: Logger; cwd?: string; name?: string } = {}) {
    const log = opts.log ?? consoleLogger
    const cwd = opts.cwd ?? app.getPath('userData')
    const name = opts.name ?? 'settings'
    loadSettingsFile(path.join(cwd, `${name}.json`), { log })
    this.#store = new Store<StoredSettings>({
      cwd,
      name,
      schema: {
        ...settingsJsonSchema.properties,
        [SETTINGS_VERSION_KEY]: { type: 'integer', minimum: 0 },
      } as unknown as Schema<StoredSettings>,
      defaults: toStoredSettings(migrateSettings(undefined).settings),
      deserialize: (text) =>
        toStoredSettings(migrateSettings(JSON.parse(text.replace(/^\uFEFF/, ''))).settings),
      // Only whole-object writes; a key is never a dotted path.
      accessPropertiesByDotNotation: false,
      clearInvalidConfig: false,
      watch: false,
    })
    const { [SETTINGS_VERSION_KEY]: _version, ...settings } = this.#store.store
    this.#current = migrateSettings(settings).settings
    log.info('settings: loaded', { file: this.#store.path, version: SETTINGS_VERSION })
  }

  get(): Settings {
    return structuredClone(this.#current)
  }

  update(patch: unknown): Settings {
    const next = applySettingsPatch(this.#current, patch)
    try {
      this.#store.store = toStoredSettings(next)
    } catch (e) {
      throw new AppError('storage', '保存设置失败，设置未更改', { cause: e })
    }
    this.#current = next
    return structuredClone(this.#current)
  }
}
