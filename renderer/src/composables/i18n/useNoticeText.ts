import { useI18n } from 'vue-i18n'
import type { AppErrorKind } from '../../../../shared/ipc/errors'
import type { Notice } from '../../stores/notice'

/** main's error kinds by their message key under `mainError.` */
const KIND_KEYS: Record<AppErrorKind, string> = {
  network: 'network',
  http: 'http',
  'not-json': 'notJson',
  shape: 'shape',
  signature: 'signature',
  remote: 'remote',
  'invalid-request': 'invalidRequest',
  'rate-limited': 'rateLimited',
  'invalid-args': 'invalidArgs',
  'unknown-channel': 'unknownChannel',
  forbidden: 'forbidden',
  'not-logged-in': 'notLoggedIn',
  vault: 'vault',
  'invalid-settings': 'invalidSettings',
  storage: 'storage',
  'dial-refused': 'dialRefused',
  internal: 'internal',
}

const CHINESE = /[\u4e00-\u9fff]/

/**
 * A store's Notice as the agent reads it: our keys translated, main's text as it is (main
 * speaks Chinese). In the English UI, main's Chinese text comes after what kind of problem it
 * is in English, so both languages are shown.
 */
export function useNoticeText(): (notice: Notice | null | undefined) => string {
  const { t, locale } = useI18n()
  return (notice) => {
    if (!notice) return ''
    if (notice.key !== undefined) return t(notice.key, notice.params ?? {})
    if (locale.value === 'zh-CN' || !CHINESE.test(notice.text)) return notice.text
    const kind = KIND_KEYS[notice.kind ?? 'internal'] ?? 'internal'
    return `${t(`mainError.${kind}`)} — ${notice.text}`
  }
}
