import { z } from 'zod'
import { DC_BAD_FIELD, DC_BAD_FORMAT, DC_MISSING_FIELD } from './codes'

/**
 * Request and response schemas of the ten commands the app uses, from the §4 tables (and of
 * base_project_list, kept apart: see baseDataCommands).
 *
 * Requests: required fields, String vs int (ints are whole numbers within Java's int), and the
 * 长度 column as a maximum counted in characters (code points). Closed value lists the tables
 * give for ints (gender, followType, certType, …), cstWill A–E and the documented time formats
 * are checked too. A failure is 1001 (missing, null or an empty required string) or 1002 (wrong
 * type, too long, not an allowed value), with the field; the client checks before sending and
 * the sandbox answers with the same codes.
 *
 * One deliberate deviation: cstGUID is 16 long in cst_info_update and 20 in cst_follow_update,
 * but the Data Center issues it as String(64) (cst_info_get, cst_info_create) and accepts 64 in
 * opportunity_info_create; taking 16/20 literally would reject every GUID it hands out, so 64 is
 * used everywhere.
 *
 * Responses: the decrypted data is `{errcode, errmsg, content}` (§2.1). The tables list the
 * business fields either bare (cstGUID, exist, …) or as `data/x` (result, leadGUID, list); both
 * are read from `content`: `data/x` → content.x, a bare field → content.field. So s_lead_identify
 * is content.result, s_lead_query content.list, cst_identify content.exist … content.list.
 * Response checks are lenient where that is harmless: optional fields may be null, ints may come
 * as digit strings, cst_identify's followType may be a number or a string.
 */

export const dataCenterCommands = [
  'cst_info_get',
  'cst_info_create',
  'cst_info_update',
  'cst_follow_update',
  's_lead_identify',
  's_lead_create',
  's_lead_query',
  's_opportunity_identify',
  'opportunity_info_create',
  'cst_identify',
] as const
export type DataCenterCommand = (typeof dataCenterCommands)[number]

export function isDataCenterCommand(cmd: string): cmd is DataCenterCommand {
  return (dataCenterCommands as readonly string[]).includes(cmd)
}

/**
 * Base-data reads (§4.1) the app uses besides the ten: base_project_list maps a weixin project
 * to its projGUID by name. Kept apart from `dataCenterCommands` so the ten's tables stay as they
 * are; every command the client and the sandbox accept is `AnyDataCenterCommand`.
 */
export const baseDataCommands = ['base_project_list'] as const
export type BaseDataCommand = (typeof baseDataCommands)[number]
export const allDataCenterCommands = [...dataCenterCommands, ...baseDataCommands] as const
export type AnyDataCenterCommand = DataCenterCommand | BaseDataCommand

export function isAnyDataCenterCommand(cmd: string): cmd is AnyDataCenterCommand {
  return (allDataCenterCommands as readonly string[]).includes(cmd)
}

// --- request building blocks ---

const INT_MIN = -2_147_483_648
const INT_MAX = 2_147_483_647
/** marks an issue as "missing" (1001) rather than "wrong" (1002) */
const MISSING = { dc: DC_MISSING_FIELD }

const charCount = (s: string): number => {
  let n = 0
  for (const _ of s) n++
  return n
}

/** String with the table's 长度 as its maximum, in characters. */
const str = (max: number) =>
  z
    .string({ error: '应为字符串' })
    .refine((s) => charCount(s) <= max, { error: `长度不能超过 ${max}` })

/** A required String: absent, null or blank counts as missing. */
const reqStr = (max: number) =>
  z
    .string({ error: '应为字符串' })
    .refine((s) => s.trim() !== '', { error: '不能为空', params: MISSING, abort: true })
    .refine((s) => charCount(s) <= max, { error: `长度不能超过 ${max}` })

const int = () =>
  z
    .number({ error: '应为整数' })
    .int({ error: '应为整数' })
    .min(INT_MIN, { error: '超出 int 范围' })
    .max(INT_MAX, { error: '超出 int 范围' })

