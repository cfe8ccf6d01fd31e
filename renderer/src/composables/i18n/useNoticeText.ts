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

/** kinds that are about reaching a system, not about what it said */
const TRANSPORT = new Set<AppErrorKind>([
  'network',
  'http',
  'not-json',
  'shape',
  'signature',
  'rate-limited',
])

/** main's stable error code (package-exhausted, hours…) as its message key under `mainCodes.` */
export function codeKey(code: string | number | undefined): string | null {
  if (typeof code !== 'string' || !/^[a-z][a-z0-9-]*$/.test(code)) return null
  return `mainCodes.${code.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase())}`
}

/**
 * A store's Notice as the agent reads it: our keys translated, main's text as it is (main
 * speaks Chinese). In the English UI, main's errors are worded by their code (with the values
 * main sends along); one without a known code shows its Chinese text after what kind of
 * problem it is in English, so nothing is lost.
 */
export function useNoticeText(): (notice: Notice | null | undefined) => string {
  const { t, te, locale } = useI18n()
  return (notice) => {
    if (!notice) return ''
    if (notice.key !== undefined) return t(notice.key, notice.params ?? {})
    if (locale.value === 'zh-CN' || !CHINESE.test(notice.text)) return notice.text
    const byCode = codeKey(notice.code)
    if (byCode && te(byCode)) return t(byCode, notice.params ?? {})
    const kind = KIND_KEYS[notice.kind ?? 'internal'] ?? 'internal'
    // a transport problem says all there is to say by its kind and the system it concerns
    if (notice.system && TRANSPORT.has(notice.kind ?? 'internal')) {
      return `${t(`mainError.${kind}`)} · ${t(`settings.${notice.system}`)}`
    }
    return `${t(`mainError.${kind}`)} — ${notice.text}`
  }
}
