import { parse as parseJsonc, type ParseError } from 'jsonc-parser'
import { z } from 'zod'
import { connectionProfileSchema, type ConnectionProfile } from '../../../shared/connection-profile'
import type { SettingsPatch } from '../../../shared/settings'
import { AppError } from '../../core/app-error'
import type { SecretKey } from '../ports'

/**
 * A connection profile (the JSON file an administrator hands out) as an import reads it: parsed
 * and checked, with errors that name the profile's line or field, and turned into the settings
 * patch and the vault secrets it stands for. The settings service writes them.
 */

/** The vault keys a connection profile sets; an import replaces all of them (see below). */
export const profileSecretKeys = [
  'datacenter.appid',
  'datacenter.token',
  'datacenter.appkey',
  'datacenter.dataCenterAppid',
  'rabbitpre.companyId',
  'rabbitpre.instanceAppid',
  'miaosuan.userId',
] as const satisfies readonly SecretKey[]
export type ProfileSecretKey = (typeof profileSecretKeys)[number]

/** A settings field an import writes → where it came from in the profile, for error messages. */
const profileFieldOf: Record<string, string> = {
  'servers.weixin': 'weixin.baseUrl',
  'servers.datacenter': 'datacenter.endpoint',
  'servers.cdp': 'cdp.baseUrl',
  'servers.rabbitpre': 'rabbitpre.baseUrl',
  'servers.miaosuan': 'miaosuan.baseUrl',
  machineNo: 'weixin.machineNo',
  cdpHostHeader: 'cdp.hostHeader',
  cdpProjects: 'cdp.projects',
}

const zhErrors = z.locales.zhCN().localeError

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
    // JSON.parse's own message quotes the text around the error, which may be a secret: only
    // the position is shown.
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
 * Line and column (1-based) of the first syntax error in JSON text; null when there is none.
 * JSON.parse gives no position for some errors (an unexpected token), so jsonc-parser's scanner,
 * held to strict JSON, finds it.
 */
export function locateJsonError(text: string): { line: number; column: number } | null {
  const errors: ParseError[] = []
  parseJsonc(text, errors, {
    disallowComments: true,
    allowTrailingComma: false,
    allowEmptyContent: false,
  })
  const first = errors[0]
  if (!first) return null
  const offset = Math.min(first.offset, text.length)
  const before = text.slice(0, offset)
  const line = before.split('\n').length
  const column = offset - (before.lastIndexOf('\n') + 1) + 1
  return { line, column }
}

/**
 * Import replaces the connection configuration as a whole: a system the profile leaves out is
 * no longer configured (empty URL, its secrets deleted), so nothing stale from an earlier
 * profile is sent to a server the administrator no longer lists.
 */
export function settingsPatchFrom(p: ConnectionProfile): SettingsPatch {
  return {
    trainingMode: false,
    machineNo: p.weixin.machineNo,
    cdpHostHeader: p.cdp?.hostHeader ?? '',
    cdpProjects: p.cdp?.projects ?? {},
    servers: {
      weixin: p.weixin.baseUrl,
      datacenter: p.datacenter?.endpoint ?? '',
      cdp: p.cdp?.baseUrl ?? '',
      rabbitpre: p.rabbitpre?.baseUrl ?? '',
      miaosuan: p.miaosuan?.baseUrl ?? '',
    },
  }
}

/** The vault's new value for every profile key; null: the key is deleted. */
export function secretsFrom(p: ConnectionProfile): Record<ProfileSecretKey, string | null> {
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
export function asProfileError(e: unknown): unknown {
  if (!(e instanceof AppError) || e.field === undefined) return e
  const field = profileFieldOf[e.field] ?? e.field
  const detail = e.message.replace(/^[^：]*：/, '')
  return new AppError('invalid-settings', `连接配置中「${field}」无效：${detail}`, {
    field,
    cause: e,
  })
}