// The casts only narrow the static type to the listed values; the refine does the checking.
const intIn = <const T extends readonly number[]>(values: T) =>
  z
    .number({ error: '应为整数' })
    .int({ error: '应为整数' })
    .refine((v) => values.includes(v), {
      error: `取值应为 ${values.join('、')}`,
    }) as unknown as z.ZodType<T[number], T[number]>

const strIn = <const T extends readonly string[]>(values: T, max: number) =>
  reqStr(max).refine((v) => values.includes(v), {
    error: `取值应为 ${values.join('、')}`,
  }) as unknown as z.ZodType<T[number], T[number]>

const DATETIME_RE = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(\.\d{3})?$/
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/

function validDate(y: number, m: number, d: number): boolean {
  const t = new Date(Date.UTC(y, m - 1, d))
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d
}

function isDateTime(s: string, allowMillis: boolean): boolean {
  const m = DATETIME_RE.exec(s)
  if (!m || (!allowMillis && m[7] !== undefined)) return false
  const [y, mo, d, h, mi, se] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ]
  return validDate(y, mo, d) && h < 24 && mi < 60 && se < 60
}

function isDate(s: string): boolean {
  const m = DATE_RE.exec(s)
  return m !== null && validDate(Number(m[1]), Number(m[2]), Number(m[3]))
}

/** `yyyy-MM-dd HH:mm:ss`, with `[.SSS]` where the table allows it. */
const datetime = (max: number, allowMillis = false) =>
  str(max).refine((s) => isDateTime(s, allowMillis), {
    error: `格式应为 yyyy-MM-dd HH:mm:ss${allowMillis ? '[.SSS]' : ''}`,
  })
const reqDatetime = (max: number, allowMillis = false) =>
  reqStr(max).refine((s) => isDateTime(s, allowMillis), {
    error: `格式应为 yyyy-MM-dd HH:mm:ss${allowMillis ? '[.SSS]' : ''}`,
  })

export const GENDERS = [1, 2] as const
export const LEAD_GENDERS = [0, 1, 2] as const
export const CERT_TYPES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 9999] as const
export const CST_WILLS = ['A', 'B', 'C', 'D', 'E'] as const
/** cst_follow_update followType (跟进方式) */
export const FOLLOW_TYPES = {
  1: '主动电访',
  2: '客户来电',
  3: '现场接待',
  4: '短信',
  5: '邮件',
  6: '上门拜访',
  7: '其它',
} as const
const FOLLOW_TYPE_VALUES = [1, 2, 3, 4, 5, 6, 7] as const

// --- requests (§4) ---

/** 4.2.5 G-CU-04 客户资料查询 */
export const cstInfoGetRequest = z.object({
  mobile: reqStr(16),
})

/** the fields cst_info_create and cst_info_update share (4.2.6 / 4.2.7) */
const customerProfileFields = {
  customerName: reqStr(64),
  gender: intIn(GENDERS),
  mobile: reqStr(16),
  homeTel: str(64).optional(),
  certNum: str(64).optional(),
  address: str(150).optional(),
  certType: intIn(CERT_TYPES).optional(),
  userGUID: reqStr(64),
  homeArea: str(64).optional(),
  homeCase: str(64).optional(),
  workTrade: str(64).optional(),
  workJob: str(64).optional(),
  workArea: str(64).optional(),
  cstType: str(64).optional(),
  fromArea: str(32).optional(),
  zyNum: int().optional(),
  oldOwner: str(32).optional(),
  cstClass: str(32).optional(),
}

/** 4.2.6 P-CU-05 客户资料新增 */
export const cstInfoCreateRequest = z.object({
  projGUID: reqStr(64),
  ...customerProfileFields,
})

/** 4.2.7 P-CU-06 客户资料更新 (cstGUID: 64, see the note above) */
export const cstInfoUpdateRequest = z.object({
  cstGUID: reqStr(64),
  projGUID: str(64).optional(),
  ...customerProfileFields,
})

