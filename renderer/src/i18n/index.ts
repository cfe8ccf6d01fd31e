import { watch } from 'vue'
import { createI18n, type MessageContext } from 'vue-i18n'
import enUS from './en-US'
import zhCN, { type Messages } from './zh-CN'

export const locales = ['zh-CN', 'en-US'] as const
export type Locale = (typeof locales)[number]

export const messages: Record<Locale, Messages> = { 'zh-CN': zhCN, 'en-US': enUS }

type MessageFunction = (ctx: MessageContext) => string
type Compiled<T> = { [K in keyof T]: T[K] extends string ? MessageFunction : Compiled<T[K]> }

/**
 * Turns one message into a function, so the app ships vue-i18n's runtime-only build: no message
 * compiler in the bundle, nothing evaluated. Our messages use only `{name}` placeholders and
 * `{'literal'}` escapes; anything else is a test failure (tests/renderer/i18n.test.ts).
 */
export function compileMessage(source: string): MessageFunction {
  // most messages have no placeholder: no parsing (every message is compiled at start-up)
  if (!source.includes('{')) return () => source
  const parts: (string | { name: string })[] = []
  const re = /\{\s*(?:'([^']*)'|([A-Za-z_]\w*))\s*\}/g
  let last = 0
  for (const m of source.matchAll(re)) {
    parts.push(source.slice(last, m.index))
    parts.push(m[1] !== undefined ? m[1] : { name: m[2] ?? '' })
    last = m.index + m[0].length
  }
  parts.push(source.slice(last))
  return ({ named }) =>
    parts.map((p) => (typeof p === 'string' ? p : String(named(p.name) ?? ''))).join('')
}

function compileAll<T extends object>(tree: T): Compiled<T> {
  return Object.fromEntries(
    Object.entries(tree).map(([k, v]) => [
      k,
      typeof v === 'string' ? compileMessage(v) : compileAll(v as object),
    ]),
  ) as Compiled<T>
}

export function createAppI18n(locale: Locale = 'zh-CN') {
  // only the languages on screen are compiled at start-up; another when it is first chosen
  const compiled = (l: Locale) => compileAll(messages[l])
  const i18n = createI18n({
    legacy: false,
    locale,
    fallbackLocale: 'zh-CN',
    messages: {
      'zh-CN': compiled('zh-CN'),
      ...(locale === 'en-US' ? { 'en-US': compiled(locale) } : {}),
    },
    // the agent sees Chinese text, never a raw key; a missing key is a test failure instead
    missingWarn: false,
    fallbackWarn: false,
  })
  // synchronously, so the first render in the new language already has its messages
  watch(
    i18n.global.locale,
    (next) => {
      const l = next as Locale
      if (!i18n.global.availableLocales.includes(l) && l in messages) {
        i18n.global.setLocaleMessage(l, compiled(l))
      }
    },
    { flush: 'sync' },
  )
  return i18n
}
