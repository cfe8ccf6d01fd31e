import { z } from 'zod'
import { DATE_RE, type OutboxKind } from '../../../shared/domain'
import { FIELD_MAX as MAX, intents } from '../../../shared/fields'
import { AppError } from '../../core/app-error'
import type { OutboxPayloads } from './types'

/**
 * What each kind's payload may hold, checked at enqueue and after the agent's edit, and which of
 * its fields the agent may correct in the sync panel. The limits are shared/fields.ts: the ones
 * the screen and the weixin client apply, so nothing the screen accepts is parked here later.
 */

const text = (label: string, min: number, max: number) =>
  z
    .string({ error: `${label}应为文字` })
    .trim()
    .min(min, { error: min > 0 ? `请填写${label}` : `${label}不能为空` })
    .max(max, { error: `${label}最多 ${max} 字` })
const optText = (label: string, max: number) =>
  z
    .string({ error: `${label}应为文字` })
    .trim()
    .max(max, { error: `${label}最多 ${max} 字` })
    .optional()
const posInt = z.number().int().positive()

const payloadSchemas = {
  'weixin.savecallback': z.object({
    user_id: posInt,
    phone_no: z.string().min(1),
    // a call list's owner name may be blank: it goes back as dispensed
    owner_name: text('客户称呼', 0, MAX.ownerName),
    package_id: posInt,
    pro_id: posInt,
    call_back_item_name: text('反馈结果', 1, MAX.callbackItem),
  }),
  'weixin.save_to_customer': z.object({
    reg_user_id: posInt,
    customer_name: text('客户姓名', 1, MAX.customerName),
    customer_phone: z.string().min(1),
    gender_type: text('性别', 1, MAX.genderType),
    customer_type: text('客户类型', 1, MAX.customerType),
    recommend: text('推荐楼盘', 1, MAX.recommend),
    follow_content: text('跟进内容', 1, MAX.followContent),
  }),
  'datacenter.report_call': z.object({
    userNum: z.string().min(1),
    mobile: z.string().min(1),
    customerName: text('客户姓名', 1, MAX.ownerName),
    gender: z.union([z.literal(0), z.literal(1), z.literal(2)], { error: '性别应为 0、1 或 2' }),
    projectId: posInt,
    // may be empty at enqueue (the project list was never loaded): a save must not fail for
    // it; the delivery parks the item so the agent can fill it in
    projectName: optText('项目名称', MAX.projectName).transform((v) => v ?? ''),
    followTime: z.string().min(1),
    followContent: z
      .string()
      .max(MAX.followContent, { error: `跟进内容最多 ${MAX.followContent} 字` }),
    nextDate: z.string().regex(DATE_RE, { error: '下次跟进日期格式应为 YYYY-MM-DD' }).optional(),
    nextContent: optText('下次跟进内容', MAX.nextFollowContent),
    cstWill: z.enum(intents, { error: `客户意向应为 ${intents.join('、')}` }),
  }),
} satisfies { [K in OutboxKind]: z.ZodType }

interface EditableField {
  label: string
  /** an empty value is refused at edit (the payload check alone would accept it) */
  required?: boolean
  /** the payload value from the agent's text ('' for an optional field clears it) */
  parse(value: string): unknown
  show(payload: Record<string, unknown>): string
}

const plain = (key: string, label: string): EditableField => ({
  label,
  parse: (v) => v.trim(),
  show: (p) => (typeof p[key] === 'string' ? (p[key] as string) : ''),
})
const optional = (key: string, label: string): EditableField => ({
  label,
  parse: (v) => (v.trim() === '' ? undefined : v.trim()),
  show: (p) => (typeof p[key] === 'string' ? (p[key] as string) : ''),
})

/** The payload fields the agent may correct, per kind (keys are the payload's own). */
export const editableFields: { [K in OutboxKind]: Record<string, EditableField> } = {
  'weixin.savecallback': {
    owner_name: plain('owner_name', '客户称呼'),
    call_back_item_name: plain('call_back_item_name', '反馈结果'),
  },
  'weixin.save_to_customer': {
    customer_name: plain('customer_name', '客户姓名'),
    gender_type: plain('gender_type', '性别'),
    customer_type: plain('customer_type', '客户类型'),
    recommend: plain('recommend', '推荐楼盘'),
    follow_content: plain('follow_content', '跟进内容'),
  },
  'datacenter.report_call': {
    customerName: plain('customerName', '客户姓名'),
    gender: {
      label: '性别',
      parse: (v) => (/^[012]$/.test(v.trim()) ? Number(v.trim()) : v),
      show: (p) => String(p.gender ?? ''),
    },
    projectName: { ...plain('projectName', '项目名称'), required: true },
    followContent: plain('followContent', '跟进内容'),
    nextDate: optional('nextDate', '下次跟进日期'),
    nextContent: optional('nextContent', '下次跟进内容'),
    cstWill: { ...plain('cstWill', '客户意向'), parse: (v) => v.trim().toUpperCase() },
  },
}

/** The Chinese label of a payload field, for messages naming it. */
function labelOf(kind: OutboxKind, field: string): string {
  return (editableFields[kind] as Record<string, EditableField | undefined>)[field]?.label ?? field
}

/** The payload as stored, or AppError 'invalid-args' naming the first wrong field in Chinese. */
export function checkPayload<K extends OutboxKind>(kind: K, payload: unknown): OutboxPayloads[K] {
  const schema = payloadSchemas[kind] as z.ZodType
  const r = schema.safeParse(payload)
  if (r.success) return r.data as OutboxPayloads[K]
  const issue = r.error.issues[0]
  const field = issue?.path.map(String).join('.') ?? ''
  const label = labelOf(kind, field)
  const message = issue?.message ?? '不正确'
  throw new AppError(
    'invalid-args',
    message.includes(label) ? message : `${label}：${message}`,
    field ? { field } : undefined,
  )
}

/**
 * The agent's corrections applied to a stored payload: only the kind's editable fields, each
 * checked, a failure naming it in Chinese. Returns the checked payload and the delivery steps to
 * keep (see editSteps).
 */
export function applyEdit<K extends OutboxKind>(
  kind: K,
  stored: OutboxPayloads[K],
  steps: unknown,
  fields: Record<string, string>,
): { payload: OutboxPayloads[K]; steps: unknown } {
  const editable = editableFields[kind] as Record<string, EditableField | undefined>
  const before = stored as unknown as Record<string, unknown>
  const payload = { ...before }
  const changed: string[] = []
  for (const [key, value] of Object.entries(fields)) {
    const f = Object.hasOwn(editable, key) ? editable[key] : undefined
    if (!f) {
      throw new AppError('invalid-args', `不能修改字段「${key}」`, { field: key })
    }
    const parsed = f.parse(value)
    if (f.required && parsed === '') {
      throw new AppError('invalid-args', `请填写${f.label}`, { field: key })
    }
    if (parsed === undefined) delete payload[key]
    else payload[key] = parsed
    if (f.show(before) !== value.trim()) changed.push(key)
  }
  return { payload: checkPayload(kind, payload), steps: editSteps(kind, steps, changed) }
}

/**
 * A Data Center item whose project changed must look the project up again and redo every step
 * after the customer (the customer is one per mobile, whatever the project).
 */
function editSteps(kind: OutboxKind, steps: unknown, changed: readonly string[]): unknown {
  if (kind !== 'datacenter.report_call' || !changed.includes('projectName')) return steps
  if (!steps || typeof steps !== 'object') return steps
  return { customer: (steps as Record<string, unknown>).customer }
}
