import { z } from 'zod'
import { FIELD_MAX, SCRIPTED_PROJECTS_MAX, SELLING_POINTS_MAX } from './fields'

/**
 * Where the remote systems are and how to authenticate: what an administrator imports, what
 * `npm run sandbox` prints and what `npm run doctor -- --config FILE` checks. The secrets in it
 * (Data Center token and appkey, enrichment keys) go to main's vault and never to the renderer.
 */
const httpUrl = z
  .string()
  .trim()
  .refine((s) => {
    try {
      const u = new URL(s)
      return u.protocol === 'http:' || u.protocol === 'https:'
    } catch {
      return false
    }
  }, '必须是 http:// 或 https:// 开头的地址')

/**
 * A project's 话术 and 卖点, written by a supervisor and shown read-only to agents on the calling
 * screen. Keyed in the profile by the weixin project id (digits) or the project's name.
 */
export const projectScriptSchema = z.object({
  script: z.string().max(FIELD_MAX.script, `话术最多 ${FIELD_MAX.script} 字`).default(''),
  sellingPoints: z
    .array(
      z
        .string()
        .trim()
        .min(1, '卖点不能为空')
        .max(FIELD_MAX.sellingPoint, `每条卖点最多 ${FIELD_MAX.sellingPoint} 字`),
    )
    .max(SELLING_POINTS_MAX, `卖点最多 ${SELLING_POINTS_MAX} 条`)
    .default([]),
})
export type ProjectScript = z.output<typeof projectScriptSchema>

export const projectScriptsSchema = z
  .record(
    z.string().trim().min(1, '项目 id 或名称不能为空').max(64, '项目 id 或名称最多 64 字'),
    projectScriptSchema,
  )
  .refine(
    (m) => Object.keys(m).length <= SCRIPTED_PROJECTS_MAX,
    `最多为 ${SCRIPTED_PROJECTS_MAX} 个项目配置话术`,
  )
export type ProjectScripts = z.output<typeof projectScriptsSchema>

export const connectionProfileSchema = z.object({
  name: z.string().trim().min(1).max(64).optional(),
  weixin: z.object({
    baseUrl: httpUrl,
    machineNo: z.string().trim().min(1).max(64).default('weixin'),
  }),
  datacenter: z
    .object({
      endpoint: httpUrl,
      appid: z
        .string()
        .trim()
        .regex(/^\d{3}$/, '应为三位数字的系统编号'),
      token: z.string().min(1).max(256),
      appkey: z.string().min(1).max(512),
      dataCenterAppid: z
        .string()
        .trim()
        .regex(/^1\d{2}$/, '数据中心的系统编号应在 100~199'),
    })
    .optional(),
  cdp: z
    .object({
      baseUrl: httpUrl,
      hostHeader: z.string().trim().min(1).max(255),
      /**
       * The CDP's own project id for each weixin project (pro_id → project_id): the CDP numbers
       * its projects itself. A weixin project without an entry has no CDP tags (未配置 CDP 项目).
       */
      projects: z
        .record(
          z.string().regex(/^\d{1,15}$/, '键应为置业项目 id（数字）'),
          z
            .string()
            .trim()
            .regex(/^[A-Za-z0-9_-]{1,64}$/, 'CDP 项目 id 只能包含字母、数字、_ 和 -'),
        )
        .optional(),
    })
    .optional(),
  rabbitpre: z
    .object({
      baseUrl: httpUrl,
      companyId: z.string().trim().min(1).max(64),
      instanceAppid: z.string().trim().min(1).max(64).optional(),
    })
    .optional(),
  miaosuan: z.object({ baseUrl: httpUrl, userId: z.number().int().positive() }).optional(),
  /** 话术 and 卖点 per project (see projectScriptSchema); an import replaces the desktop's */
  scripts: projectScriptsSchema.optional(),
})

export type ConnectionProfile = z.output<typeof connectionProfileSchema>
export type ConnectionProfileInput = z.input<typeof connectionProfileSchema>