/** 4.2.8 P-CU-07 跟进信息上报 (cstGUID: 64, see the note above) */
export const cstFollowUpdateRequest = z.object({
  cstGUID: reqStr(64),
  projGUID: reqStr(64),
  followTime: reqDatetime(32),
  followContent: str(200).optional(),
  followType: intIn(FOLLOW_TYPE_VALUES),
  userGUID: reqStr(64),
  oppGUID: reqStr(64),
  nextDate: str(32).refine(isDate, { error: '格式应为 yyyy-MM-dd' }).optional(),
  nextContent: str(200).optional(),
  cstWill: strIn(CST_WILLS, 64),
  /** 关键行为, `;`-separated: 参观样板区;做置业预算;邀亲朋到访;经他人推荐 */
  keyActions: str(200).optional(),
  remark: str(100).optional(),
})

/** 4.3.1 G-SA-01 线索判断 */
export const sLeadIdentifyRequest = z.object({
  phone: reqStr(32),
  projGUID: reqStr(64),
})

/** 4.3.2 P-SA-02 线索上报 */
export const sLeadCreateRequest = z.object({
  projGUID: reqStr(64),
  consultantId: reqStr(64),
  cstName: reqStr(64),
  cstTel: reqStr(64),
  /** 个人/公司 */
  cstType: reqStr(32),
  cstGender: intIn(LEAD_GENDERS),
  description: str(64).optional(),
  /** 来访/微信预约/来电/其他 */
  leadSource: reqStr(32),
  topic: reqStr(200),
  cognizeAve: str(64).optional(),
  appointTime: datetime(32, true).optional(),
  /** 天使/微信 */
  leadType: str(32).optional(),
})

/** 4.3.3 G-SA-03 线索查询: leadGUID, or phone and projGUID */
export const sLeadQueryRequest = z
  .object({
    leadGUID: str(64).optional(),
    phone: str(32).optional(),
    projGUID: str(64).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.leadGUID?.trim()) return
    const issue = (field: string, message: string): void =>
      ctx.addIssue({ code: 'custom', path: [field], message, params: MISSING })
    if (!v.phone?.trim() && !v.projGUID?.trim())
      issue('leadGUID', '需要 leadGUID，或 phone 和 projGUID')
    else if (!v.phone?.trim()) issue('phone', '没有 leadGUID 时必须')
    else if (!v.projGUID?.trim()) issue('projGUID', '没有 leadGUID 时必须')
  })

/** 4.3.4 G-SA-04 机会判断: the customer is found by phone, else by cardId */
export const sOpportunityIdentifyRequest = z
  .object({
    phone: str(32).optional(),
    cardId: str(32).optional(),
    projGUID: reqStr(64),
  })
  .superRefine((v, ctx) => {
    if (!v.phone?.trim() && !v.cardId?.trim()) {
      ctx.addIssue({
        code: 'custom',
        path: ['phone'],
        message: '需要 phone 或 cardId',
        params: MISSING,
      })
    }
  })

/** 4.3.5 P-SA-05 销售机会上报 */
export const opportunityInfoCreateRequest = z.object({
  cstGUID: reqStr(64),
  projGUID: reqStr(64),
  userGUID: reqStr(64),
  /** 登记、丢失、激活、看房、签约、认购、问询、预约 */
  status: reqStr(20),
  oppSource: str(100).optional(),
  dsReason: str(64).optional(),
  cstWill: strIn(CST_WILLS, 64),
  isLocalHouseHold: intIn([0, 1] as const).optional(),
  socialSecurityYear: int().optional(),
  dsDate: datetime(64, true).optional(),
  leadGUID: str(64).optional(),
  topic: str(100).optional(),
  dlgs: str(100).optional(),
  khly: str(32).optional(),
})

/** 4.5.1 G-AG-01 客户鉴定请求 */
export const cstIdentifyRequest = z.object({
  cstMobile: reqStr(16),
  projGUID: reqStr(64),
})

/**
 * 4.1.3 G-BA-03 项目信息查询. The table gives syncTime a 长度 of 4, which no datetime fits; the
 * format it names (up to 23 characters with milliseconds) is checked instead.
 */
export const baseProjectListRequest = z.object({
  page: int().optional(),
  pageSize: int().optional(),
  syncTime: datetime(32, true).optional(),
})

