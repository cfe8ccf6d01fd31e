import { describe, expect, it } from 'vitest'
import { compileMessage, createAppI18n } from '../../renderer/src/i18n'
import enUS from '../../renderer/src/i18n/en-US'
import zhCN from '../../renderer/src/i18n/zh-CN'

/** every leaf as [dotted.key, message] */
function leaves(tree: object, prefix = ''): [string, string][] {
  return Object.entries(tree).flatMap(([k, v]) =>
    typeof v === 'string'
      ? [[`${prefix}${k}`, v] as [string, string]]
      : leaves(v, `${prefix}${k}.`),
  )
}

describe('the messages', () => {
  it('have the same keys in zh-CN and en-US', () => {
    const zh = leaves(zhCN).map(([k]) => k)
    const en = leaves(enUS).map(([k]) => k)
    expect(en.filter((k) => !zh.includes(k))).toEqual([])
    expect(zh.filter((k) => !en.includes(k))).toEqual([])
    expect(zh.length).toBeGreaterThan(100)
  })

  it('have no empty text, and Chinese in zh-CN', () => {
    for (const [key, text] of leaves(zhCN)) expect(text.trim(), key).not.toBe('')
    for (const [key, text] of leaves(enUS)) expect(text.trim(), key).not.toBe('')
    expect(zhCN.work.exhaustedTitle).toBe('此信息包已经 call 完')
  })

  it('use only {name} placeholders and {"literal"} escapes, the same ones in both', () => {
    const placeholders = (text: string) =>
      [...text.matchAll(/\{\s*([A-Za-z_]\w*)\s*\}/g)].map((m) => m[1]).sort()
    const en = Object.fromEntries(leaves(enUS))
    for (const [key, text] of leaves(zhCN)) {
      // no vue-i18n syntax beyond what compileMessage knows
      const rest = text.replace(/\{\s*(?:'[^']*'|[A-Za-z_]\w*)\s*\}/g, '')
      expect(rest, key).not.toMatch(/[{}@$|]/)
      expect(placeholders(en[key] ?? ''), key).toEqual(placeholders(text))
    }
  })

  it('render through the app’s i18n with parameters and escapes', () => {
    const i18n = createAppI18n()
    const t = i18n.global.t as (key: string, params?: Record<string, unknown>) => string
    expect(t('projects.expired', { date: '2024-06-30' })).toBe('已于 2024-06-30 结束')
    expect(t('settings.dialTemplateHint')).toBe('以 tel:、sip: 或 callto: 开头，包含 {phone}')
    ;(i18n.global.locale as unknown as { value: string }).value = 'en-US'
    expect(t('projects.expired', { date: '2024-06-30' })).toBe('Ended on 2024-06-30')
  })

  it('compile a message to a function of its named values', () => {
    const fn = compileMessage("a {x} b {'{'}c{'}'} {y}")
    const named = (k: string) => ({ x: 1, y: 'z' })[k]
    expect(fn({ named } as never)).toBe('a 1 b {c} z')
  })
})

describe('languages', () => {
  it('compiles English when it is first chosen, before anything renders in it', () => {
    const i18n = createAppI18n()
    expect(i18n.global.availableLocales).toEqual(['zh-CN'])
    expect(i18n.global.t('app.name')).toBe('置业外呼工作台')
    i18n.global.locale.value = 'en-US'
    expect(i18n.global.t('app.name')).toBe('Outbound Call Desk')
    expect(i18n.global.t('profile.noNumber')).toBe(
      'The customer’s details appear here once a number is on screen',
    )
  })

  it('starts in English with both languages (Chinese is the fallback)', () => {
    const i18n = createAppI18n('en-US')
    expect(i18n.global.t('app.name')).toBe('Outbound Call Desk')
    expect(i18n.global.availableLocales).toEqual(expect.arrayContaining(['zh-CN', 'en-US']))
  })

  it('a message without a placeholder is its text', () => {
    expect(compileMessage('保存并下一个')({ named: () => '' } as never)).toBe('保存并下一个')
  })
})
