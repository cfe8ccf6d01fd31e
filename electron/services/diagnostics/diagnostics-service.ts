import os from 'node:os'
import type { SyncStatus } from '../../../shared/domain'
import type { DiagnosticsService } from '../../../shared/ipc/contract'
import type { SecretSummary } from '../../../shared/settings'
import type { UpdateStatus } from '../../../shared/updates'
import { AppError } from '../../core/app-error'
import { writeFileAtomic } from '../files/atomic-file'
import { createRedactor, findLeakedSecrets, MIN_SECRET_LENGTH } from './log-redact'
import type { FileDialogs, Logger, SettingsStore } from '../ports'

export interface DiagnosticsDeps {
  files: FileDialogs
  /** app, Electron, Chrome, Node, OS… (see runtimeVersions) */
  versions: () => Record<string, string>
  settings: Pick<SettingsStore, 'get'>
  syncStatus: () => SyncStatus
  /** the tail of the log, oldest first */
  recentLogLines: () => string[]
  /** every secret value the vault holds: none of them may reach the bundle */
  secretValues: () => Promise<string[]>
  /** the vault's masked summary (settings-service's summarize): the most the bundle says */
  secretSummary?: () => Promise<SecretSummary>
  updateStatus?: () => Promise<UpdateStatus>
  log?: Logger
  now?: () => Date
  /** how many log lines go in; 500 by default */
  maxLogLines?: number
}

export const DIAGNOSTICS_FORMAT = 'callcenter-desk-diagnostics/1'

/** Versions of everything that runs the app (process.versions has electron/chrome in main). */
export function runtimeVersions(appVersion: string): Record<string, string> {
  const v = process.versions as NodeJS.ProcessVersions & { electron?: string; chrome?: string }
  const out: Record<string, string> = {
    app: appVersion,
    node: v.node,
    v8: v.v8,
    os: `${os.type()} ${os.release()}`,
    platform: `${process.platform}-${process.arch}`,
  }
  if (v.electron) out.electron = v.electron
  if (v.chrome) out.chrome = v.chrome
  return out
}

/** 20250131-083000: sortable and legal in a file name on Windows */
function stamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`
}

/**
 * "Export diagnostics" for support: one JSON file with versions, settings (never secrets), the
 * masked secret summary, sync and update status and the last log lines, all redacted: every
 * secret value the vault holds is removed wherever it appears (strings, numbers, keys), raw or
 * encoded (see secretForms). Before it is written, the text is searched for each of them once
 * more, in every form and case-insensitively; a bundle that still holds one is
 * never written, so it can be mailed safely.
 */
export function createDiagnosticsService(deps: DiagnosticsDeps): DiagnosticsService {
  const now = deps.now ?? (() => new Date())
  const maxLines = deps.maxLogLines ?? 500

  /** a section that fails says so instead of failing the whole bundle */
  async function section<T>(
    name: string,
    read: () => T | Promise<T>,
  ): Promise<T | { error: string }> {
    try {
      return await read()
    } catch (e) {
      deps.log?.warn('diagnostics: a section could not be read', { section: name })
      return { error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) }
    }
  }

  return {
    async export() {
      const createdAt = now()
      const file = await deps.files.chooseSavePath(
        `callcenter-diagnostics-${stamp(createdAt)}.json`,
        'json',
      )
      if (file === null) return { file: null, bytes: 0 }

      const secrets = (await deps.secretValues()).filter((s) => s.length >= MIN_SECRET_LENGTH)
      const redactor = createRedactor()
      redactor.addSecrets(secrets)

      const bundle = {
        format: DIAGNOSTICS_FORMAT,
        createdAt: createdAt.toISOString(),
        versions: await section('versions', deps.versions),
        settings: await section('settings', () => deps.settings.get()),
        secrets: await section('secrets', () => deps.secretSummary?.() ?? null),
        sync: await section('sync', deps.syncStatus),
        updates: await section('updates', () => deps.updateStatus?.() ?? null),
        log: await section('log', () => {
          const lines = deps.recentLogLines().slice(-maxLines)
          return { lines: lines.map((l) => redactor.text(l)) }
        }),
      }
      const text = JSON.stringify(redactor.value(bundle), null, 2)

      // The assertion: the redactor removed every registered value, in every encoding, from
      // strings, numbers and keys. One still found (any form, any case) spans the JSON itself;
      // nothing is written then.
      const leaked = findLeakedSecrets(text, secrets)
      if (leaked.length > 0) {
        deps.log?.error(
          `diagnostics: ${leaked.length} secret value(s) left in the bundle; not written`,
        )
        throw new AppError('internal', '诊断信息中含有无法去除的密钥，已取消导出，请联系支持')
      }

      try {
        await writeFileAtomic(file, text, 0o600)
      } catch (e) {
        throw new AppError(
          'storage',
          `无法保存诊断信息：${(e as NodeJS.ErrnoException).code ?? '写入失败'}`,
          {
            cause: e,
          },
        )
      }
      const bytes = Buffer.byteLength(text, 'utf8')
      deps.log?.info('diagnostics: bundle exported', { bytes })
      return { file, bytes }
    },
  }
}
