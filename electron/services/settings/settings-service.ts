import type { SettingsService } from '../../../shared/ipc/contract'
import { maskSecret, type SecretSummary, type Settings } from '../../../shared/settings'
import { AppError } from '../../core/app-error'
import type { FileDialogs, Logger, SecretKey, SettingsStore, Vault } from '../ports'
import { writeFileAtomic } from '../files/atomic-file'
import {
  asProfileError,
  parseProfile,
  profileSecretKeys,
  secretsFrom,
  settingsPatchFrom,
  type ProfileSecretKey,
} from './profile-import'
import { applySettingsPatch } from './settings-store'
import type { ProjectScriptStore } from './script-store'

/**
 * The settings over IPC: read and update the settings, the secrets masked, and the import of a
 * connection profile (read by profile-import.ts) as one all-or-nothing change of the settings
 * and the vault.
 */

export interface SettingsServiceDeps {
  store: SettingsStore
  vault: Vault
  /** never given a secret value: key names and field paths only */
  log: Logger
  /** after every successful change (update or import), e.g. to rebuild the remote clients */
  onChange?: (settings: Settings) => void
  /** the projects' 话术 and 卖点 (none kept when not given) */
  scripts?: ProjectScriptStore
  /** whether the logged-in agent has supervisor mode open: only then are scripts written */
  isSupervisor?: () => boolean
  /** where an exported profile is written */
  files?: FileDialogs
}

/** SecretSummary field → vault key. Only masked values of these ever leave main. */
const summaryKeys = {
  datacenterAppid: 'datacenter.appid',
  datacenterToken: 'datacenter.token',
  datacenterAppkey: 'datacenter.appkey',
  dataCenterOwnAppid: 'datacenter.dataCenterAppid',
  rabbitpreCompanyId: 'rabbitpre.companyId',
  miaosuanUserId: 'miaosuan.userId',
} as const satisfies Record<
  Exclude<keyof SecretSummary, 'encryptionAvailable' | 'encryptionProblem'>,
  SecretKey
>