export const requestSchemas = {
  cst_info_get: cstInfoGetRequest,
  cst_info_create: cstInfoCreateRequest,
  cst_info_update: cstInfoUpdateRequest,
  cst_follow_update: cstFollowUpdateRequest,
  s_lead_identify: sLeadIdentifyRequest,
  s_lead_create: sLeadCreateRequest,
  s_lead_query: sLeadQueryRequest,
  s_opportunity_identify: sOpportunityIdentifyRequest,
  opportunity_info_create: opportunityInfoCreateRequest,
  cst_identify: cstIdentifyRequest,
  base_project_list: baseProjectListRequest,
} as const satisfies Record<AnyDataCenterCommand, z.ZodType>

export type RequestOf<C extends AnyDataCenterCommand> = z.input<(typeof requestSchemas)[C]>
export type CheckedRequestOf<C extends AnyDataCenterCommand> = z.output<(typeof requestSchemas)[C]>

export type CstInfoGetRequest = RequestOf<'cst_info_get'>
export type CstInfoCreateRequest = RequestOf<'cst_info_create'>
export type CstInfoUpdateRequest = RequestOf<'cst_info_update'>
export type CstFollowUpdateRequest = RequestOf<'cst_follow_update'>
export type SLeadIdentifyRequest = RequestOf<'s_lead_identify'>
export type SLeadCreateRequest = RequestOf<'s_lead_create'>
export type SLeadQueryRequest = RequestOf<'s_lead_query'>
export type SOpportunityIdentifyRequest = RequestOf<'s_opportunity_identify'>
export type OpportunityInfoCreateRequest = RequestOf<'opportunity_info_create'>
export type CstIdentifyRequest = RequestOf<'cst_identify'>
export type BaseProjectListRequest = RequestOf<'base_project_list'>

export type RequestCheck<C extends AnyDataCenterCommand> =
  | { ok: true; data: CheckedRequestOf<C> }
  | { ok: false; code: 1001 | 1002 | 1004; field: string; reason: string }

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root
  for (const key of path) {
    if (typeof v !== 'object' || v === null) return undefined
    v = (v as Record<PropertyKey, unknown>)[key]
  }
  return v
}

/**
 * Checks request data against its command's table. Unknown keys are dropped from `data` (only
 * documented fields are sent). The first failure decides the code: 1001 when the field is
 * absent, null or blank, 1002 otherwise; 1004 when the data is not an object at all.
 */
export function checkRequest<C extends AnyDataCenterCommand>(
  cmd: C,
  data: unknown,
): RequestCheck<C> {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { ok: false, code: DC_BAD_FORMAT, field: '', reason: '业务数据应为对象' }
  }
  // null means "not given" to the Data Center's Java side; treat it like an absent key
  const cleaned = Object.fromEntries(Object.entries(data).filter(([, v]) => v !== null))
  const result = requestSchemas[cmd].safeParse(cleaned)
  if (result.success) return { ok: true, data: result.data as CheckedRequestOf<C> }
  const issue = result.error.issues[0]
  const path = issue?.path ?? []
  const field = path.map(String).join('.')
  const value = valueAt(cleaned, path)
  const marked = issue?.code === 'custom' && (issue.params as { dc?: number } | undefined)?.dc
  const missing = marked === DC_MISSING_FIELD || value === undefined
  return {
    ok: false,
    code: missing ? DC_MISSING_FIELD : DC_BAD_FIELD,
    field,
    reason: missing && issue?.code !== 'custom' ? '缺失' : (issue?.message ?? ''),
  }
}

// --- responses: content (see the layout note at the top) ---

const respInt = () =>
  z.union([
    z.number().int(),
    z
      .string()
      .regex(/^-?\d+$/)
      .transform(Number),
  ])
const respFlag = () => respInt().refine((v) => v === 0 || v === 1, { error: '应为 0 或 1' })
const optStr = () =>
  z
    .string()
    .nullish()
    .transform((v) => v ?? undefined)
const optInt = () =>
  respInt()
    .nullish()
    .transform((v) => v ?? undefined)

