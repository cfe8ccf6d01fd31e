import { z } from 'zod'
import type { AnyDataCenterCommand } from './commands'

/**
 * Responses: the decrypted data is `{errcode, errmsg, content}` (§2.1). The tables list the
 * business fields either bare (cstGUID, exist, …) or as `data/x` (result, leadGUID, list); both
 * are read from `content`: `data/x` → content.x, a bare field → content.field. So s_lead_identify
 * is content.result, s_lead_query content.list, cst_identify content.exist … content.list.
 * Response checks are lenient where that is harmless: optional fields may be null, ints may come
 * as digit strings, cst_identify's followType may be a number or a string.
 */

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

/** 4.1.5 base_consultant_list: one page of consultants (the password is not kept) */
export const consultantSchema = z.object({
  userGUID: z.string().min(1),
  userName: optStr(),
  /** 账号: the agent's 工号 */
  userCode: z.string(),
  mobile: optStr(),
  /** 0 有效, 1 无效 */
  isDisabled: optInt(),
  createdOn: optStr(),
})
export const baseConsultantListContent = z.object({
  lastSyncTime: optStr(),
  totalPage: respInt(),
  page: respInt(),
  list: z
    .array(consultantSchema)
    .nullish()
    .transform((v) => v ?? []),
})

/** 4.1.4 base_consultantProj_list: which consultant works in which project */
export const consultantProjSchema = z.object({
  userGUID: z.string().min(1),
  projGUID: z.string().min(1),
  stationName: optStr(),
  stationGUID: optStr(),
  parentStationGUID: optStr(),
  parentStationName: optStr(),
  createdOn: optStr(),
})
export const baseConsultantProjListContent = z.object({
  lastSyncTime: optStr(),
  totalPage: respInt(),
  page: respInt(),
  list: z
    .array(consultantProjSchema)
    .nullish()
    .transform((v) => v ?? []),
})

/** 4.3.9 opportunity_info_query: one opportunity of data/list */
export const opportunitySchema = z.object({
  oppGUID: z.string().min(1),
  cstGUID: z.string(),
  projGUID: z.string(),
  userGUID: optStr(),
  status: z.string(),
  oppSource: optStr(),
  dsReason: optStr(),
  firstCstWill: optStr(),
  cstWill: optStr(),
  partner: optStr(),
  partnerGUIDList: optStr(),
  isLocalHouseHold: optInt(),
  socialSecurityYear: optInt(),
  dsDate: optStr(),
  leadGUID: optStr(),
})
/** data/list is typed String (机会json数组): an array, or that array as JSON text */
const jsonArray = z.preprocess((v) => {
  if (typeof v !== 'string') return v
  try {
    return JSON.parse(v) as unknown
  } catch {
    return v
  }
}, z.array(opportunitySchema).nullish())
export const opportunityInfoQueryContent = z.object({
  list: jsonArray.transform((v) => v ?? []),
})
/** opportunity_info_update returns nothing beyond errcode/errmsg */
export const opportunityInfoUpdateContent = z.object({})

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
  base_consultant_list: baseConsultantListContent,
  base_consultantProj_list: baseConsultantProjListContent,
  opportunity_info_query: opportunityInfoQueryContent,
  opportunity_info_update: opportunityInfoUpdateContent,
} as const satisfies Record<AnyDataCenterCommand, z.ZodType>

export type ContentOf<C extends AnyDataCenterCommand> = z.output<(typeof contentSchemas)[C]>
export type BaseProject = z.output<typeof baseProjectSchema>
export type Consultant = z.output<typeof consultantSchema>
export type Opportunity = z.output<typeof opportunitySchema>

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
