import { z } from 'zod'
import { FIELD_MAX } from './fields'
import { softphoneSettingsSchema } from './softphone-settings'

/**
 * The app's settings as the renderer sees and edits them. They hold no secret: the Data Center
 * token/appkey, the enrichment keys and a remembered password live in main's vault.
 */

const optionalUrl = z
  .string()
  .trim()
  .max(512)
  .refine((s) => {
    if (s === '') return true
    try {
      const u = new URL(s)
      return u.protocol === 'http:' || u.protocol === 'https:'
    } catch {
      return false
    }
  }, '必须为空或以 http:// / https:// 开头的地址')

export const dialSchemes = ['tel', 'sip', 'callto'] as const

export const dialTemplateSchema = z
  .string()
  .trim()
  .max(200)
  .refine((s) => s.includes('{phone}'), '拨号模板必须包含 {phone}')
  .refine(
    (s) => dialSchemes.some((scheme) => s.toLowerCase().startsWith(`${scheme}:`)),
    '拨号模板只能以 tel:、sip: 或 callto: 开头',
  )

export const serverUrlsSchema = z.object({
  weixin: optionalUrl,
  datacenter: optionalUrl,
  cdp: optionalUrl,
  rabbitpre: optionalUrl,
  miaosuan: optionalUrl,
})

export const settingsSchema = z.object({
  /** 培训模式: talk to the embedded sandbox instead of the configured servers */
  trainingMode: z.boolean(),
  servers: serverUrlsSchema,
  machineNo: z.string().trim().min(1, '机器码不能为空').max(FIELD_MAX.machineNo),
  cdpHostHeader: z.string().trim().max(255),
  /** the CDP's project id per weixin pro_id, from the imported connection profile */
  cdpProjects: z.record(z.string().max(16), z.string().max(64)).optional(),
  dialTemplate: dialTemplateSchema,
  language: z.enum(['zh-CN', 'en-US']),
  maskPhones: z.boolean(),
  updateChannel: z.enum(['stable', 'beta']),
  /** 0 turns the idle lock off */
  idleLockMinutes: z.number().int().min(0, '不能为负数').max(240, '最多 240 分钟'),
  /**
   * numbers held ahead of the one on screen (absent = HOLD_AHEAD_DEFAULT): quick outcomes never
   * wait for getphone, and calling goes on through a short outage
   */
  holdAhead: z.number().int().min(1, '至少 1 个').max(10, '最多 10 个').optional(),
  /** the built-in softphone; absent = the defaults (off): see softphoneOf */
  softphone: softphoneSettingsSchema.optional(),
})
export type Settings = z.infer<typeof settingsSchema>

export const settingsPatchSchema = settingsSchema
  .omit({ servers: true })
  .partial()
  .extend({ servers: serverUrlsSchema.partial().optional() })
  .strict()
export type SettingsPatch = z.infer<typeof settingsPatchSchema>

export const defaultSettings: Settings = {
  trainingMode: true,
  servers: { weixin: '', datacenter: '', cdp: '', rabbitpre: '', miaosuan: '' },
  machineNo: 'weixin',
  cdpHostHeader: '',
  dialTemplate: 'tel:{phone}',
  language: 'zh-CN',
  maskPhones: false,
  updateChannel: 'stable',
  idleLockMinutes: 15,
}

/** What the renderer may know about stored secrets: whether each is set, and a masked hint. */
export const secretSummarySchema = z.object({
  datacenterAppid: z.string().nullable(),
  datacenterToken: z.string().nullable(),
  datacenterAppkey: z.string().nullable(),
  dataCenterOwnAppid: z.string().nullable(),
  rabbitpreCompanyId: z.string().nullable(),
  miaosuanUserId: z.string().nullable(),
  /** false when the OS offers no real encryption (then no secret is stored) */
  encryptionAvailable: z.boolean(),
  encryptionProblem: z.string().nullable(),
})
export type SecretSummary = z.infer<typeof secretSummarySchema>

export { maskPhone } from './values'

/** Shows that a secret is set without revealing it: first and last character at most. */
export function maskSecret(secret: string): string {
  // a fixed run of stars: the hint must not tell the secret's length either
  if (secret.length < 8) return '********'
  return `${secret.slice(0, 1)}********${secret.slice(-1)}`
}