/** 4.2.5 cst_info_get: the customer's master record */
export const cstInfoGetContent = z.object({
  cstGUID: z.string(),
  customerName: z.string(),
  mobile: z.string(),
  phone: optStr(),
  gender: respInt(),
  birthday: z.string(),
  certType: optInt(),
  certNum: optStr(),
  homeProvince: optStr(),
  homeCity: optStr(),
  homeRegion: optStr(),
  address: optStr(),
  workProvince: optStr(),
  workCity: optStr(),
  workRegion: optStr(),
  custType: respInt(),
})

export const cstInfoCreateContent = z.object({ cstGUID: z.string().min(1) })
/** cst_info_update returns nothing beyond errcode/errmsg */
export const cstInfoUpdateContent = z.object({})
export const cstFollowUpdateContent = z.object({ followGUID: z.string().min(1) })
export const sLeadIdentifyContent = z.object({ result: respFlag() })
export const sLeadCreateContent = z.object({ leadGUID: z.string().min(1) })

export const leadSchema = z.object({
  leadGUID: z.string(),
  projGUID: z.string(),
  consultantId: z.string(),
  cstName: z.string(),
  cstTel: z.string(),
  cstType: z.string(),
  cstGender: respInt(),
  description: optStr(),
  leadSource: optStr(),
  topic: optStr(),
  cognizeAve: optStr(),
  appointTime: z.string(),
})
export const sLeadQueryContent = z.object({ list: z.array(leadSchema) })
export const sOpportunityIdentifyContent = z.object({ result: respFlag() })
export const opportunityInfoCreateContent = z.object({ oppGUID: z.string().min(1) })

export const followRecordSchema = z.object({
  followTime: z.string(),
  /** documented as String (跟进类别); the sandbox sends the followType code as text */
  followType: z.union([z.string(), z.number().transform(String)]),
  followContent: z
    .string()
    .nullish()
    .transform((v) => v ?? ''),
  projGUID: z.string(),
})
export const cstIdentifyContent = z.object({
  exist: respFlag(),
  isBlack: respFlag(),
  isOwner: respFlag(),
  isStaff: respFlag(),
  isMember: respFlag(),
  list: z
    .array(followRecordSchema)
    .nullish()
    .transform((v) => v ?? []),
})

/** 4.1.3 base_project_list: one page of projects (data/x fields, read from content) */
export const baseProjectSchema = z.object({
  projGUID: z.string().min(1),
  projName: z.string(),
  parentGUID: optStr(),
  cityName: optStr(),
  status: respInt(),
  lastModifyTime: optStr(),
  ifEnd: optInt(),
  buGUID: optStr(),
  level: optInt(),
})
export const baseProjectListContent = z.object({
  lastSyncTime: optStr(),
  totalPage: respInt(),
  page: respInt(),
  // 记录存在时必须: absent when there are no projects
  list: z
    .array(baseProjectSchema)
    .nullish()
    .transform((v) => v ?? []),
})

export const contentSchemas = {
  cst_info_get: cstInfoGetContent,
  cst_info_create: cstInfoCreateContent,
  cst_info_update: cstInfoUpdateContent,
  cst_follow_update: cstFollowUpdateContent,
  s_lead_identify: sLeadIdentifyContent,
  s_lead_create: sLeadCreateContent,
  s_lead_query: sLeadQueryContent,
  s_opportunity_identify: sOpportunityIdentifyContent,
  opportunity_info_create: opportunityInfoCreateContent,
  cst_identify: cstIdentifyContent,
  base_project_list: baseProjectListContent,
} as const satisfies Record<AnyDataCenterCommand, z.ZodType>

export type ContentOf<C extends AnyDataCenterCommand> = z.output<(typeof contentSchemas)[C]>
export type BaseProject = z.output<typeof baseProjectSchema>

export type CstInfo = ContentOf<'cst_info_get'>
export type Lead = z.output<typeof leadSchema>
export type FollowRecord = z.output<typeof followRecordSchema>
export type CstIdentity = ContentOf<'cst_identify'>

/** The decrypted response data (§2.1). errcode may come as a digit string; errmsg may be absent. */
export const responseDataSchema = z.object({
  errcode: respInt(),
  errmsg: z
    .string()
    .nullish()
    .transform((v) => v ?? ''),
  // error answers often carry no content at all
  content: z.unknown().optional(),
})
