import { z } from 'zod'

/**
 * The app's own domain types: what services return over IPC. They are mapped from each remote
 * system's wire format in main, so a quirk of a remote API never reaches a screen.
 */

import { FIELD_MAX as MAX, intents } from './fields'
import { MOBILE_RE, pauseReasons } from './values'

export { MOBILE_RE, pauseReasons }
export const DATE_RE = /^\d{4}-\d{2}-\d{2}$/

export const mobileSchema = z.string().trim().regex(MOBILE_RE, '应为 11 位手机号码')
/**
 * A number as the weixin server dispensed it: a mobile, a landline with its area code, an
 * extension, a 400 number. Whatever getphone gave goes back in savecallback unchanged; only
 * save_to_customer (whose customer_phone is a mobile) insists on MOBILE_RE.
 */
export const dispensedNumberSchema = z
  .string()
  .trim()
  .min(1, '缺少电话号码')
  .max(64, '电话号码最多 64 个字符')
/**
 * A call list's owner name, as dispensed: may be blank, may be longer than the weixin and Data
 * Center fields (main cuts it by fitRemoteText and notes that in the call log).
 */
export const dispensedOwnerSchema = z.string().trim().max(1000, '客户称呼过长')
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
  /** ready to take calls, or paused with a reason (break, meeting, training…) */
  agentStatus: z.object({
    state: z.enum(['ready', 'paused']),
    reason: z.string(),
    since: z.string(),
  }),
  /** the idle lock is on: only unlock() is accepted until the password is given */
  locked: z.boolean(),
})
export type SessionInfo = z.infer<typeof sessionInfoSchema>

export const agentStatusInputSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('ready') }),
  z.object({
    state: z.literal('paused'),
    reason: z.string().trim().min(1, '请选择暂停原因').max(32),
  }),
])
export type AgentStatusInput = z.infer<typeof agentStatusInputSchema>

