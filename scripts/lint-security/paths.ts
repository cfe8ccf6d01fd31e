import { createRequire } from 'node:module'
import { dirname, join, resolve, sep } from 'node:path'

/** Where lint:security reads and writes; its parts share these. */
export const require = createRequire(import.meta.url)
export const ROOT = resolve(import.meta.dirname, '../..')
export const ELECTRONEGATIVITY_DIR = dirname(
  require.resolve('@doyensec/electronegativity/package.json'),
)
export const RESULTS_DIR = join(ROOT, 'test-results')
export const posix = (p: string): string => p.split(sep).join('/')
