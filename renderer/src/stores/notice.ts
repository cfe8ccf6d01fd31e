import type { AppErrorKind } from '../../../shared/ipc/errors'
import type { RemoteSystem } from '../../../shared/remote-error'
import { CallcenterError } from '../api'

/**
 * The one way a store reports a failure: a Notice. Either one of our own messages (an i18n key,
 * translated by the screen in the agent's language) or main's text, shown as it is (main speaks
 * Chinese), with its kind, code and field so a screen can point at the field it names.
 *
 * A store keeps the failure of something it loads in a `Ref<Notice | null>`; an action the screen
 * awaits answers its Notice (null when it worked). Stores never throw a CallcenterError at a
 * screen, and screens never see one.
 */
export type Notice =
  | {
      key: string
      params?: Record<string, string | number>
      text?: never
      kind?: never
      code?: never
      field?: never
    }
  | {
      text: string
      kind?: AppErrorKind
      code?: string | number | undefined
      field?: string | undefined
      /** the values in main's text, for the English wording of its code */
      params?: Record<string, string | number> | undefined
      /** the remote system that failed, for the English wording of a network or server problem */
      system?: RemoteSystem | undefined
      key?: never
    }

export function noticeOf(e: unknown): Notice {
  if (e instanceof CallcenterError)
    return {
      text: e.message,
      kind: e.kind,
      code: e.code,
      field: e.field,
      params: e.params,
      system: e.system,
    }
  // not main's answer (a bug of ours): our own words
  return { key: 'errors.generic' }
}

/** Runs an action the screen awaits: null when it worked, else what went wrong. */
export async function attempt(run: () => Promise<unknown>): Promise<Notice | null> {
  try {
    await run()
    return null
  } catch (e) {
    return noticeOf(e)
  }
}
