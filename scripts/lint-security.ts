/**
 * `npm run lint:security`: Electronegativity over the sources (electron/, renderer/) and the
 * built app (out/, built first if missing or with --rebuild). Fails on any HIGH or MEDIUM finding
 * that the allow-list below does not name, on any file Electronegativity could not parse, on
 * inline `eng-disable` comments (the allow-list is the only way to accept a finding), on a built
 * preload that requires modules a sandboxed preload cannot load, and on any attempt to reach the
 * network. Electronegativity itself exits 0 whatever it finds: this script decides.
 *
 * Offline by construction: Electronegativity fetches translations from S3 at every start and
 * Electron's release list from GitHub (its `got` calls in locales/i18n.js and
 * AvailableSecurityFixesGlobalCheck). It runs in this process, behind a module hook that hands
 * it a `got` which rejects at once, and a socket guard that refuses any connection.
 */
import { spawnSync } from 'node:child_process'
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import Module, { createRequire } from 'node:module'
import net from 'node:net'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { pathToFileURL } from 'node:url'
import type * as Esbuild from 'esbuild'

const require = createRequire(import.meta.url)
const ROOT = resolve(import.meta.dirname, '..')
export const ELECTRONEGATIVITY_DIR = dirname(
  require.resolve('@doyensec/electronegativity/package.json'),
)
const RESULTS_DIR = join(ROOT, 'test-results')

// ---------------------------------------------------------------------------------------------
// Network neutralisation
// ---------------------------------------------------------------------------------------------

export class OfflineError extends Error {
  readonly code = 'LINT_SECURITY_OFFLINE'
  constructor(what: string) {
    super(`lint:security runs offline: ${what} refused`)
    this.name = 'OfflineError'
  }
}

export interface OfflineGuard {
  /** URLs Electronegativity tried to fetch through `got` (all refused) */
  readonly gotCalls: string[]
  /** socket connections attempted by anything in this process (all refused) */
  readonly socketAttempts: number
  /** the stand-in handed out for `got` */
  readonly got: (...args: unknown[]) => Promise<never>
  restore(): void
}

type Load = (request: string, parent: unknown, isMain: boolean) => unknown
type Connect = (...args: unknown[]) => unknown

let active: OfflineGuard | null = null

/**
 * Installs the two fences: (1) every `require('got')` in this process gets a stand-in whose
 * calls (got(), got.head(), got.get(), …) reject immediately without a socket or DNS lookup;
 * (2) net.Socket#connect throws, so even a path the hook misses cannot open a connection
 * (http, https, tls and undici all connect through it). Idempotent; restore() undoes both.
 */
export function installOfflineGuard(): OfflineGuard {
  if (active) return active
  const gotCalls: string[] = []
  let socketAttempts = 0

  const refuse = (...args: unknown[]): Promise<never> => {
    gotCalls.push(typeof args[0] === 'string' ? args[0] : String(args[0]))
    return Promise.reject(new OfflineError('HTTP request'))
  }
  const offlineGot = Object.assign((...args: unknown[]) => refuse(...args), {
    get: refuse,
    head: refuse,
    post: refuse,
    put: refuse,
    patch: refuse,
    delete: refuse,
    stream: () => {
      throw new OfflineError('HTTP stream')
    },
    extend: () => offlineGot,
  })

  const mod = Module as unknown as { _load: Load }
  const originalLoad = mod._load
  mod._load = function (this: unknown, request, parent, isMain) {
    if (request === 'got') return offlineGot
    return originalLoad.call(this, request, parent, isMain)
  }

  const proto = net.Socket.prototype as unknown as { connect: Connect }
  const originalConnect = proto.connect
  proto.connect = function () {
    socketAttempts++
    throw new OfflineError('socket connection')
  }

  // modules loaded before the hook kept the real got: load Electronegativity afresh
  purgeModuleCache()

  const guard: OfflineGuard = {
    gotCalls,
    get socketAttempts() {
      return socketAttempts
    },
    got: offlineGot,
    restore() {
      mod._load = originalLoad
      proto.connect = originalConnect
      purgeModuleCache()
      active = null
    },
  }
  active = guard
  return guard
}

function purgeModuleCache(): void {
  const gotDir = `${sep}node_modules${sep}got${sep}`
  for (const key of Object.keys(require.cache)) {
    if (key.startsWith(ELECTRONEGATIVITY_DIR + sep) || key.includes(gotDir)) {
      delete require.cache[key]
    }
  }
}

/** Whether the real `got` has been loaded into this process (it must never be). */
export function realGotLoaded(): boolean {
  const gotDir = `${sep}node_modules${sep}got${sep}`
  return Object.keys(require.cache).some((k) => k.includes(gotDir))
}

// ---------------------------------------------------------------------------------------------
// Running Electronegativity
// ---------------------------------------------------------------------------------------------

