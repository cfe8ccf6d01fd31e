import { z } from 'zod'

/**
 * The app's own domain types: what services return over IPC. They are mapped from each remote
 * system's wire format in main, so a quirk of a remote API never reaches a screen.
 */

export const MOBILE_RE = /^1[3-9]\d{9}$/
export const DATE_RE = /^\d{4}-\d{2}-\d{2}$/

export const mobileSchema = z.string().trim().regex(MOBILE_RE, '应为 11 位手机号码')
export const dateSchema = z
  .string()
  .regex(DATE_RE, '日期格式应为 YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), '不是有效日期')
const id = z.number().int().positive().max(2_147_483_647)

export const sessionInfoSchema = z.object({
  userId: id,
  userName: z.string(),
  userNum: z.string(),
  machineNo: z.string(),
  /** the weixin server the session talks to (least-loaded or the configured base) */
  server: z.string(),
  loggedInAt: z.string(),
  /** true when the server was unreachable and the agent works from cached data */
  offline: z.boolean(),
  /** something the agent should know about the login (e.g. the password was not remembered) */
  notice: z.string().nullable(),
})
export type SessionInfo = z.infer<typeof sessionInfoSchema>

export const loginInputSchema = z.object({
  userNum: z.string().trim().min(1, '请输入工号').max(32, '工号过长'),
  /** empty: use the password remembered for this 工号 (it never leaves main) */
  password: z.string().max(64, '密码过长'),
  remember: z.boolean(),
})
export type LoginInput = z.infer<typeof loginInputSchema>

export const rememberedLoginSchema = z.object({
  userNum: z.string(),
  /** a password is stored (encrypted in main); the password itself never leaves main */
  hasPassword: z.boolean(),
})
export type RememberedLogin = z.infer<typeof rememberedLoginSchema>

export const projectStatusSchema = z.enum(['current', 'upcoming', 'expired'])
export const projectSchema = z.object({
  id,
  name: z.string(),
  startDate: z.string(),
  endDate: z.string(),
  status: projectStatusSchema,
})
export type Project = z.infer<typeof projectSchema>

export const callPackageSchema = z.object({ id, name: z.string(), projectId: id })
export type CallPackage = z.infer<typeof callPackageSchema>

export const dispensedPhoneSchema = z.object({
  phoneId: id,
  phone: z.string(),
  ownerName: z.string(),
  projectId: id,
  packageId: id,
  dispensedAt: z.string(),
})
export type DispensedPhone = z.infer<typeof dispensedPhoneSchema>

export const callbackItemSchema = z.object({ index: z.number().int().min(0), name: z.string() })
export type CallbackItem = z.infer<typeof callbackItemSchema>

export const enumOptionSchema = z.object({ name: z.string(), value: z.string() })
export type EnumOption = z.infer<typeof enumOptionSchema>

export const packageRefSchema = z.object({ projectId: id, packageId: id })
export type PackageRef = z.infer<typeof packageRefSchema>

export const saveCallbackInputSchema = z.object({
  projectId: id,
  packageId: id,
  phoneId: id,
  phone: mobileSchema,
  ownerName: z.string().trim().min(1, '缺少客户姓名').max(64),
  callbackItem: z.string().trim().min(1, '请选择反馈结果').max(64),
  notes: z.string().max(500, '备注最多 500 字').default(''),
  nextFollowDate: dateSchema.optional(),
  nextFollowContent: z.string().max(200, '下次跟进内容最多 200 字').optional(),
})
export type SaveCallbackInput = z.input<typeof saveCallbackInputSchema>

export const saveToCustomerInputSchema = z.object({
  projectId: id,
  customerName: z.string().trim().min(1, '请输入客户姓名').max(64, '客户姓名最多 64 字'),
  phone: mobileSchema,
  gender: z.string().trim().min(1, '请选择性别').max(8),
  customerType: z.string().trim().min(1, '请选择客户类型').max(8),
  recommend: z.string().trim().min(1, '请选择推荐楼盘').max(64),
  followContent: z.string().trim().min(1, '请输入跟进内容').max(200, '跟进内容最多 200 字'),
})
export type SaveToCustomerInput = z.input<typeof saveToCustomerInputSchema>

/** What a write returns: the local commit is durable; delivery is the outbox's business. */
export const writeReceiptSchema = z.object({
  id: z.string(),
  state: z.enum(['delivered', 'pending', 'uncertain', 'failed']),
  message: z.string().optional(),
})
export type WriteReceipt = z.infer<typeof writeReceiptSchema>
