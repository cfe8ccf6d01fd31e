import { useI18n } from 'vue-i18n'

/** Seconds as "1 分 23 秒" (or "—" when unknown), in the UI language. */
export function useDuration(): (seconds: number | null | undefined) => string {
  const { t } = useI18n()
  return (seconds) => {
    if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) {
      return t('stats.none')
    }
    const s = Math.round(seconds)
    if (s < 60) return t('stats.seconds', { s })
    return t('stats.duration', { m: Math.floor(s / 60), s: s % 60 })
  }
}
