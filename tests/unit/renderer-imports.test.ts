import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

// zod probes `new Function` when a schema module loads, which the renderer's CSP reports as a
// violation. The screens may import types from anywhere in shared/, but values only from the
// zod-free modules.
const ZOD_FREE = new Set([
  'values',
  'calllog-columns',
  'ipc/channels',
  'ipc/errors',
  'remote-error',
])

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name)
    return statSync(p).isDirectory() ? files(p) : /\.(ts|vue)$/.test(name) ? [p] : []
  })
}

describe('the renderer and shared/', () => {
  it('imports runtime values only from zod-free shared modules', () => {
    const offenders: string[] = []
    for (const file of files('renderer/src')) {
      const text = readFileSync(file, 'utf8')
      // one import statement at a time (no semicolons here: never run into the next import)
      const imports =
        /^(?:import|export)\s+(type\s+)?(?:(?!^(?:import|export)\b)[\s\S])*?from\s+'([^']*shared\/([^']+))'/gm
      for (const m of text.matchAll(imports)) {
        if (m[1]) continue
        if (!ZOD_FREE.has(m[3] ?? '')) offenders.push(`${file}: ${m[2]}`)
      }
      if (/from\s+'zod'/.test(text)) offenders.push(`${file}: zod`)
    }
    expect(offenders).toEqual([])
  })

  it('the zod-free modules really import no zod', () => {
    for (const m of ZOD_FREE) {
      expect(readFileSync(`shared/${m}.ts`, 'utf8')).not.toMatch(
        /from '(zod|\.\.?\/(domain|settings))'/,
      )
    }
  })
})
