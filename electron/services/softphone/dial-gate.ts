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
}

export function createDialGate(deps: {
  attempts: AttemptStore
  isDnc: (phone: string) => boolean
  settings: SettingsStore
  log: Logger
  now?: () => Date
}): DialGate {
  const now = deps.now ?? (() => new Date())

  function authorize(phone: string, via: DialVia): DialDecision {
    const at = now()
    const last = deps.attempts.lastDay(phone, at)
    const decision = decideDial({
      phone,
      now: at,
      rules: softphoneOf(deps.settings.get()),
      isDnc: deps.isDnc(phone),
      attemptsInLastDay: last.count,
      oldestAttemptAt: last.oldest,
    })
    if (decision.allowed) {
      deps.attempts.add(phone, at, via)
    } else {
      deps.log.info('dial refused', { phone: maskPhone(phone), reason: decision.reason, via })
    }
    return decision
  }

  return {
    authorize,
    require(phone, via) {
      const d = authorize(phone, via)
      if (!d.allowed) {
        throw new AppError('dial-refused', d.message, { code: d.reason })
      }
    },
  }
}
