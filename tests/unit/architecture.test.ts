import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

/**
 * The house rules lint cannot state: no import cycles (type-only imports count: they still tie
 * two modules' designs together), no source file over 500 lines, one folder per service domain.
 * The layer arrows themselves are ESLint's job (import-x/no-restricted-paths in eslint.config.js).
 */

const ROOTS = ['electron', 'shared', 'renderer/src', 'scripts', 'bench', 'build']
const SOURCE = /\.(ts|vue)$/

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name)
    return statSync(p).isDirectory() ? walk(p) : SOURCE.test(name) ? [p] : []
  })
}

const files = ROOTS.filter((r) => existsSync(r)).flatMap(walk)

/** Every relative import, export-from and dynamic import, type-only ones included. */
export function importsOf(file: string, text: string): string[] {
  const specs = [
    ...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'(\.[^']+)'/g),
    ...text.matchAll(/import\(\s*'(\.[^']+)'\s*\)/g),
  ].map((m) => m[1] as string)
  const out: string[] = []
  for (const spec of specs) {
    const base = resolve(dirname(file), spec)
    const hit = [base, `${base}.ts`, `${base}.d.ts`, join(base, 'index.ts')].find(
      (c) => existsSync(c) && statSync(c).isFile(),
    )
    if (hit) out.push(relative(process.cwd(), hit))
  }
  return out
}

/** Tarjan's strongly connected components; each component of more than one module is a cycle. */
export function cyclesOf(graph: Map<string, string[]>): string[][] {
  let index = 0
  const idx = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const out: string[][] = []
  const visit = (v: string): void => {
    idx.set(v, index)
    low.set(v, index++)
    stack.push(v)
    onStack.add(v)
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w)
        low.set(v, Math.min(low.get(v)!, low.get(w)!))
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!))
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = []
      let w: string
      do {
        w = stack.pop()!
        onStack.delete(w)
        comp.push(w)
      } while (w !== v)
      if (comp.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(comp.sort())
    }
  }
  for (const v of graph.keys()) if (!idx.has(v)) visit(v)
  return out
}

describe('the house', () => {
  it('has no import cycles, type-only imports included', () => {
    const graph = new Map(files.map((f) => [f, importsOf(resolve(f), readFileSync(f, 'utf8'))]))
    expect(cyclesOf(graph)).toEqual([])
  })

  it('finds a cycle when there is one (the checker itself)', () => {
    const g = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ])
    expect(cyclesOf(g)).toEqual([['a', 'b', 'c']])
    expect(
      importsOf(resolve('electron/ipc/register.ts'), "import type { X } from './dispatcher'"),
    ).toEqual(['electron/ipc/dispatcher.ts'])
  })

  // being split (issue 10); this list only shrinks
  const splitting = new Set<string>([])

  it('has no source file over 500 lines', () => {
    const long = files
      .filter((f) => !splitting.has(f))
      .map((f) => ({ f, lines: readFileSync(f, 'utf8').split('\n').length }))
      .filter((x) => x.lines > 500)
      .map((x) => `${x.f}: ${x.lines}`)
    expect(long).toEqual([])
  })

  it('keeps every service in its domain folder: only index.ts and ports.ts are loose', () => {
    const loose = readdirSync('electron/services').filter((n) =>
      statSync(join('electron/services', n)).isFile(),
    )
    expect(loose.sort()).toEqual(['index.ts', 'ports.ts'])
  })
})
