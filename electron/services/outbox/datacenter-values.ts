/** How the outbox's values are written for the Data Center's report commands. */

/**
 * cst_info_create requires gender 1 or 2 and has no "unknown". A 0 is read from the 称呼
 * (…先生 → 1; …女士/小姐/太太 → 2); when that says nothing either, 1 is sent. The lead
 * (s_lead_create, which allows 0) keeps the 0.
 */
export function customerGender(gender: 0 | 1 | 2, name: string): 1 | 2 {
  if (gender !== 0) return gender
  if (/(女士|小姐|太太|夫人)$/.test(name.trim())) return 2
  return 1
}

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
