/**
 * Which callback outcomes count as contact (接通: the customer was reached), in one place: the
 * statistics count by it and the statistics screen shows this rule. Outcome names come from the
 * server's catalog and differ between projects, so the rule is by what a name says: an outcome
 * whose name says the call did not reach anyone (无人接听, 占线, 空号, 关机 …) is no contact;
 * every other outcome (继续跟进, 接受邀请, 拒绝, 要求勿扰 …) is. Zod-free: the renderer imports it.
 */

/** Words in an outcome's name that mean the customer was not reached. */
export const noContactWords = [
  '无人接听',
  '未接',
  '拒接',
  '占线',
  '忙音',
  '空号',
  '错号',
  '关机',
  '停机',
  '无法接通',
  '未接通',
  '不在服务区',
] as const

/** The outcome reached the customer. An empty outcome is no contact. */
export function isContactOutcome(outcome: string): boolean {
  const o = outcome.trim()
  if (!o) return false
  return !noContactWords.some((w) => o.includes(w))
}

/** The rule as the statistics screen states it. */
export const contactRuleText =
  `接通率 = 接通数 ÷ 外呼数。反馈结果含「${noContactWords.join('」「')}」的不算接通，` +
  '其余反馈结果（如继续跟进、接受邀请、拒绝、要求勿扰）都算接通；勿扰号码被自动跳过的记录不计入外呼数。'
