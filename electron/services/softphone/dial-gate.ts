import { softphoneOf } from '../../../shared/softphone-defaults'
import { maskPhone } from '../../../shared/values'
import { AppError } from '../../core/app-error'
import type { Logger, SettingsStore } from '../ports'
import type { AttemptStore, DialVia } from './attempt-store'
import { decideDial, type DialDecision } from './dial-rules'

/**
 * The one place main decides whether a number is dialed, for the softphone and the URI handoff
 * alike: the rules for marketing calls over the stored facts. An allowed dial is counted at once.
 */
export interface DialGate {
  /** the decision; an allowed dial is recorded as an attempt */
  authorize(phone: string, via: DialVia): DialDecision
  /** the same, throwing AppError('dial-refused', message, {code: reason}) when not allowed */
  require(phone: string, via: DialVia): void
  /** the decision without counting anything: what the dial key would answer now */
  check(phone: string): DialDecision
}

export function createDialGate(deps: {
  attempts: AttemptStore
  isDnc: (phone: string) => boolean
  settings: SettingsStore
  log: Logger
  now?: () => Date
}): DialGate {
  const now = deps.now ?? (() => new Date())

  function check(phone: string, at = now()): DialDecision {
    const last = deps.attempts.lastDay(phone, at)
    return decideDial({
      phone,
      now: at,
      rules: softphoneOf(deps.settings.get()),
      isDnc: deps.isDnc(phone),
      attemptsInLastDay: last.count,
      oldestAttemptAt: last.oldest,
    })
  }

  function authorize(phone: string, via: DialVia): DialDecision {
    const at = now()
    const decision = check(phone, at)
    if (decision.allowed) {
      deps.attempts.add(phone, at, via)
    } else {
      deps.log.info('dial refused', { phone: maskPhone(phone), reason: decision.reason, via })
    }
    return decision
  }

  return {
    authorize,
    check: (phone) => check(phone),
    require(phone, via) {
      const d = authorize(phone, via)
      if (!d.allowed) {
        // no calling hours at all is its own case: no time calling opens again
        const code = d.reason === 'hours' && d.opensAt === null ? 'no-hours' : d.reason
        throw new AppError('dial-refused', d.message, {
          code,
          ...(d.params ? { params: d.params } : {}),
        })
      }
    },
  }
}