export type Severity = 'HIGH' | 'MEDIUM' | 'LOW' | 'INFORMATIONAL'

export interface Finding {
  check: string
  severity: Severity
  confidence: string
  /** relative to the repository, with forward slashes; "N/A" for global findings */
  file: string
  line: number
  column: number
  description: string
  manualReview: boolean
}

export interface ScanResult {
  findings: Finding[]
  /** files Electronegativity could not parse (its checks did not run on them) */
  parseErrors: { file: string; message: string }[]
  sarifPath: string
}

interface RawIssue {
  id: string
  file: string
  location?: { line?: number; column?: number }
  severity: { name: string }
  confidence: { name: string }
  description: string
  manualReview?: boolean
}

interface RawResult {
  issues: RawIssue[]
  errors: { file: string; message: string; tolerable: boolean }[]
}

type Run = (options: Record<string, unknown>, forCli?: boolean) => Promise<RawResult>

/**
 * Checks left out, and why:
 * - AvailableSecurityFixesGlobalCheck downloads Electron's release list from GitHub; it cannot
 *   work offline. Electron currency (#16) is kept by dependency updates instead.
 */
const EXCLUDED_CHECKS = ['AvailableSecurityFixesGlobalCheck']

function installedElectronVersion(): string {
  const pkg = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')) as {
    version: string
  }
  return pkg.version
}

const posix = (p: string): string => p.split(sep).join('/')

export interface ScanOptions {
  /** maps a path as Electronegativity reports it (relative to the input) to the repo's path */
  repoPath?: (file: string) => string
}

/**
 * Runs Electronegativity on one directory, in process and offline, writing SARIF to
 * `sarifPath`. Then reads that SARIF back, checks it lists exactly the issues returned, and
 * rewrites its locations to repository paths. (Its CSV writer races its own header write against
 * the rows, so SARIF is the file format; severity, which SARIF does not carry, comes from the
 * in-process result.)
 */
export async function scan(
  input: string,
  sarifPath: string,
  opts: ScanOptions = {},
): Promise<ScanResult> {
  const repoPath = opts.repoPath ?? ((file: string) => posix(relative(ROOT, resolve(input, file))))
  const toRepo = (file: string): string => (file === 'N/A' ? file : repoPath(posix(file)))
  const guard = installOfflineGuard()
  rmSync(sarifPath, { force: true })
  mkdirSync(dirname(sarifPath), { recursive: true })
  const run = require('@doyensec/electronegativity') as Run
  const lang = process.env.LANG
  // its i18n picks the locale from LANG; en-US is the one it ships complete
  process.env.LANG = 'en-US'
  let raw: RawResult
  try {
    raw = await run({
      input,
      output: sarifPath,
      isSarif: true,
      customScan: [],
      excludeFromScan: EXCLUDED_CHECKS.map((c) => c.toLowerCase()),
      isRelative: true,
      isVerbose: true,
      electronVersionOverride: installedElectronVersion(),
      parserPlugins: [],
    })
  } finally {
    if (lang === undefined) delete process.env.LANG
    else process.env.LANG = lang
  }
  if (realGotLoaded()) throw new Error('the real got module was loaded: offline guard failed')
  if (guard.socketAttempts > 0) {
    throw new Error(`${guard.socketAttempts} socket connection(s) attempted (all refused)`)
  }

  const findings = raw.issues.map((i): Finding => ({
    check: i.id,
    severity: i.severity.name as Severity,
    confidence: i.confidence.name,
    file: toRepo(i.file),
    line: i.location?.line ?? 0,
    column: i.location?.column ?? 0,
    description: i.description,
    manualReview: i.manualReview === true,
  }))
  const sarif = await readSarif(sarifPath)
  const results = sarif.runs[0]?.results ?? []
  if (results.map((r) => r.ruleId).join(',') !== raw.issues.map((i) => i.id).join(',')) {
    throw new Error(`${sarifPath} does not list the issues Electronegativity returned`)
  }
  // repository paths instead of the staging directory's, so CI can annotate the right files
  results.forEach((r, n) => {
    const loc = r.locations?.[0]?.physicalLocation?.artifactLocation
    const file = findings[n]?.file
    if (loc && file && file !== 'N/A') loc.uri = file
  })
  for (const runLog of sarif.runs) delete runLog.invocations
  writeFileSync(sarifPath, `${JSON.stringify(sarif, null, 2)}\n`)

  const parseErrors = raw.errors
    .filter((e) => !e.tolerable)
    .map((e) => ({ file: toRepo(e.file), message: e.message }))
  return { findings, parseErrors, sarifPath }
}

export interface SarifLog {
  runs: {
    invocations?: unknown
    results?: {
      ruleId: string
      locations?: {
        physicalLocation?: {
          artifactLocation?: { uri?: string }
          region?: { startLine?: number }
        }
      }[]
    }[]
  }[]
}

