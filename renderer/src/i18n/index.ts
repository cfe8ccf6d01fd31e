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
  return createI18n({
    legacy: false,
    locale,
    fallbackLocale: 'zh-CN',
    messages: { 'zh-CN': compileAll(zhCN), 'en-US': compileAll(enUS) },
    // the agent sees Chinese text, never a raw key; a missing key is a test failure instead
    missingWarn: false,
    fallbackWarn: false,
  })
}
