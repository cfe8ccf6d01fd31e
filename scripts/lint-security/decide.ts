// Deciding: which findings block, and the checks Electronegativity does not make.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import { posix, ROOT } from './paths'
import type { Finding, Severity } from './scan'

export interface AllowEntry {
  check: string
  /** repository-relative path, forward slashes */
  file: string
  why: string
}

/**
 * Accepted findings: false positives that cannot be fixed in code. Keyed by check + file; each
 * says why. Keep it short: every entry is a place where the scanner is told to look away.
 */
export const ALLOW_LIST: AllowEntry[] = [
  {
    check: 'PRELOAD_JS_CHECK',
    file: 'electron/main/hardening.ts',
    why:
      'the check flags every preload for review. Reviewed: the preload (electron/preload/' +
      'index.ts) exposes only buildCallcenterApi over contract channels (no ipcRenderer, no ' +
      'generic invoke, no IpcRendererEvent), in a sandboxed, context-isolated window.',
  },
  {
    check: 'PRELOAD_JS_CHECK',
    file: 'out/main/index.js',
    why: 'the bundled copy of createSecureWindow (see electron/main/hardening.ts)',
  },
  {
    check: 'OPEN_EXTERNAL_JS_CHECK',
    file: 'electron/main/hardening.ts',
    why:
      'ShellDialer.open is the only shell.openExternal call; the line before it refuses ' +
      'anything but a tel:/callto:<number> or sip:<number>@<host> URI (isValidDialUri, ' +
      'unit-tested in tests/unit/main/dial.test.ts). The check flags every non-literal argument.',
  },
  {
    check: 'OPEN_EXTERNAL_JS_CHECK',
    file: 'out/main/index.js',
    why: 'the bundled copy of ShellDialer.open (see electron/main/hardening.ts)',
  },
]

const BLOCKING: ReadonlySet<Severity> = new Set(['HIGH', 'MEDIUM'])

export interface Decision {
  blocking: Finding[]
  allowed: { finding: Finding; entry: AllowEntry }[]
  informational: Finding[]
  /** findings on .vue files: Electronegativity cannot read SFCs; out/ covers their output */
  ignored: Finding[]
  unusedAllowEntries: AllowEntry[]
}

export function decide(findings: Finding[], allowList: AllowEntry[] = ALLOW_LIST): Decision {
  const d: Decision = {
    blocking: [],
    allowed: [],
    informational: [],
    ignored: [],
    unusedAllowEntries: [],
  }
  const used = new Set<AllowEntry>()
  for (const f of findings) {
    if (f.file.endsWith('.vue')) {
      d.ignored.push(f)
      continue
    }
    if (!BLOCKING.has(f.severity)) {
      d.informational.push(f)
      continue
    }
    const entry = allowList.find((e) => e.check === f.check && e.file === f.file)
    if (entry) {
      used.add(entry)
      d.allowed.push({ finding: f, entry })
    } else {
      d.blocking.push(f)
    }
  }
  d.unusedAllowEntries = allowList.filter((e) => !used.has(e))
  return d
}

/** Inline `eng-disable` comments hide findings from the report; only the allow-list may. */
export function findInlineSuppressions(dirs: string[]): string[] {
  const hits: string[] = []
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      if (name === 'node_modules') continue
      const path = join(dir, name)
      if (statSync(path).isDirectory()) walk(path)
      else if (/\.(c|m)?(j|t)sx?$|\.html?$|\.vue$/.test(name)) {
        if (/eng-disable/i.test(readFileSync(path, 'utf8'))) {
          hits.push(relative(ROOT, path).split(sep).join('/'))
        }
      }
    }
  }
  for (const dir of dirs) if (existsSync(dir)) walk(dir)
  return hits
}

/**
 * Modules a sandboxed preload may require (Electron's sandbox tutorial); anything else throws at
 * load, the page gets no API, and the usual "fix" is turning the sandbox off (#4).
 */
export const SANDBOXED_PRELOAD_MODULES = new Set(['electron', 'events', 'timers', 'url'])

/** Requires in the built preload bundles that a sandboxed preload cannot satisfy. */
export function findUnsandboxablePreloadRequires(preloadDir: string): string[] {
  if (!existsSync(preloadDir)) return []
  const problems: string[] = []
  for (const name of readdirSync(preloadDir)) {
    if (!/\.(c|m)?js$/.test(name)) continue
    const code = readFileSync(join(preloadDir, name), 'utf8')
    for (const m of code.matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)) {
      const id = (m[1] ?? '').replace(/^node:/, '')
      if (!SANDBOXED_PRELOAD_MODULES.has(id)) {
        problems.push(`${posix(relative(ROOT, join(preloadDir, name)))} requires '${m[1]}'`)
      }
    }
  }
  return problems
}
