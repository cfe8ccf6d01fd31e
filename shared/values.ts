/**
 * Plain values both sides need, without zod: the renderer imports these directly (zod probes
 * `new Function` when it builds schemas, which the renderer's CSP reports as a violation).
 * shared/domain.ts and shared/settings.ts re-export them.
 */

export const MOBILE_RE = /^1[3-9]\d{9}$/

export const pauseReasons = ['休息', '会议', '培训', '用餐', '其他'] as const

/** 138****1234: keeps the first three and last four digits */
export function maskPhone(phone: string): string {
  return phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****'
}

/** Numbers held ahead of the one on screen when the settings do not say (settings.holdAhead). */
export const HOLD_AHEAD_DEFAULT = 3
