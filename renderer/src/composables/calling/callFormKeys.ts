import { intents, type Intent } from '../../../../shared/fields'
import { FOLLOW_UP_DAYS } from '../../domain/keys'
import type { HotkeyHandlers } from '../input/useHotkeys'

/** What FollowUpForm exposes to the keys. */
export interface FollowUpFormHandle {
  followIn(days: number): void
  focusNotes(): void
  focusDate(): void
  focusContent(): void
}

export interface CallFormKeyTargets {
  /** the outcome buttons, in key order (1–9) */
  items: () => readonly { name: string }[]
  pick(name: string): void
  save(): void
  form: { intent: Intent }
  followUp: () => FollowUpFormHandle | null | undefined
}

/**
 * The keys every call form shares, the workspace's and a 今日待回访 call's: digits pick the
 * outcome, A–E the intent, Enter and Ctrl+Enter save, Alt+N/F/G reach the fields and Alt+1/3/7
 * set the follow-up date. A screen adds its own keys to these.
 */
export function callFormKeys(c: CallFormKeyTargets): HotkeyHandlers & {
  alt: Record<string, () => void>
} {
  return {
    digit: (n) => {
      const item = c.items()[n - 1]
      if (item) c.pick(item.name)
    },
    enter: () => c.save(),
    submit: () => c.save(),
    letter: Object.fromEntries(intents.map((i) => [i.toLowerCase(), () => (c.form.intent = i)])),
    alt: {
      n: () => c.followUp()?.focusNotes(),
      f: () => c.followUp()?.focusDate(),
      g: () => c.followUp()?.focusContent(),
      ...Object.fromEntries(
        FOLLOW_UP_DAYS.map((d) => [String(d), () => c.followUp()?.followIn(d)]),
      ),
    },
  }
}
