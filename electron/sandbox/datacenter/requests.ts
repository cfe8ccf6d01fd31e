import type { Checked, FieldRow, RequestTable } from './fields'

/**
 * The request tables (请求参数说明) of the commands the sandbox serves, transcribed row by row
 * from the document (§4.1.3–4.1.5, §4.2.5–4.2.8, §4.3.1–4.3.5, §4.3.8–4.3.9, §4.5.1); see
 * fields.ts for how a row
 * is read. Where the document contradicts itself the row follows the issuing side, and says so.
 */

const CERT_TYPES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 9999] as const
const CST_WILLS = ['A', 'B', 'C', 'D', 'E'] as const
const PERSON_OR_COMPANY = ['个人', '公司'] as const
const WORK_JOBS = [
  '中层管理人员',
  '一般管理人员/职员/公务员',
  '核心业务技术人员',
  '其他',
  '个体',
  '党政军干部',
  '跨国企业领导者(老板/董事/股东)',
  '副总经理等高层管理人员',
  '国、央企领导者(老板/董事/股东)',
] as const
const CST_CLASSES = ['员工', '老业主', '老带新', '关系户', '广告来访'] as const

/** the rows cst_info_create (4.2.6) and cst_info_update (4.2.7) share, in the tables' order */
const customerProfileRows = [
  { name: 'customerName', required: true, type: 'String', length: 64 },
  { name: 'gender', required: true, type: 'int', values: [1, 2] },
  { name: 'mobile', required: true, type: 'String', length: 16 },
  { name: 'homeTel', required: false, type: 'String', length: 64 },
  { name: 'certNum', required: false, type: 'String', length: 64 },
  { name: 'address', required: false, type: 'String', length: 150 },
  { name: 'certType', required: false, type: 'int', values: CERT_TYPES },
  { name: 'userGUID', required: true, type: 'String', length: 64 },
  { name: 'homeArea', required: false, type: 'String', length: 64 },
  { name: 'homeCase', required: false, type: 'String', length: 64 },
  { name: 'workTrade', required: false, type: 'String', length: 64 },
  { name: 'workJob', required: false, type: 'String', length: 64, values: WORK_JOBS },
  { name: 'workArea', required: false, type: 'String', length: 64 },
  { name: 'cstType', required: false, type: 'String', length: 64, values: PERSON_OR_COMPANY },
  { name: 'fromArea', required: false, type: 'String', length: 32 },
  { name: 'zyNum', required: false, type: 'int' },
  { name: 'oldOwner', required: false, type: 'String', length: 32, values: ['是', '否'] },
  { name: 'cstClass', required: false, type: 'String', length: 32, values: CST_CLASSES },
] as const satisfies readonly FieldRow[]

