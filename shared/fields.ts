/**
 * The one copy of every limit on what the agent types or picks. The screen (maxlength), the IPC
 * input check, the outbox payload check and the weixin client's request check all read these, so
 * a value the screen accepts is never refused after the save was acknowledged.
 *
 * The weixin action document (weixin-actions.md) gives no lengths: its numbers are ours. Where a
 * value also goes to the Data Center, that document's length (datacenter-open-api.md) binds.
 * Zod-free: the renderer imports it.
 */
export const FIELD_MAX = {
  /** 工号: ours (weixin gives none; logins use short zero-padded numbers) */
  userNum: 32,
  /** 密码: ours */
  password: 64,
  /** 机器码: ours */
  machineNo: 64,
  /** 客户称呼 (savecallback owner_name): also the Data Center's customerName / cstName, 64 (§4.2.6, §4.3.2) */
  ownerName: 64,
  /** 客户姓名 (save_to_customer customer_name): ours, the same as the 称呼 */
  customerName: 64,
  /** 反馈结果 (call_back_item_name): a name from getcallback; ours */
  callbackItem: 64,
  /** 推荐楼盘 (recommend): a weixin project's name; ours, as for the names */
  recommend: 64,
  /** 性别 (gender_type): a value from get_gender_type; ours */
  genderType: 8,
  /** 客户类型 (customer_type): a value from get_customer_type; ours */
  customerType: 8,
  /** 跟进内容: the Data Center's followContent, 200 (§4.2.8); save_to_customer's follow_content alike */
  followContent: 200,
  /** 备注 of a call: ours; the call log keeps it whole, the Data Center gets followContent's 200 */
  notes: 500,
  /** 下次跟进内容: the Data Center's nextContent, 200 (§4.2.8) */
  nextFollowContent: 200,
  /** 项目名称: the Data Center's projName, 50 (base_project_list, §4.1.3) */
  projectName: 50,
  /** 勿扰 reason: ours */
  dncReason: 100,
  /** 话术 of a project (a supervisor's text, distributed with the connection profile): ours */
  script: 2000,
  /** one 卖点 of a project: ours */
  sellingPoint: 100,
} as const

/** How many 卖点 a project's script may list: ours (they are read at a glance during a call). */
export const SELLING_POINTS_MAX = 12
/** How many projects a connection profile may carry scripts for: ours. */
export const SCRIPTED_PROJECTS_MAX = 100

/** 客户意向, A the highest: the Data Center's cstWill candidates (§4.2.8). */
export const intents = ['A', 'B', 'C', 'D', 'E'] as const
export type Intent = (typeof intents)[number]

/** A remote value cut to one of our limits, and whether anything was cut. */
export interface FittedText {
  value: string
  /** characters before the cut (0 when nothing was cut) */
  cutFrom: number
}

/**
 * The one rule for a value that comes from a remote system (a call list's owner name, a weixin
 * project's name) and is longer than where it goes: trimmed, then cut to the first `max`
 * characters (code points, so a character is never split). A save is never refused for a value
 * the agent did not type; the caller says in the call log that it was cut (truncationNote).
 */
export function fitRemoteText(value: string, max: number): FittedText {
  const chars = Array.from(value.trim())
  if (chars.length <= max) return { value: chars.join(''), cutFrom: 0 }
  return { value: chars.slice(0, max).join(''), cutFrom: chars.length }
}

/** The call log's note for a cut value, e.g. 〔客户称呼原 73 字，已截为 64 字上报〕. */
export function truncationNote(label: string, fitted: FittedText, max: number): string {
  return fitted.cutFrom > 0 ? `〔${label}原 ${fitted.cutFrom} 字，已截为 ${max} 字上报〕` : ''
}
