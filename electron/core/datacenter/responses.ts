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