export const requestTables = {
  /** 4.1.3 G-BA-03 项目信息查询. syncTime's 长度 is 4, which no datetime fits: the format decides. */
  base_project_list: [
    { name: 'page', required: false, type: 'int' },
    { name: 'pageSize', required: false, type: 'int' },
    { name: 'syncTime', required: false, type: 'datetime', millis: true },
  ],
  /** 4.1.4 G-BA-04 置业顾问项目关系查询: the paging rows of 4.1.3 (syncTime's 长度 4 as there) */
  base_consultantProj_list: [
    { name: 'page', required: false, type: 'int' },
    { name: 'pageSize', required: false, type: 'int' },
    { name: 'syncTime', required: false, type: 'datetime', millis: true },
  ],
  /** 4.1.5 G-BA-05 置业顾问获取 */
  base_consultant_list: [
    { name: 'page', required: false, type: 'int' },
    { name: 'pageSize', required: false, type: 'int' },
    { name: 'syncTime', required: false, type: 'datetime', millis: true },
  ],
  /** 4.2.5 G-CU-04 客户资料查询 */
  cst_info_get: [{ name: 'mobile', required: true, type: 'String', length: 16 }],
  /** 4.2.6 P-CU-05 客户资料新增 */
  cst_info_create: [
    { name: 'projGUID', required: true, type: 'String', length: 64 },
    ...customerProfileRows,
  ],
  /**
   * 4.2.7 P-CU-06 客户资料更新. The table says cstGUID is String(16), but the Data Center issues
   * it as string(64) (4.2.5, 4.2.6): the issuing side's 64 is used.
   */
  cst_info_update: [
    { name: 'cstGUID', required: true, type: 'String', length: 64 },
    { name: 'projGUID', required: false, type: 'String', length: 64 },
    ...customerProfileRows,
  ],
  /** 4.2.8 P-CU-07 跟进信息上报. cstGUID: the table's 20 is not what 4.2.5/4.2.6 issue; 64. */
  cst_follow_update: [
    { name: 'cstGUID', required: true, type: 'String', length: 64 },
    { name: 'projGUID', required: true, type: 'String', length: 64 },
    { name: 'followTime', required: true, type: 'datetime', length: 32 },
    { name: 'followContent', required: false, type: 'String', length: 200 },
    { name: 'followType', required: true, type: 'int', values: [1, 2, 3, 4, 5, 6, 7] },
    { name: 'userGUID', required: true, type: 'String', length: 64 },
    { name: 'oppGUID', required: true, type: 'String', length: 64 },
    { name: 'nextDate', required: false, type: 'date', length: 32 },
    { name: 'nextContent', required: false, type: 'String', length: 200 },
    { name: 'cstWill', required: true, type: 'String', length: 64, values: CST_WILLS },
    {
      name: 'keyActions',
      required: false,
      type: 'String',
      length: 200,
      values: ['参观样板区', '做置业预算', '邀亲朋到访', '经他人推荐'],
      multi: ';',
    },
    { name: 'remark', required: false, type: 'String', length: 100 },
  ],
  /** 4.3.1 G-SA-01 线索判断 */
  s_lead_identify: [
    { name: 'phone', required: true, type: 'String', length: 32 },
    { name: 'projGUID', required: true, type: 'String', length: 64 },
  ],
  /** 4.3.2 P-SA-02 线索上报 */
  s_lead_create: [
    { name: 'projGUID', required: true, type: 'String', length: 64 },
    { name: 'consultantId', required: true, type: 'String', length: 64 },
    { name: 'cstName', required: true, type: 'String', length: 64 },
    { name: 'cstTel', required: true, type: 'String', length: 64 },
    { name: 'cstType', required: true, type: 'String', length: 32, values: PERSON_OR_COMPANY },
    { name: 'cstGender', required: true, type: 'int', values: [1, 2, 0] },
    { name: 'description', required: false, type: 'String', length: 64 },
    {
      name: 'leadSource',
      required: true,
      type: 'String',
      length: 32,
      values: ['来访', '微信预约', '来电', '其他'],
    },
    { name: 'topic', required: true, type: 'String', length: 200 },
    { name: 'cognizeAve', required: false, type: 'String', length: 64 },
    { name: 'appointTime', required: false, type: 'datetime', length: 32, millis: true },
    { name: 'leadType', required: false, type: 'String', length: 32, values: ['天使', '微信'] },
  ],
  /** 4.3.3 G-SA-03 线索查询: leadGUID, or phone and projGUID ("projCode" in the leadGUID row) */
  s_lead_query: [
    {
      name: 'leadGUID',
      required: { unlessAny: ['phone', 'projGUID'] },
      type: 'String',
      length: 64,
    },
    { name: 'phone', required: { unlessAny: ['leadGUID'] }, type: 'String', length: 32 },
    { name: 'projGUID', required: { unlessAny: ['leadGUID'] }, type: 'String', length: 64 },
  ],
  /** 4.3.4 G-SA-04 机会判断: phone and cardId are both 否; with neither no customer is found */
  s_opportunity_identify: [
    { name: 'phone', required: false, type: 'String', length: 32 },
    { name: 'cardId', required: false, type: 'String', length: 32 },
    { name: 'projGUID', required: true, type: 'String', length: 64 },
  ],
  /** 4.3.5 P-SA-05 销售机会上报 */
  opportunity_info_create: [
    { name: 'cstGUID', required: true, type: 'String', length: 64 },
    { name: 'projGUID', required: true, type: 'String', length: 64 },
    { name: 'userGUID', required: true, type: 'String', length: 64 },
    {
      name: 'status',
      required: true,
      type: 'String',
      length: 20,
      values: ['登记', '丢失', '激活', '看房', '签约', '认购', '问询', '预约'],
    },
    { name: 'oppSource', required: false, type: 'String', length: 100 },
    { name: 'dsReason', required: false, type: 'String', length: 64 },
    { name: 'cstWill', required: true, type: 'String', length: 64, values: CST_WILLS },
    { name: 'isLocalHouseHold', required: false, type: 'int', values: [0, 1] },
    { name: 'socialSecurityYear', required: false, type: 'int' },
    { name: 'dsDate', required: false, type: 'datetime', length: 64, millis: true },
    { name: 'leadGUID', required: false, type: 'String', length: 64 },
    { name: 'topic', required: false, type: 'String', length: 100 },
    { name: 'dlgs', required: false, type: 'String', length: 100 },
    { name: 'khly', required: false, type: 'String', length: 32 },
  ],
  /** 4.3.8 P-SA-08 销售机会更新: create's rows with oppGUID first; status may also be 赢得 */
  opportunity_info_update: [
    { name: 'oppGUID', required: true, type: 'String', length: 64 },
    { name: 'cstGUID', required: true, type: 'String', length: 64 },
    { name: 'projGUID', required: true, type: 'String', length: 64 },
    { name: 'userGUID', required: true, type: 'String', length: 64 },
    {
      name: 'status',
      required: true,
      type: 'String',
      length: 20,
      values: ['登记', '丢失', '激活', '看房', '签约', '认购', '问询', '赢得', '预约'],
    },
    { name: 'oppSource', required: false, type: 'String', length: 100 },
    { name: 'dsReason', required: false, type: 'String', length: 64 },
    { name: 'cstWill', required: true, type: 'String', length: 64, values: CST_WILLS },
    { name: 'isLocalHouseHold', required: false, type: 'int', values: [0, 1] },
    { name: 'socialSecurityYear', required: false, type: 'int' },
    { name: 'dsDate', required: false, type: 'datetime', length: 32, millis: true },
    { name: 'leadGUID', required: false, type: 'String', length: 64 },
    { name: 'topic', required: false, type: 'String', length: 100 },
    { name: 'dlgs', required: false, type: 'String', length: 100 },
    { name: 'khly', required: false, type: 'String', length: 32 },
  ],
  /** 4.3.9 G-SA-09 销售机会查询: oppGUID, or cstGUID and projGUID ("projCode" in one row) */
  opportunity_info_query: [
    {
      name: 'oppGUID',
      required: { unlessAny: ['cstGUID', 'projGUID'] },
      type: 'String',
      length: 64,
    },
    { name: 'cstGUID', required: { unlessAny: ['oppGUID'] }, type: 'String', length: 64 },
    { name: 'projGUID', required: { unlessAny: ['oppGUID'] }, type: 'String', length: 64 },
  ],
  /** 4.5.1 G-AG-01 客户鉴定请求 */
  cst_identify: [
    { name: 'cstMobile', required: true, type: 'String', length: 16 },
    { name: 'projGUID', required: true, type: 'String', length: 64 },
  ],
} as const satisfies Record<string, RequestTable>

export type SpecCommand = keyof typeof requestTables
export type SpecRequest<C extends SpecCommand> = Checked<(typeof requestTables)[C]>

export function isSpecCommand(cmd: string): cmd is SpecCommand {
  return Object.hasOwn(requestTables, cmd)
}
