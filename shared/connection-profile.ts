import { z } from 'zod'

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
})

export type ConnectionProfile = z.output<typeof connectionProfileSchema>
export type ConnectionProfileInput = z.input<typeof connectionProfileSchema>
