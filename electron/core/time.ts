const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n))

/** yyyy-MM-dd HH:mm:ss in China time (UTC+8), the format the remote systems' data uses */
export function chinaDateTime(d: Date): string {
  const t = new Date(d.getTime() + 8 * 3600_000)
  return (
    `${t.getUTCFullYear()}-${pad2(t.getUTCMonth() + 1)}-${pad2(t.getUTCDate())} ` +
    `${pad2(t.getUTCHours())}:${pad2(t.getUTCMinutes())}:${pad2(t.getUTCSeconds())}`
  )
}

/** yyyy-MM-dd of a moment in the machine's zone (the agent's calendar day). */
export function localDay(d: Date): string {
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}`
}
