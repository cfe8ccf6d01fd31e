import { z } from 'zod'
import { invalidRequestError, remoteBusinessError, shapeError } from '../errors'
import { nodeHttpTransport, parseJsonResponse, type HttpTransport } from '../http/transport'

/**
 * Miaosuan customer detail (miaosuan-customer-detail.md): GET {path}?customer_id=… with the
 * agent's Miaosuan account in a `user_id` header.
 *
 * Choices where the document is silent:
 * - code 0 is success (the example); any other code is Miaosuan's own error (kind 'remote',
 *   code = code, message from msg). The sandbox uses 400 (bad customer_id), 401 (no or bad
 *   user_id), 403 (unknown user) and 404 (no such customer).
 * - every field the document marks 必填 is read, with role_types and global_status (which
 *   only its example shows); a field a server leaves out anyway reads as absent rather than
 *   failing the panel. The enums are checked against the documented values, and their Chinese
 *   names are added.
 * - an answer about another customer id is a shape error, never shown as this customer.
 */

export const MIAOSUAN_DEFAULT_PATH = '/miaosuan/customer/detail'
const DEFAULT_TIMEOUT_MS = 8_000

export const MIAOSUAN_STATUS_NAMES = {
  1: '意向',
  2: '定金',
  3: '量房',
  4: '设计',
  5: '预算',
  6: '合同',
  7: '施工',
  8: '交付',
  9: '丢单',
} as const
export type MiaosuanStatusId = keyof typeof MIAOSUAN_STATUS_NAMES

export const MIAOSUAN_CUSTOMER_TYPE_NAMES = { 1: '意愿较强', 2: '意愿一般', 3: '暂无意愿' } as const
export type MiaosuanCustomerType = keyof typeof MIAOSUAN_CUSTOMER_TYPE_NAMES

export const MIAOSUAN_FINANCE_STATUS_NAMES = { 0: '未录入合同', 1: '已录入合同' } as const
export type MiaosuanFinanceStatus = keyof typeof MIAOSUAN_FINANCE_STATUS_NAMES

/** global_status appears only in the example's comment: 0 意向, 1 成单, 2 丢单, 3 完工 */
export const MIAOSUAN_GLOBAL_STATUS_NAMES = { 0: '意向', 1: '成单', 2: '丢单', 3: '完工' } as const
export type MiaosuanGlobalStatus = keyof typeof MIAOSUAN_GLOBAL_STATUS_NAMES

export interface MiaosuanClientOptions {
  baseUrl: string
  path?: string
  /** the agent's Miaosuan user number, sent as the user_id header */
  userId: number | string
  transport?: HttpTransport
  timeoutMs?: number
}

export interface MiaosuanCallOptions {
  signal?: AbortSignal
  timeoutMs?: number
}

/** null reads as absent; absent keys stay absent in the output */
const absent = <T extends z.ZodType>(schema: T) =>
  schema
    .nullish()
    .transform((v) => v ?? undefined)
    .optional()
const intValue = z.union([
  z.number().int(),
  z
    .string()
    .trim()
    .regex(/^-?\d+$/, '应为整数')
    .transform(Number),
])
const int = absent(intValue)
const str = absent(z.union([z.string(), z.number()]).transform(String))
const oneOf = <K extends number>(names: Record<K, string>) =>
  absent(
    intValue.refine((v) => Object.hasOwn(names, v), {
      message: `应为 ${Object.keys(names).join('/')} 之一`,
    }),
  ).transform((v) => v as K | undefined)

const roleUserSchema = z.looseObject({ user_id: int, user_name: str, user_phone: str })
const roleTypeSchema = z.looseObject({
  role_type: int,
  role_name: str,
  role_description: str,
  /** null when nobody holds the role */
  users: absent(z.array(roleUserSchema)).transform((v) => v ?? []),
})

export const miaosuanCustomerSchema = z.object({
  id: intValue,
  status: str,
  global_status: oneOf(MIAOSUAN_GLOBAL_STATUS_NAMES),
  finance_status: oneOf(MIAOSUAN_FINANCE_STATUS_NAMES),
  finance_project_id: int,
  description: str,
  community_name: str,
  room_number: str,
  customer_name: str,
  customer_address: str,
  customer_phone: str,
  status_id: oneOf(MIAOSUAN_STATUS_NAMES),
  customer_source: str,
  customer_source_id: int,
  /** 万元; the example sends 60.00 */
  customer_budget: absent(
    z.union([
      z.number(),
      z
        .string()
        .trim()
        .regex(/^\d+(\.\d+)?$/)
        .transform(Number),
    ]),
  ),
  follower_name: str,
  follower_id: int,
  /** MM-dd HH:mm:ss, no year */
  update_time: str,
  customer_type: oneOf(MIAOSUAN_CUSTOMER_TYPE_NAMES),
  role_types: absent(z.array(roleTypeSchema)),
})

export type MiaosuanCustomerData = z.output<typeof miaosuanCustomerSchema>
export type MiaosuanRole = NonNullable<MiaosuanCustomerData['role_types']>[number]

