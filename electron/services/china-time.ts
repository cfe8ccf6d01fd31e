/** yyyy-MM-dd HH:mm:ss in China time (UTC+8), the format the remote systems' data uses */
export function chinaDateTime(d: Date): string {
  const t = new Date(d.getTime() + 8 * 3600_000)
  const pad = (n: number): string => String(n).padStart(2, '0')
  return (
    `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())} ` +
    `${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}`
  )
}

/** 1 男, 2 女, 0 unknown: what a call list's 李先生 / 王女士 says about the owner */
export function genderFromOwnerName(ownerName: string): 0 | 1 | 2 {
  if (/(先生|男士)$/.test(ownerName)) return 1
  if (/(女士|小姐|太太)$/.test(ownerName)) return 2
  return 0
}
