import { maskPhone } from '../../../shared/values'
import type { SoftphoneSettings } from '../../../shared/softphone-settings'
import { nextOpening, withinCallingHours } from './calling-hours'

/**
 * Whether a number may be dialed now, under the rules for marketing calls: never a 勿扰 number,
 * only inside the calling hours, and not more than N times in 24 h from this desktop. Pure: the
 * caller passes the facts (the 勿扰 check, the attempts already made).
 */

export type DialRefusal = 'dnc' | 'hours' | 'attempts'

export type DialDecision =
  | { allowed: true }
  | {
      allowed: false
      reason: DialRefusal
      message: string
      opensAt: string | null
      /** the values in message, for the English wording of the refusal (mainCodes.*) */
      params?: Record<string, string | number>
    }

export interface DialFacts {
  phone: string
  now: Date
  rules: Pick<SoftphoneSettings, 'callingWindows' | 'timeZone' | 'maxAttemptsPerDay'>
  isDnc: boolean
  /** times this number was dialed in the last 24 h (any package) */
  attemptsInLastDay: number
  /** the oldest of those attempts, for when the number may be dialed again */
  oldestAttemptAt: Date | null
}

export const DAY_MS = 24 * 60 * 60 * 1000

function hhmm(d: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('zh-CN', {
    ...(timeZone ? { timeZone } : {}),
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(d)
}

export function decideDial(f: DialFacts): DialDecision {
  const { rules, now } = f
  if (f.isDnc) {
    return {
      allowed: false,
      reason: 'dnc',
      message: `${maskPhone(f.phone)} 在勿扰名单上，不能拨打`,
      opensAt: null,
      params: { phone: maskPhone(f.phone) },
    }
  }
  if (!withinCallingHours(now, rules.callingWindows, rules.timeZone)) {
    const opens = nextOpening(now, rules.callingWindows, rules.timeZone)
    return {
      allowed: false,
      reason: 'hours',
      message: opens
        ? `现在不在允许的外呼时段（${rules.callingWindows.join('、')}），${hhmm(opens, rules.timeZone)} 起可拨打`
        : '没有设置允许的外呼时段，不能拨打',
      opensAt: opens ? opens.toISOString() : null,
      ...(opens
        ? {
            params: {
              windows: rules.callingWindows.join(', '),
              opens: hhmm(opens, rules.timeZone),
            },
          }
        : {}),
    }
  }
  if (f.attemptsInLastDay >= rules.maxAttemptsPerDay) {
    const again = f.oldestAttemptAt ? new Date(f.oldestAttemptAt.getTime() + DAY_MS) : null
    return {
      allowed: false,
      reason: 'attempts',
      message:
        `${maskPhone(f.phone)} 在 24 小时内已拨打 ${f.attemptsInLastDay} 次（上限 ${rules.maxAttemptsPerDay} 次）` +
        (again ? `，${hhmm(again, rules.timeZone)} 后可再拨` : ''),
      opensAt: again ? again.toISOString() : null,
      params: {
        phone: maskPhone(f.phone),
        count: f.attemptsInLastDay,
        max: rules.maxAttemptsPerDay,
      },
    }
  }
  return { allowed: true }
}
