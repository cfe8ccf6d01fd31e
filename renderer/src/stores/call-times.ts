import type { CallDraft } from '../../../shared/domain'
import type { Intent } from '../../../shared/fields'
import { suggestedItem } from '../../../shared/softphone-outcome'
import { useApi } from '../api'
import { useSoftphoneStore } from '../softphone/store'
import { useCatalogStore } from './catalog'
import { attempt, type Notice } from './notice'

/**
 * One call's form and times, as the workspace's number and a 今日待回访 call both have them:
 * one copy of how a call is dialled, timed and turned into a save's fields.
 */

export const emptyCallDraft = (): CallDraft => ({
  callbackItem: '',
  notes: '',
  nextFollowDate: '',
  nextFollowContent: '',
  intent: 'C' as Intent,
})

export interface CallTimes {
  dialledAt: string | null
  /** the built-in phone's 200 OK, for the call log's 接通时间 */
  answeredAt: string | null
  endedAt: string | null
}

export const noCallTimes = (): CallTimes => ({ dialledAt: null, answeredAt: null, endedAt: null })

export function markDialled(call: CallTimes, at = new Date()): void {
  call.dialledAt = at.toISOString()
  call.answeredAt = null
  call.endedAt = null
}

export function markEnded(call: CallTimes, at = new Date()): void {
  if (call.dialledAt && !call.endedAt) call.endedAt = at.toISOString()
}

/**
 * The dial key: through the built-in softphone when it is registered (real call states drive
 * the times, the SIP outcome is offered to `suggest`), otherwise main opens the settings'
 * tel:/sip: URI and the times start now. `isCurrent` says whether the call is still the one on
 * screen when a state arrives.
 */
export async function dialCall(
  phone: string,
  call: CallTimes,
  isCurrent: () => boolean,
  suggest: (item: string) => void,
): Promise<Notice | null> {
  const softphone = useSoftphoneStore()
  if (softphone.ready) {
    return attempt(() =>
      softphone.dial(phone, {
        onDialled: (at) => {
          if (isCurrent()) markDialled(call, at)
        },
        onAnswered: (at) => {
          if (isCurrent() && call.dialledAt) call.answeredAt = at.toISOString()
        },
        onEnded: (at, outcome) => {
          if (!isCurrent()) return
          markEnded(call, at)
          const names = useCatalogStore().callbackItems.map((i) => i.name)
          const item = suggestedItem(outcome, names)
          if (item) suggest(item)
        },
      }),
    )
  }
  const failed = await attempt(() => useApi().calling.dial({ phone }))
  if (!failed && isCurrent()) markDialled(call)
  return failed
}

/** The form and times as a save carries them: trimmed, empty optional fields left out. */
export function savedFields(form: CallDraft, call: CallTimes) {
  return {
    callbackItem: form.callbackItem,
    notes: form.notes.trim(),
    intent: form.intent,
    ...(form.nextFollowDate ? { nextFollowDate: form.nextFollowDate } : {}),
    ...(form.nextFollowContent.trim() ? { nextFollowContent: form.nextFollowContent.trim() } : {}),
    ...(call.dialledAt ? { dialledAt: call.dialledAt } : {}),
    ...(call.answeredAt ? { answeredAt: call.answeredAt } : {}),
    ...(call.endedAt ? { endedAt: call.endedAt } : {}),
  }
}
