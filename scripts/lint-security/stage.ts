// Staging: what Electronegativity reads.
import {
  cpSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { dirname, join, relative, sep } from 'node:path'
import type * as Esbuild from 'esbuild'
import { posix, require, ROOT } from './paths'

const skipNodeModules = (src: string): boolean => !src.split(sep).includes('node_modules')

/**
 * electron/ and renderer/ side by side in one directory, so one scan sees main's navigation
 * limits and permission handler together with the pages (separate scans would report their
 * global checks as missing in renderer/).
 */
export function stageSources(dest: string, dirs = ['electron', 'renderer']): void {
  rmSync(dest, { recursive: true, force: true })
  for (const dir of dirs) {
    cpSync(join(ROOT, dir), join(dest, dir), { recursive: true, filter: skipNodeModules })
  }
}

/**
 * A copy of out/ Electronegativity can parse: its parser and scope analyser (esprima, escope)
 * predate ES2020, and reject the bundle's private class fields (`#store`), so whole files went
 * unchecked. esbuild lowers the syntax to ES2019 (no bundling, no minifying: every call and
 * object literal stays as written). `.cjs`/`.mjs` become `.js`, which is all it reads, so the
 * preload bundle is checked too. Returns staged path → repository path.
 */
export async function stageBuild(outDir: string, dest: string): Promise<Map<string, string>> {
  const esbuild = require('esbuild') as typeof Esbuild
  rmSync(dest, { recursive: true, force: true })
  const map = new Map<string, string>()
  const walk = async (dir: string): Promise<void> => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name)
      if (statSync(path).isDirectory()) {
        await walk(path)
        continue
      }
      const rel = posix(relative(outDir, path))
      const repo = posix(relative(ROOT, path))
      if (/\.(c|m)?js$/.test(name)) {
        const staged = rel.replace(/\.(c|m)js$/, '.js')
        const { code } = await esbuild.transform(readFileSync(path, 'utf8'), {
          loader: 'js',
          target: 'es2019',
          // kept as written: lowering would replace it with an empty object
          supported: { 'import-meta': true },
          logLevel: 'silent',
        })
        mkdirSync(dirname(join(dest, staged)), { recursive: true })
        writeFileSync(join(dest, staged), code)
        map.set(staged, repo)
      } else {
        mkdirSync(dirname(join(dest, rel)), { recursive: true })
        cpSync(path, join(dest, rel))
        map.set(rel, repo)
      }
    }
  }
  await walk(outDir)
  return map
}