export function createSettingsService(deps: SettingsServiceDeps): SettingsService {
  const { store, vault, log } = deps
  // Imports are read-snapshot-write-restore sequences over the vault: one at a time.
  let importQueue: Promise<unknown> = Promise.resolve()

  function changed(settings: Settings): void {
    try {
      deps.onChange?.(settings)
    } catch (e) {
      log.error('settings: change listener failed', e)
    }
  }

  async function importProfile(text: string): Promise<SecretSummary> {
    const profile = parseProfile(text)
    const patch = settingsPatchFrom(profile)
    // Everything is checked before anything is written: the settings patch too.
    try {
      applySettingsPatch(store.get(), patch)
    } catch (e) {
      throw asProfileError(e)
    }
    const status = await vault.status()
    if (!status.available) {
      throw new AppError(
        'vault',
        `无法导入连接配置：${status.problem ?? '系统不支持加密保存密钥'}（未做任何更改）`,
      )
    }

    const next = secretsFrom(profile)
    const before = new Map<ProfileSecretKey, string | null>()
    for (const key of profileSecretKeys) {
      try {
        before.set(key, await vault.get(key))
      } catch {
        // Undecryptable (e.g. the OS key changed): nothing worth restoring; a rollback deletes it.
        before.set(key, null)
      }
    }

    const touched: ProfileSecretKey[] = []
    let stage = 'scripts'
    let settings: Settings
    // the scripts a profile carries replace this desktop's, as the rest of the profile does
    const scriptsBefore = deps.scripts?.get() ?? {}
    try {
      deps.scripts?.put(profile.scripts ?? {})
      stage = 'vault'
      for (const key of profileSecretKeys) {
        touched.push(key)
        const value = next[key]
        if (value === null) await vault.delete(key)
        else await vault.set(key, value)
      }
      stage = 'settings'
      settings = store.update(patch)
    } catch (e) {
      await restore(touched, before)
      if (stage !== 'scripts') restoreScripts(scriptsBefore)
      log.warn('settings: profile import failed and was rolled back', {
        stage,
        key: stage === 'vault' ? touched.at(-1) : undefined,
        error: e instanceof AppError ? e.kind : e instanceof Error ? e.name : typeof e,
      })
      // AppError messages name keys and fields, never values; anything else is not shown.
      throw new AppError(
        e instanceof AppError ? e.kind : 'internal',
        `导入连接配置失败，已恢复原有配置：${e instanceof AppError ? e.message : '写入失败'}`,
        { cause: e },
      )
    }

    log.info('settings: connection profile imported', {
      name: profile.name ?? null,
      systems: Object.entries(settings.servers)
        .filter(([, url]) => url !== '')
        .map(([name]) => name),
    })
    changed(settings)
    return summarize(vault, log)
  }

  function restoreScripts(scripts: ReturnType<ProjectScriptStore['get']>): void {
    try {
      deps.scripts?.put(scripts)
    } catch (e) {
      log.error('settings: could not restore the project scripts after a failed import', e)
    }
  }

  function requireSupervisor(): void {
    if (!deps.isSupervisor?.()) {
      throw new AppError('forbidden', '只有主管模式下才能编辑话术', { code: 'supervisor-required' })
    }
  }

  async function exportScripts(text: string): Promise<{ file: string }> {
    requireSupervisor()
    // the profile they hand out, checked as an import would check it, with this desktop's scripts
    parseProfile(text)
    const json = JSON.parse(text.replace(/^\uFEFF/, '')) as Record<string, unknown>
    json.scripts = deps.scripts?.get() ?? {}
    const file = await deps.files?.chooseSavePath('connection-profile.json', 'json')
    if (!file) throw new AppError('invalid-args', '没有选择保存位置', { code: 'cancelled' })
    await writeFileAtomic(file, `${JSON.stringify(json, null, 2)}\n`)
    log.info('settings: scripts exported into a connection profile', {
      projects: Object.keys(json.scripts as object).length,
    })
    return { file }
  }

  async function restore(
    keys: readonly ProfileSecretKey[],
    before: ReadonlyMap<ProfileSecretKey, string | null>,
  ): Promise<void> {
    for (const key of [...keys].reverse()) {
      const value = before.get(key) ?? null
      try {
        if (value === null) await vault.delete(key)
        else await vault.set(key, value)
      } catch (e) {
        log.error(`settings: could not restore vault key ${key} after a failed import`, e)
      }
    }
  }

  return {
    async get() {
      return store.get()
    },
    async update(patch) {
      const settings = store.update(patch)
      changed(settings)
      return settings
    },
    async secrets() {
      return summarize(vault, log)
    },
    async scripts() {
      return deps.scripts?.get() ?? {}
    },
    async saveScripts({ scripts }) {
      requireSupervisor()
      if (!deps.scripts) throw new AppError('storage', '此桌面无法保存话术')
      deps.scripts.put(scripts)
      log.info('settings: project scripts saved', { projects: Object.keys(scripts).length })
      return deps.scripts.get()
    },
    exportScripts({ text }) {
      return exportScripts(text)
    },
    importProfile({ text }) {
      const run = importQueue.then(
        () => importProfile(text),
        () => importProfile(text),
      )
      importQueue = run.catch(() => undefined)
      return run
    },
  }
}

/** Masked secrets for the renderer; a secret that cannot be read shows as not set, with why. */
export async function summarize(vault: Vault, log: Logger): Promise<SecretSummary> {
  const status = await vault.status()
  let problem = status.problem
  const out: Partial<Record<keyof typeof summaryKeys, string | null>> = {}
  for (const [field, key] of Object.entries(summaryKeys) as [
    keyof typeof summaryKeys,
    SecretKey,
  ][]) {
    try {
      const value = await vault.get(key)
      out[field] = value === null ? null : maskSecret(value)
    } catch (e) {
      out[field] = null
      log.warn('settings: a stored secret cannot be read', { key })
      problem ??=
        e instanceof AppError ? e.message : `已保存的密钥 ${key} 无法读取，请重新导入连接配置`
    }
  }
  return {
    datacenterAppid: out.datacenterAppid ?? null,
    datacenterToken: out.datacenterToken ?? null,
    datacenterAppkey: out.datacenterAppkey ?? null,
    dataCenterOwnAppid: out.dataCenterOwnAppid ?? null,
    rabbitpreCompanyId: out.rabbitpreCompanyId ?? null,
    miaosuanUserId: out.miaosuanUserId ?? null,
    encryptionAvailable: status.available,
    encryptionProblem: problem,
  }
}