export const loginInputSchema = z.object({
  userNum: z.string().trim().min(1, '请输入工号').max(MAX.userNum, '工号过长'),
  /** empty: use the password remembered for this 工号 (it never leaves main) */
  password: z.string().max(MAX.password, '密码过长'),
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

/** Why an answered time cannot be the call's (not a time, before the dial, after its end). */
function answeredAtProblem(
  answered: number,
  dialledAt: string | undefined,
  endedAt: string | undefined,
): string | null {
  if (Number.isNaN(answered)) return '接通时间不是有效时间'
  const dialled = dialledAt === undefined ? Number.NaN : Date.parse(dialledAt)
  if (Number.isNaN(dialled)) return '有接通时间时必须有拨号时间'
  if (answered < dialled) return '接通时间不能早于拨号时间'
  const ended = endedAt === undefined ? Number.NaN : Date.parse(endedAt)
  if (!Number.isNaN(ended) && answered > ended) return '接通时间不能晚于结束时间'
  return null
}

/** An answer outside the call is a clock or a caller's bug: refused, naming the field. */
export function refineAnsweredAt(
  input: {
    dialledAt?: string | undefined
    answeredAt?: string | undefined
    endedAt?: string | undefined
  },
  ctx: z.RefinementCtx,
): void {
  if (input.answeredAt === undefined) return
  const message = answeredAtProblem(Date.parse(input.answeredAt), input.dialledAt, input.endedAt)
  if (message) ctx.addIssue({ code: 'custom', path: ['answeredAt'], message })
}

export const saveCallbackInputSchema = z
  .object({
    projectId: id,
    packageId: id,
    phoneId: id,
    phone: dispensedNumberSchema,
    ownerName: dispensedOwnerSchema,
    callbackItem: z.string().trim().min(1, '请选择反馈结果').max(MAX.callbackItem),
    notes: z.string().max(MAX.notes, `备注最多 ${MAX.notes} 字`).default(''),
    nextFollowDate: dateSchema.optional(),
    nextFollowContent: z
      .string()
      .max(MAX.nextFollowContent, `下次跟进内容最多 ${MAX.nextFollowContent} 字`)
      .optional(),
    /** 客户意向 A (highest) … E, reported to the Data Center's cst_follow_update */
    intent: z.enum(intents).default('C'),
    /** ISO times of the call, for the call log */
    dialledAt: z.string().max(40).optional(),
    /** when the built-in phone's call was answered (200 OK); absent when not answered or unknown */
    answeredAt: z.string().max(40).optional(),
    endedAt: z.string().max(40).optional(),
  })
  .superRefine(refineAnsweredAt)
export type SaveCallbackInput = z.input<typeof saveCallbackInputSchema>

/**
 * What the agent has typed for a held number and not saved yet, kept in main so that leaving
 * the screen or a restart loses nothing (electron/services/calling/draft-store.ts).
 */
export const callDraftSchema = z.object({
  callbackItem: z.string().max(MAX.callbackItem),
  notes: z.string().max(MAX.notes),
  nextFollowDate: z.union([dateSchema, z.literal('')]),
  nextFollowContent: z.string().max(MAX.nextFollowContent),
  intent: z.enum(intents),
})
export type CallDraft = z.infer<typeof callDraftSchema>
export const draftRefSchema = z.object({ packageId: id, phoneId: id })
export type DraftRef = z.infer<typeof draftRefSchema>

export const dncInputSchema = z.object({
  phone: dispensedNumberSchema,
  reason: z
    .string()
    .trim()
    .max(MAX.dncReason, `原因最多 ${MAX.dncReason} 字`)
    .default('客户要求勿扰'),
})
export type DncInput = z.input<typeof dncInputSchema>

export const saveToCustomerInputSchema = z.object({
  projectId: id,
  customerName: z
    .string()
    .trim()
    .min(1, '请输入客户姓名')
    .max(MAX.customerName, `客户姓名最多 ${MAX.customerName} 字`),
  phone: mobileSchema,
  gender: z.string().trim().min(1, '请选择性别').max(MAX.genderType),
  customerType: z.string().trim().min(1, '请选择客户类型').max(MAX.customerType),
  recommend: z.string().trim().min(1, '请选择推荐楼盘').max(MAX.recommend),
  followContent: z
    .string()
    .trim()
    .min(1, '请输入跟进内容')
    .max(MAX.followContent, `跟进内容最多 ${MAX.followContent} 字`),
})
export type SaveToCustomerInput = z.input<typeof saveToCustomerInputSchema>

/** What a write returns: the local commit is durable; delivery is the outbox's business. */
export const writeReceiptSchema = z.object({
  id: z.string(),
  state: z.enum(['delivered', 'pending', 'uncertain', 'failed']),
  message: z.string().optional(),
})
export type WriteReceipt = z.infer<typeof writeReceiptSchema>

/**
 * Everything that goes through the outbox. datacenter.report_call is the Data Center side of one
 * call, delivered step by step (customer: cst_info_get → cst_info_create; lead: s_lead_identify
 * → s_lead_create; opportunity_info_create; cst_follow_update), each step with its own SID kept
 * across retries so that 1013 means "already there".
 */
export const outboxKinds = [
  'weixin.savecallback',
  'weixin.save_to_customer',
  'datacenter.report_call',
] as const
export type OutboxKind = (typeof outboxKinds)[number]

export const outboxStates = [
  /** waiting for its turn or for the network */
  'pending',
  /** being sent now */
  'sending',
  /** the remote system has it */
  'delivered',
  /** the request went out but the answer was lost: it may have arrived (weixin has no
   * idempotency key); retried once, then left for the agent */
  'uncertain',
  /** the remote system refused it (a business error): waits for the agent to edit, retry or
   * discard */
  'failed',
  /** the agent gave up on it */
  'discarded',
] as const
export type OutboxState = (typeof outboxStates)[number]

export const outboxItemSchema = z.object({
  id: z.string(),
  kind: z.enum(outboxKinds),
  /** a short Chinese line for the sync panel, e.g. 保存反馈 · 李先生 159****7900 */
  title: z.string(),
  phone: z.string(),
  state: z.enum(outboxStates),
  /** it once went out with no answer: a duplicate on the remote side is possible */
  uncertain: z.boolean(),
  attempts: z.number().int().min(0),
  createdAt: z.string(),
  lastAttemptAt: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  lastError: z
    .object({
      kind: z.string(),
      message: z.string(),
      code: z.union([z.string(), z.number()]).optional(),
      field: z.string().optional(),
    })
    .nullable(),
  /** the payload fields the agent may edit for a failed item (all strings on screen) */
  fields: z.record(z.string(), z.string()),
  /** the system it belongs to: made in training (培训) or against real servers (正式) */
  profile: z.enum(['training', 'production']).optional(),
  /** it belongs to another connection profile than the one in use: it waits for that one */
  otherProfile: z.boolean().optional(),
})
export type OutboxItem = z.infer<typeof outboxItemSchema>

export const syncStatusSchema = z.object({
  online: z.boolean(),
  pending: z.number().int().min(0),
  sending: z.number().int().min(0),
  uncertain: z.number().int().min(0),
  failed: z.number().int().min(0),
  lastSuccessAt: z.string().nullable(),
  /** while a backlog flushes: how many of how many, for the progress bar */
  flush: z.object({ total: z.number().int().min(0), done: z.number().int().min(0) }).nullable(),
  /** a local storage problem the agent must know about (disk full, damaged database) */
  storageProblem: z.string().nullable(),
  /**
   * Items of another connection profile, waiting until the app is switched back to it (they are
   * never sent through the current one): training items while working for real, and the other
   * way round. The counts above are the current profile's.
   */
  otherProfile: z
    .object({ training: z.number().int().min(0), production: z.number().int().min(0) })
    .optional(),
})
export type SyncStatus = z.infer<typeof syncStatusSchema>
