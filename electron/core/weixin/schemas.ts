import { z } from 'zod'
import { FIELD_MAX as MAX } from '../../../shared/fields'

/**
 * The weixin action protocol (weixin-actions.md), one schema per request and per success
 * response. Request schemas carry the Chinese text the agent sees when a field is rejected
 * locally; response schemas are the app's domain types. The document gives no lengths: the
 * limits are the app's own (shared/fields.ts), the same the screen and the outbox apply.
 */

export const weixinActions = [
  'login',
  'getpros',
  'getpackages',
  'getphone',
  'getcallback',
  'savecallback',
  'get_customer_type',
  'get_gender_type',
  'save_to_customer',
  'get_server_url',
  'get_user_status',
] as const
export type WeixinAction = (typeof weixinActions)[number]

/** The documented HTTP method of each action (§5, §7, §8, §10 are GET; the rest POST JSON). */
export const weixinActionMethods: Record<WeixinAction, 'GET' | 'POST'> = {
  login: 'POST',
  getpros: 'POST',
  getpackages: 'POST',
  getphone: 'POST',
  getcallback: 'GET',
  savecallback: 'POST',
  get_customer_type: 'GET',
  get_gender_type: 'GET',
  save_to_customer: 'POST',
  get_server_url: 'GET',
  get_user_status: 'POST',
}

/** Mainland mobile numbers: 11 digits starting with 1. */
export const MOBILE_RE = /^1\d{10}$/

const missing = (input: unknown): boolean => input === undefined || input === null

/** Label and predicate, with a space after a label ending in Latin text ("用户 id 必须…"). */
const says = (label: string, rest: string): string =>
  /[A-Za-z0-9]$/.test(label) ? `${label} ${rest}` : `${label}${rest}`

function positiveId(label: string) {
  return z
    .number({
      error: (iss) => (missing(iss.input) ? `请填写${label}` : says(label, '必须是正整数')),
    })
    .int({ error: says(label, '必须是正整数') })
    .positive({ error: says(label, '必须是正整数') })
}

function requiredText(label: string, max: number) {
  return z
    .string({ error: (iss) => (missing(iss.input) ? `请填写${label}` : says(label, '必须是文字')) })
    .trim()
    .min(1, { error: `请填写${label}` })
    .max(max, { error: says(label, `不能超过 ${max} 个字`) })
}

function mobile(label: string) {
  return z
    .string({
      error: (iss) => (missing(iss.input) ? `请填写${label}` : says(label, '必须是 11 位手机号')),
    })
    .trim()
    .regex(MOBILE_RE, { error: says(label, '必须是 11 位手机号') })
}

/**
 * A number as getphone dispensed it (landline, extension, 400 number…): savecallback sends it
 * back unchanged. The document types phone_no as text, required, nothing more.
 */
function dispensedNumber(label: string) {
  return z
    .string({ error: (iss) => (missing(iss.input) ? `请填写${label}` : says(label, '必须是文字')) })
    .trim()
    .min(1, { error: `请填写${label}` })
    .max(64, { error: says(label, '不能超过 64 个字符') })
}

/** Required as a key, but a call list's owner name may be blank: sent back as dispensed. */
function dispensedText(label: string, max: number) {
  return z
    .string({ error: (iss) => (missing(iss.input) ? `请填写${label}` : says(label, '必须是文字')) })
    .trim()
    .max(max, { error: says(label, `不能超过 ${max} 个字`) })
}

// --- requests -------------------------------------------------------------------------------

export const loginRequestSchema = z.object({
  user_num: requiredText('工号', MAX.userNum),
  pwd: z
    .string({ error: (iss) => (missing(iss.input) ? '请填写密码' : '密码必须是文字') })
    // A password is sent exactly as typed: spaces may be part of it.
    .min(1, { error: '请填写密码' })
    .max(MAX.password, { error: `密码不能超过 ${MAX.password} 个字` }),
  machine_no: requiredText('机器码', MAX.machineNo),
})
export type LoginRequest = z.input<typeof loginRequestSchema>

export const getProjectsRequestSchema = z.object({ user_id: positiveId('用户 id') })
export type GetProjectsRequest = z.input<typeof getProjectsRequestSchema>

export const getPackagesRequestSchema = z.object({
  user_id: positiveId('用户 id'),
  pro_id: positiveId('项目 id'),
})
export type GetPackagesRequest = z.input<typeof getPackagesRequestSchema>

export const getPhoneRequestSchema = z.object({
  user_id: positiveId('用户 id'),
  package_id: positiveId('信息包 id'),
})
export type GetPhoneRequest = z.input<typeof getPhoneRequestSchema>

export const saveCallbackRequestSchema = z.object({
  user_id: positiveId('用户 id'),
  phone_no: dispensedNumber('电话号码'),
  owner_name: dispensedText('客户姓名', MAX.ownerName),
  package_id: positiveId('信息包 id'),
  pro_id: positiveId('项目 id'),
  call_back_item_name: requiredText('反馈类型', MAX.callbackItem),
})
export type SaveCallbackRequest = z.input<typeof saveCallbackRequestSchema>

