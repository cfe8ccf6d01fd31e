import { useI18n } from 'vue-i18n'
import { fieldLabelsEn, fieldValuesEn, valuePatternsEn } from '../../i18n/field-labels'

/** A 360 line's label and value as main gives them; in English, main's fixed words glossed. */
export function useFieldLabel(): { label: (l: string) => string; value: (v: string) => string } {
  const { locale } = useI18n()
  const en = () => locale.value === 'en-US'
  return {
    label: (l) => (en() ? (fieldLabelsEn[l] ?? l) : l),
    value: (v) => {
      if (!en()) return v
      const fixed = fieldValuesEn[v]
      if (fixed) return fixed
      return valuePatternsEn.reduce((out, [re, to]) => out.replace(re, to), v)
    },
  }
}
