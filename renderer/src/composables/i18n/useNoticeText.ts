import { useI18n } from 'vue-i18n'
import type { Notice } from '../../stores/notice'

/** A store's Notice as the agent reads it: our keys translated, main's text as it is. */
export function useNoticeText(): (notice: Notice | null | undefined) => string {
  const { t } = useI18n()
  return (notice) => {
    if (!notice) return ''
    return notice.key !== undefined ? t(notice.key, notice.params ?? {}) : notice.text
  }
}