export const saveToCustomerRequestSchema = z.object({
  reg_user_id: positiveId('Call 客人员 id'),
  customer_name: requiredText('客户姓名', MAX.customerName),
  customer_phone: mobile('客户电话'),
  gender_type: requiredText('客户性别', MAX.genderType),
  customer_type: requiredText('客户类型', MAX.customerType),
  recommend: requiredText('推荐楼盘', MAX.recommend),
  follow_content: requiredText('跟进内容', MAX.followContent),
})
export type SaveToCustomerRequest = z.input<typeof saveToCustomerRequestSchema>

/** 工号: the document shows a number (123); logins use zero-padded text ("00006"). Both go. */
export const getUserStatusRequestSchema = z.object({
  enroll_number: z.union(
    [
      z.number().int({ error: '工号必须是数字' }).nonnegative({ error: '工号必须是数字' }),
      z
        .string()
        .trim()
        .regex(/^\d{1,20}$/, { error: '工号必须是数字' }),
    ],
    { error: (iss) => (missing(iss.input) ? '请填写工号' : '工号必须是数字') },
  ),
})
export type GetUserStatusRequest = z.input<typeof getUserStatusRequestSchema>

// --- responses ------------------------------------------------------------------------------

const id = z.number().int().positive()
/** yyyy-MM-dd; a trailing time some servers append is dropped. */
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$/, 'is not yyyy-MM-dd')
  .transform((s) => s.slice(0, 10))

export const loginResponseSchema = z.object({ user_id: id, user_name: z.string() })
export type WeixinUser = z.output<typeof loginResponseSchema>

export const projectSchema = z.object({
  pro_id: id,
  pro_name: z.string(),
  start_date: day,
  end_date: day,
})
export type WeixinProject = z.output<typeof projectSchema>
export const getProjectsResponseSchema = z.object({ projects: z.array(projectSchema) })
export type GetProjectsResponse = z.output<typeof getProjectsResponseSchema>

export const packageSchema = z.object({ package_id: id, package_name: z.string() })
export type WeixinPackage = z.output<typeof packageSchema>
export const getPackagesResponseSchema = z.object({ packages: z.array(packageSchema) })
export type GetPackagesResponse = z.output<typeof getPackagesResponseSchema>

/**
 * The number is kept as text and not checked as a mobile: the server has already dispensed it
 * to this agent, so rejecting it here would lose it without a trace.
 */
export const getPhoneResponseSchema = z.object({
  phone_id: id,
  phone_no: z.string().trim().min(1),
  owner_name: z.string(),
})
export type WeixinPhone = z.output<typeof getPhoneResponseSchema>

export const callbackItemSchema = z.object({
  index: z.number().int().nonnegative(),
  item_name: z.string().min(1),
})
export type CallbackItem = z.output<typeof callbackItemSchema>
export const getCallbackResponseSchema = z.object({ call_back_item: z.array(callbackItemSchema) })
export type GetCallbackResponse = z.output<typeof getCallbackResponseSchema>

export const enumOptionSchema = z.object({ name: z.string(), value: z.string().min(1) })
export type EnumOption = z.output<typeof enumOptionSchema>
export type CustomerTypeOption = EnumOption
export type GenderTypeOption = EnumOption
export const getCustomerTypeResponseSchema = z.object({ customer_type: z.array(enumOptionSchema) })
export type GetCustomerTypeResponse = z.output<typeof getCustomerTypeResponseSchema>
export const getGenderTypeResponseSchema = z.object({ gender_type: z.array(enumOptionSchema) })
export type GetGenderTypeResponse = z.output<typeof getGenderTypeResponseSchema>

/**
 * savecallback and save_to_customer answer only `{"errmsg":"ok"}` (savecallback spells the key
 * "errmsg "). The client folds both spellings into `errmsg` before this schema sees the body.
 */
export const okResponseSchema = z.object({ errmsg: z.literal('ok') })
export type OkResponse = z.output<typeof okResponseSchema>

/**
 * get_server_url answers `host[:port]/path` without a scheme ("gd.hfit.ihk.cn:83/estate").
 * Anything else (a scheme, spaces, a bare host, a port out of range) is not something to route to.
 */
const SERVER_URL_RE =
  /^(?<host>[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*)(?::(?<port>\d{1,5}))?(?<path>(?:\/[A-Za-z0-9._~!$&'()*+,;=:@%-]+)+)\/?$/

export function isSchemelessServerUrl(value: string): boolean {
  const m = SERVER_URL_RE.exec(value)
  if (!m) return false
  const port = m.groups?.port
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65_535)) return false
  return true
}

export const getServerUrlResponseSchema = z.object({
  server_url: z
    .string()
    .trim()
    .refine(isSchemelessServerUrl, '不是有效的服务器地址（应为 主机[:端口]/路径，不带协议）'),
})
export type GetServerUrlResponse = z.output<typeof getServerUrlResponseSchema>

export const getUserStatusResponseSchema = z.object({ user_status: z.string().trim().min(1) })
export type GetUserStatusResponse = z.output<typeof getUserStatusResponseSchema>

/** Only an agent whose status is 活动 may work (call flow step 11). */
export const ACTIVE_USER_STATUS = '活动'
export function isActiveUserStatus(status: string): boolean {
  return status.trim() === ACTIVE_USER_STATUS
}
