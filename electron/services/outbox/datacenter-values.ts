/** How the outbox's values are written for the Data Center's report commands. */

/**
 * cst_info_create (§4.2.6) takes gender 1 男 or 2 女 and has no "unknown". The payload's gender
 * (the one the agent picked, or what the 称呼 says) is used; a 0 is read from the 称呼 once more
 * (…先生/男士 → 1; …女士/小姐/太太/夫人 → 2). When nothing says which, null: the report does
 * not guess, it asks the agent (report-record-steps.ts).
 */
export function customerGender(gender: 0 | 1 | 2, name: string): 1 | 2 | null {
  const g = leadGender(gender, name)
  return g === 0 ? null : g
}

/** s_lead_create (§4.3.2) allows 0 未知: an unknown gender is sent as unknown. */
export function leadGender(gender: 0 | 1 | 2, name: string): 0 | 1 | 2 {
  if (gender !== 0) return gender
  if (/(先生|男士)$/.test(name.trim())) return 1
  if (/(女士|小姐|太太|夫人)$/.test(name.trim())) return 2
  return 0
}

const DC_TIME_RE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/

/** followTime as the Data Center wants it: yyyy-MM-dd HH:mm:ss, Beijing time. */
export function dataCenterTime(value: string): string | null {
  if (DC_TIME_RE.test(value)) return value
  const t = Date.parse(value)
  if (Number.isNaN(t)) return null
  const b = new Date(t + 8 * 3600_000)
  const pad = (n: number): string => String(n).padStart(2, '0')
  return (
    `${b.getUTCFullYear()}-${pad(b.getUTCMonth() + 1)}-${pad(b.getUTCDate())} ` +
    `${pad(b.getUTCHours())}:${pad(b.getUTCMinutes())}:${pad(b.getUTCSeconds())}`
  )
}
