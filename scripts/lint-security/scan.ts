// Running Electronegativity on a directory and reading its SARIF report.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, relative, resolve } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { installOfflineGuard, realGotLoaded } from './offline'
import { posix, require, ROOT } from './paths'

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
