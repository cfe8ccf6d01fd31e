import { describe, expect, it } from 'vitest'
import enUS from '../../renderer/src/i18n/en-US'
import zhCN from '../../renderer/src/i18n/zh-CN'

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