/** Electronegativity writes the file without waiting for it: poll until it is complete JSON. */
export async function readSarif(path: string, timeoutMs = 10_000): Promise<SarifLog> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      const doc = JSON.parse(readFileSync(path, 'utf8')) as SarifLog
      if (!Array.isArray(doc.runs?.[0]?.results)) {
        throw new Error(`${path}: not an Electronegativity SARIF log`)
      }
      return doc
    } catch (e) {
      if (Date.now() > deadline) throw e
      await sleep(50)
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Staging: what Electronegativity reads
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// Deciding
// ---------------------------------------------------------------------------------------------

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
const SANDBOXED_PRELOAD_MODULES = new Set(['electron', 'events', 'timers', 'url'])

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

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

function format(f: Finding): string {
  const where = f.file === 'N/A' ? '(global)' : `${f.file}:${f.line}:${f.column}`
  const review = f.manualReview ? ' [review]' : ''
  return `${f.severity}/${f.confidence} ${f.check} ${where}${review}\n    ${f.description}`
}

function buildRenderer(): void {
  console.log('building out/ with electron-vite build…')
  const cli = join(dirname(require.resolve('electron-vite/package.json')), 'bin/electron-vite.js')
  const r = spawnSync(process.execPath, [cli, 'build'], { cwd: ROOT, stdio: 'inherit' })
  if (r.status !== 0) throw new Error(`electron-vite build failed (exit ${r.status})`)
}

async function main(argv: string[]): Promise<number> {
  const guard = installOfflineGuard()
  const outDir = join(ROOT, 'out')
  if (argv.includes('--rebuild') || !existsSync(outDir)) buildRenderer()

  const staging = join(RESULTS_DIR, 'electronegativity')
  stageSources(join(staging, 'sources'))
  const built = await stageBuild(outDir, join(staging, 'out'))
  const targets = [
    {
      name: 'sources',
      label: 'electron/ + renderer/',
      dir: join(staging, 'sources'),
      // staged under their own names: the reported path is the repository path
      repoPath: (file: string) => file,
    },
    {
      name: 'out',
      label: 'out/ (lowered to ES2019: lines refer to test-results/electronegativity/out)',
      dir: join(staging, 'out'),
      repoPath: (file: string) => built.get(file) ?? `out/${file}`,
    },
  ]
  const findings: Finding[] = []
  const parseErrors: ScanResult['parseErrors'] = []
  for (const t of targets) {
    const sarif = join(RESULTS_DIR, `electronegativity-${t.name}.sarif`)
    const result = await scan(t.dir, sarif, t.repoPath ? { repoPath: t.repoPath } : {})
    console.log(`${t.label}: ${result.findings.length} finding(s) → ${relative(ROOT, sarif)}`)
    findings.push(...result.findings)
    parseErrors.push(...result.parseErrors.filter((e) => !e.file.endsWith('.vue')))
  }

  const d = decide(findings)
  const suppressions = findInlineSuppressions(
    ['electron', 'renderer', 'out'].map((n) => join(ROOT, n)),
  )
  const counts = (['HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL'] as const).map(
    (s) => `${s} ${findings.filter((f) => f.severity === s).length}`,
  )
  console.log(`\nElectronegativity: ${counts.join(', ')}`)

  for (const f of d.blocking) console.log(`\n✗ ${format(f)}`)
  for (const { finding, entry } of d.allowed) {
    console.log(`\n✓ allowed: ${format(finding)}\n    why: ${entry.why}`)
  }
  for (const f of d.informational) console.log(`\n· ${format(f)}`)
  for (const e of d.unusedAllowEntries) {
    console.log(`\n! allow-list entry matches nothing (remove it): ${e.check} ${e.file}`)
  }
  for (const e of parseErrors) console.log(`\n✗ could not parse ${e.file}: ${e.message}`)
  for (const file of suppressions) {
    console.log(`\n✗ inline eng-disable in ${file}: use the allow-list in scripts/lint-security.ts`)
  }
  console.log(
    `\nrefused ${guard.gotCalls.length} network fetch(es) by Electronegativity (offline by design)`,
  )

  const preload = findUnsandboxablePreloadRequires(join(outDir, 'preload'))
  for (const p of preload) {
    const allowed = [...SANDBOXED_PRELOAD_MODULES].join(', ')
    console.log(`\n✗ ${p}: a sandboxed preload can only require ${allowed}`)
    console.log('    bundle it in: electron.vite.config.ts preload.build.externalizeDeps = false')
  }

  const failed = d.blocking.length + parseErrors.length + suppressions.length + preload.length
  console.log(
    failed === 0
      ? '\nlint:security passed: no HIGH or MEDIUM finding outside the allow-list'
      : `\nlint:security FAILED: ${failed} problem(s)`,
  )
  return failed === 0 ? 0 : 1
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(e)
      process.exit(2)
    },
  )
}
