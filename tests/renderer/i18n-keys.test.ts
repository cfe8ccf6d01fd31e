import { describe, expect, it } from 'vitest'
import enUS from '../../renderer/src/i18n/en-US'
import zhCN from '../../renderer/src/i18n/zh-CN'
import { fieldLabelsEn } from '../../renderer/src/i18n/field-labels'

/**
 * Every key the screens ask for exists in both languages: the code is scanned for t('…'),
 * $t('…'), te('…') and { key: '…' } notices, and each key looked up in zh-CN and en-US.
 */

/** every source file of the screens, as text (Vite's glob: no Node API in the renderer's tests) */
const sources = import.meta.glob<string>(
  [
    '../../renderer/src/**/*.ts',
    '../../renderer/src/**/*.vue',
    '!../../renderer/src/i18n/**',
    '!**/*.d.ts',
  ],
  {
    query: '?raw',
    import: 'default',
    eager: true,
  },
)

function has(tree: object, key: string): boolean {
  let node: unknown = tree
  for (const part of key.split('.')) {
    if (typeof node !== 'object' || node === null || !(part in node)) return false
    node = (node as Record<string, unknown>)[part]
  }
  return typeof node === 'string'
}

const KEY = `[a-z][A-Za-z0-9]*(?:\\.[A-Za-z0-9_]+)+`
const patterns = [
  new RegExp(`\\b\\$?te?\\(\\s*'(${KEY})'`, 'g'),
  new RegExp(`\\bkey:\\s*'(${KEY})'`, 'g'),
]

function usedKeys(): Map<string, string> {
  const found = new Map<string, string>()
  for (const [file, text] of Object.entries(sources)) {
    for (const re of patterns) for (const m of text.matchAll(re)) found.set(m[1]!, file)
  }
  return found
}

describe('the keys the screens use', () => {
  const used = usedKeys()

  it('are found by the scan', () => {
    expect(used.size).toBeGreaterThan(200)
    expect(used.has('work.save')).toBe(true)
  })

  it('exist in zh-CN and in en-US', () => {
    const missing = (tree: object) =>
      [...used].filter(([k]) => !has(tree, k)).map(([k, f]) => `${k} (${f.split('src/')[1]})`)
    expect(missing(zhCN)).toEqual([])
    expect(missing(enUS)).toEqual([])
  })
})

/** main's sources (services, core, the IPC door), as text */
const mainSources = import.meta.glob<string>(
  ['../../electron/services/**/*.ts', '../../electron/core/**/*.ts', '../../electron/ipc/**/*.ts'],
  { query: '?raw', import: 'default', eager: true },
)

/** a code main's errors carry, as its key under mainCodes (package-exhausted → packageExhausted) */
const codeKey = (code: string) => code.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase())

/** every stable code main's errors may carry: AppError codes, weixin's errmsg codes, dial refusals */
function mainErrorCodes(): Set<string> {
  const codes = new Set<string>()
  for (const text of Object.values(mainSources)) {
    for (const m of text.matchAll(/\bcode: '([a-z][a-z0-9-]*)'/g)) codes.add(m[1]!)
  }
  // zod's own issue code, not an error of ours
  codes.delete('custom')
  const weixin = Object.entries(mainSources).find(([f]) => f.endsWith('core/weixin/client.ts'))
  const table = weixin?.[1].match(/weixinErrorCodes = \{([\s\S]*?)\} as const/)?.[1] ?? ''
  for (const m of table.matchAll(/^\s*'?([a-z][a-z0-9-]*)'?:/gm)) codes.add(m[1]!)
  const rules = Object.entries(mainSources).find(([f]) => f.endsWith('softphone/dial-rules.ts'))
  const refusals = rules?.[1].match(/DialRefusal = ([^\n]+)/)?.[1] ?? ''
  for (const m of refusals.matchAll(/'([a-z-]+)'/g)) codes.add(m[1]!)
  codes.add('no-hours')
  return codes
}

describe('main’s error codes', () => {
  const codes = mainErrorCodes()

  it('are found by the scan', () => {
    for (const c of ['package-exhausted', 'follow-up-closed', 'hours', 'too-many-attempts']) {
      expect(codes).toContain(c)
    }
  })

  it('each have a message in zh-CN and in en-US, so the English UI words them', () => {
    const missing = (tree: object) =>
      [...codes].filter((c) => !has(tree, `mainCodes.${codeKey(c)}`))
    expect(missing(zhCN)).toEqual([])
    expect(missing(enUS)).toEqual([])
  })
})

describe('the 360 panel’s labels from main', () => {
  /** every label main's sources give a 360 line: add('…', …) and the CDP's display table */
  function mainLabels(): Set<string> {
    const labels = new Set<string>()
    for (const [file, text] of Object.entries(mainSources)) {
      if (!/customer-service|rabbitpre-display|miaosuan\.ts|enrichment\/cdp\.ts/.test(file))
        continue
      for (const m of text.matchAll(/\badd\('([^']+)'/g)) labels.add(m[1]!)
      for (const m of text.matchAll(/^\s*\['[a-z_]+', '([^']+)'\],?$/gm)) labels.add(m[1]!)
    }
    return labels
  }

  it('each have an English gloss', () => {
    const labels = mainLabels()
    expect(labels.size).toBeGreaterThan(30)
    expect([...labels].filter((l) => !(l in fieldLabelsEn))).toEqual([])
  })
})