export interface MiaosuanCustomer extends MiaosuanCustomerData {
  /** from status_id, else the status text */
  statusName?: string
  customerTypeName?: string
  financeStatusName?: string
  globalStatusName?: string
}

const envelopeSchema = z.object({
  code: intValue,
  msg: z.string().nullish().catch(undefined),
  data: z.unknown().optional(),
})

const POSITIVE_INT_RE = /^[1-9]\d{0,15}$/

export class MiaosuanClient {
  private readonly url: string
  private readonly userId: string
  private readonly transport: HttpTransport
  private readonly timeoutMs: number

  constructor(opts: MiaosuanClientOptions) {
    this.url = opts.baseUrl.replace(/\/+$/, '') + (opts.path ?? MIAOSUAN_DEFAULT_PATH)
    this.userId = String(opts.userId ?? '').trim()
    this.transport = opts.transport ?? nodeHttpTransport
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS
  }

  async getCustomer(
    customerId: number | string,
    opts: MiaosuanCallOptions = {},
  ): Promise<MiaosuanCustomer> {
    const id = String(customerId ?? '').trim()
    if (!POSITIVE_INT_RE.test(id) || !Number.isSafeInteger(Number(id))) {
      throw invalidRequestError('miaosuan', 'customer_id', '秒算客户 id 应为正整数')
    }
    if (!POSITIVE_INT_RE.test(this.userId) || !Number.isSafeInteger(Number(this.userId))) {
      throw invalidRequestError(
        'miaosuan',
        'user_id',
        '未配置秒算用户编号（user_id），或不是正整数',
      )
    }
    const res = await this.transport('miaosuan', {
      method: 'GET',
      url: `${this.url}?${new URLSearchParams({ customer_id: id }).toString()}`,
      headers: { user_id: this.userId, accept: 'application/json' },
      timeoutMs: opts.timeoutMs ?? this.timeoutMs,
      ...(opts.signal ? { signal: opts.signal } : {}),
    })
    const env = parseJsonResponse('miaosuan', res, envelopeSchema)
    if (env.code !== 0) {
      const detail = env.msg?.trim() || `错误码 ${env.code}`
      throw remoteBusinessError('miaosuan', `秒算：${detail}`, env.code)
    }
    if (env.data === null || env.data === undefined) {
      throw shapeError('miaosuan', 'data', '缺少客户数据')
    }
    const parsed = miaosuanCustomerSchema.safeParse(env.data)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      throw shapeError(
        'miaosuan',
        ['data', ...(issue?.path.map(String) ?? [])].join('.'),
        issue?.message ?? '',
      )
    }
    const data = parsed.data
    if (data.id !== Number(id)) throw shapeError('miaosuan', 'data.id', '与查询的客户 id 不一致')
    return withNames(data)
  }
}

function withNames(data: MiaosuanCustomerData): MiaosuanCustomer {
  const out: MiaosuanCustomer = { ...data }
  const statusName =
    data.status_id !== undefined ? MIAOSUAN_STATUS_NAMES[data.status_id] : data.status
  if (statusName) out.statusName = statusName
  if (data.customer_type !== undefined) {
    out.customerTypeName = MIAOSUAN_CUSTOMER_TYPE_NAMES[data.customer_type]
  }
  if (data.finance_status !== undefined) {
    out.financeStatusName = MIAOSUAN_FINANCE_STATUS_NAMES[data.finance_status]
  }
  if (data.global_status !== undefined) {
    out.globalStatusName = MIAOSUAN_GLOBAL_STATUS_NAMES[data.global_status]
  }
  return out
}

export interface MiaosuanDisplayItem {
  label: string
  value: string
}

/** The customer as label/value lines for the agent; absent facts are left out. */
export function summariseMiaosuanCustomer(c: MiaosuanCustomer): MiaosuanDisplayItem[] {
  const out: MiaosuanDisplayItem[] = []
  const add = (label: string, value: string | number | undefined): void => {
    if (value !== undefined && String(value).trim() !== '')
      out.push({ label, value: String(value) })
  }
  add('装修进度', c.statusName)
  add('总体状态', c.globalStatusName)
  add('客户意愿', c.customerTypeName)
  // 必填, so an unknown budget arrives as 0
  add('预算', c.customer_budget ? `${c.customer_budget} 万` : undefined)
  add('小区', [c.community_name, c.room_number].filter(Boolean).join(' ') || undefined)
  add('地址', c.customer_address)
  add('备注', c.description)
  add('来源', c.customer_source)
  add('跟进人', c.follower_name)
  for (const role of c.role_types ?? []) {
    const names = role.users.map((u) => u.user_name?.trim()).filter(Boolean)
    // the same person may be listed twice (the document's own example does)
    if (role.role_name && names.length > 0) add(role.role_name, [...new Set(names)].join('、'))
  }
  add('合同', c.financeStatusName)
  add('更新时间', c.update_time)
  return out
}
