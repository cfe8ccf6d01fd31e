import { z } from 'zod'
import { connectionProfileSchema, type ConnectionProfile } from '../../../shared/connection-profile'
import type { SettingsService } from '../../../shared/ipc/contract'
import {
  maskSecret,
  type SecretSummary,
  type Settings,
  type SettingsPatch,
} from '../../../shared/settings'
import { AppError } from '../../core/app-error'
import type { Logger, SecretKey, SettingsStore, Vault } from '../ports'
import { applySettingsPatch } from './settings-store'

export interface SettingsServiceDeps {
  store: SettingsStore
  vault: Vault
  /** never given a secret value: key names and field paths only */
  log: Logger
  /** after every successful change (update or import), e.g. to rebuild the remote clients */
  onChange?: (settings: Settings) => void
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

/** The vault keys a connection profile sets; an import replaces all of them (see below). */
const profileSecretKeys = [
  'datacenter.appid',
  'datacenter.token',
  'datacenter.appkey',
  'datacenter.dataCenterAppid',
  'rabbitpre.companyId',
  'rabbitpre.instanceAppid',
  'miaosuan.userId',
] as const satisfies readonly SecretKey[]
type ProfileSecretKey = (typeof profileSecretKeys)[number]

/** A settings field an import writes → where it came from in the profile, for error messages. */
const profileFieldOf: Record<string, string> = {
  'servers.weixin': 'weixin.baseUrl',
  'servers.datacenter': 'datacenter.endpoint',
  'servers.cdp': 'cdp.baseUrl',
  'servers.rabbitpre': 'rabbitpre.baseUrl',
  'servers.miaosuan': 'miaosuan.baseUrl',
  machineNo: 'weixin.machineNo',
  cdpHostHeader: 'cdp.hostHeader',
}

const zhErrors = z.locales.zhCN().localeError

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
    let stage = 'vault'
    let settings: Settings
    try {
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

// ---------------------------------------------------------------------------------------------

/** JSON text → a valid profile, or AppError('invalid-settings') naming where and what. */
export function parseProfile(text: string): ConnectionProfile {
  const body = text.replace(/^\uFEFF/, '')
  if (body.trim() === '') {
    throw new AppError('invalid-settings', '连接配置文件是空的')
  }
  let json: unknown
  try {
    json = JSON.parse(body)
  } catch {
    // JSON.parse's own message quotes the text around the error, which may be a secret: the
    // position is computed here instead.
    const at = locateJsonError(body)
    const where = at ? `（第 ${at.line} 行第 ${at.column} 列附近）` : ''
    throw new AppError('invalid-settings', `连接配置文件不是有效的 JSON${where}`, {
      code: 'invalid-json',
    })
  }
  const parsed = connectionProfileSchema.safeParse(json, { error: zhErrors })
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]
  const field = issue ? issue.path.map(String).join('.') : ''
  const reason = issue?.message ?? '内容无效'
  throw new AppError(
    'invalid-settings',
    field ? `连接配置中「${field}」无效：${reason}` : `连接配置格式不正确：${reason}`,
    { field },
  )
}

/**
 * Import replaces the connection configuration as a whole: a system the profile leaves out is
 * no longer configured (empty URL, its secrets deleted), so nothing stale from an earlier
 * profile is sent to a server the administrator no longer lists.
 */
function settingsPatchFrom(p: ConnectionProfile): SettingsPatch {
  return {
    trainingMode: false,
    machineNo: p.weixin.machineNo,
    cdpHostHeader: p.cdp?.hostHeader ?? '',
    servers: {
      weixin: p.weixin.baseUrl,
      datacenter: p.datacenter?.endpoint ?? '',
      cdp: p.cdp?.baseUrl ?? '',
      rabbitpre: p.rabbitpre?.baseUrl ?? '',
      miaosuan: p.miaosuan?.baseUrl ?? '',
    },
  }
}

function secretsFrom(p: ConnectionProfile): Record<ProfileSecretKey, string | null> {
  return {
    'datacenter.appid': p.datacenter?.appid ?? null,
    'datacenter.token': p.datacenter?.token ?? null,
    'datacenter.appkey': p.datacenter?.appkey ?? null,
    'datacenter.dataCenterAppid': p.datacenter?.dataCenterAppid ?? null,
    'rabbitpre.companyId': p.rabbitpre?.companyId ?? null,
    'rabbitpre.instanceAppid': p.rabbitpre?.instanceAppid ?? null,
    'miaosuan.userId': p.miaosuan ? String(p.miaosuan.userId) : null,
  }
}

/** A settings error from an import names the profile's field, which is what the admin edits. */
function asProfileError(e: unknown): unknown {
  if (!(e instanceof AppError) || e.field === undefined) return e
  const field = profileFieldOf[e.field] ?? e.field
  const detail = e.message.replace(/^[^：]*：/, '')
  return new AppError('invalid-settings', `连接配置中「${field}」无效：${detail}`, {
    field,
    cause: e,
  })
}

/**
 * Line and column (1-based) of the first syntax error in JSON text, by a small scanner that
 * follows the JSON grammar; null when it cannot tell.
 */
export function locateJsonError(text: string): { line: number; column: number } | null {
  const offset = jsonErrorOffset(text)
  if (offset === null) return null
  const before = text.slice(0, offset)
  const line = before.split('\n').length
  const column = offset - (before.lastIndexOf('\n') + 1) + 1
  return { line, column }
}

class JsonSyntaxAt {
  constructor(readonly offset: number) {}
}

function jsonErrorOffset(text: string): number | null {
  let i = 0
  const fail = (): never => {
    throw new JsonSyntaxAt(i)
  }
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i] as string)) i++
  }
  const literal = (word: string): void => {
    for (const ch of word) {
      if (text[i] !== ch) fail()
      i++
    }
  }
  const string = (): void => {
    i++ // opening quote
    for (;;) {
      const ch = text[i]
      if (ch === undefined || ch < ' ') fail()
      if (ch === '"') {
        i++
        return
      }
      if (ch === '\\') {
        i++
        const esc = text[i]
        if (esc === 'u') {
          for (let k = 1; k <= 4; k++) {
            if (!/[0-9a-fA-F]/.test(text[i + k] ?? '')) {
              i += k
              fail()
            }
          }
          i += 5
        } else if (esc !== undefined && '"\\/bfnrt'.includes(esc)) i++
        else fail()
      } else i++
    }
  }
  const number = (): void => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i))
    if (!m) fail()
    i += (m as RegExpExecArray)[0].length
  }
  const value = (): void => {
    ws()
    const ch = text[i]
    if (ch === '{') {
      i++
      ws()
      if (text[i] === '}') {
        i++
        return
      }
      for (;;) {
        ws()
        if (text[i] !== '"') fail()
        string()
        ws()
        if (text[i] !== ':') fail()
        i++
        value()
        ws()
        if (text[i] === ',') i++
        else if (text[i] === '}') {
          i++
          return
        } else fail()
      }
    }
    if (ch === '[') {
      i++
      ws()
      if (text[i] === ']') {
        i++
        return
      }
      for (;;) {
        value()
        ws()
        if (text[i] === ',') i++
        else if (text[i] === ']') {
          i++
          return
        } else fail()
      }
    }
    if (ch === '"') return string()
    if (ch === 't') return literal('true')
    if (ch === 'f') return literal('false')
    if (ch === 'n') return literal('null')
    if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) return number()
    fail()
  }
  try {
    value()
    ws()
    if (i < text.length) fail()
    return null
  } catch (e) {
    // anything but our marker (a stack overflow on absurd nesting) means "cannot tell"
    return e instanceof JsonSyntaxAt ? Math.min(e.offset, text.length) : null
  }
}
