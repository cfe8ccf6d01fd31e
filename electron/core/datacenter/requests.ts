import { z } from 'zod'
import { DC_BAD_FIELD, DC_BAD_FORMAT, DC_MISSING_FIELD } from './codes'
import type { AnyDataCenterCommand } from './commands'
import {
  CERT_TYPES,
  CST_WILLS,
  datetime,
  FOLLOW_TYPE_VALUES,
  GENDERS,
  int,
  intIn,
  isDate,
  LEAD_GENDERS,
  MISSING,
  reqDatetime,
  reqStr,
  str,
  strIn,
} from './request-fields'

/**
 * The request tables of §4 as zod schemas, and the check the client runs before sending.
 *
 * One deliberate deviation: cstGUID is 16 long in cst_info_update and 20 in cst_follow_update,
 * but the Data Center issues it as String(64) (cst_info_get, cst_info_create) and accepts 64 in
 * opportunity_info_create; taking 16/20 literally would reject every GUID it hands out, so 64 is
 * used everywhere.
 */

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

/**
 * A read by its id, or else by both of two keys (§4.3.3, §4.3.9): the missing key is named, as
 * §5's 1001 [%s] names it.
 */
function idOrBoth(id: string, a: string, b: string) {
  return (v: Partial<Record<string, string | undefined>>, ctx: z.RefinementCtx): void => {
    if (v[id]?.trim()) return
    const issue = (field: string, message: string): void =>
      ctx.addIssue({ code: 'custom', path: [field], message, params: MISSING })
    if (!v[a]?.trim() && !v[b]?.trim()) issue(id, `需要 ${id}，或 ${a} 和 ${b}`)
    else if (!v[a]?.trim()) issue(a, `没有 ${id} 时必须`)
    else if (!v[b]?.trim()) issue(b, `没有 ${id} 时必须`)
  }
}

/** 4.3.3 G-SA-03 线索查询: leadGUID, or phone and projGUID */
export const sLeadQueryRequest = z
  .object({
    leadGUID: str(64).optional(),
    phone: str(32).optional(),
    projGUID: str(64).optional(),
  })
  .superRefine(idOrBoth('leadGUID', 'phone', 'projGUID'))

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

/** 4.3.8 P-SA-08 销售机会更新 (status adds 赢得 to create's list) */
export const opportunityInfoUpdateRequest = z.object({
  oppGUID: reqStr(64),
  cstGUID: reqStr(64),
  projGUID: reqStr(64),
  userGUID: reqStr(64),
  /** 登记、丢失、激活、看房、签约、认购、问询、赢得、预约 */
  status: reqStr(20),
  oppSource: str(100).optional(),
  dsReason: str(64).optional(),
  cstWill: strIn(CST_WILLS, 64),
  isLocalHouseHold: intIn([0, 1] as const).optional(),
  socialSecurityYear: int().optional(),
  dsDate: datetime(32, true).optional(),
  leadGUID: str(64).optional(),
  topic: str(100).optional(),
  dlgs: str(100).optional(),
  khly: str(32).optional(),
})

/** 4.3.9 G-SA-09 销售机会查询: oppGUID, or cstGUID and projGUID ("projCode" in one row) */
export const opportunityInfoQueryRequest = z
  .object({
    oppGUID: str(64).optional(),
    cstGUID: str(64).optional(),
    projGUID: str(64).optional(),
  })
  .superRefine(idOrBoth('oppGUID', 'cstGUID', 'projGUID'))

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

/** 4.1.4 base_consultantProj_list and 4.1.5 base_consultant_list: the same paging fields */
export const baseConsultantListRequest = baseProjectListRequest
export const baseConsultantProjListRequest = baseProjectListRequest

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
  base_consultant_list: baseConsultantListRequest,
  base_consultantProj_list: baseConsultantProjListRequest,
  opportunity_info_query: opportunityInfoQueryRequest,
  opportunity_info_update: opportunityInfoUpdateRequest,
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
export type BaseConsultantListRequest = RequestOf<'base_consultant_list'>
export type BaseConsultantProjListRequest = RequestOf<'base_consultantProj_list'>
export type OpportunityInfoQueryRequest = RequestOf<'opportunity_info_query'>
export type OpportunityInfoUpdateRequest = RequestOf<'opportunity_info_update'>

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
