import { CallcenterError, messageOf } from '../api'

/**
 * Something a store wants shown: either one of our own messages (an i18n key, translated by the
 * screen) or main's Chinese text, shown as it is.
 */
export type Notice =
  | { key: string; params?: Record<string, string | number> }
  | { text: string; code?: string | number | undefined; field?: string | undefined }

export function noticeOf(e: unknown): Notice {
  if (e instanceof CallcenterError) return { text: e.message, code: e.code, field: e.field }
  return { text: messageOf(e) }
}
