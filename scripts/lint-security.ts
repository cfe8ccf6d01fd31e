/**
 * `npm run lint:security`: Electronegativity over the sources (electron/, renderer/) and the
 * built app (out/, built first if missing or with --rebuild). Fails on any HIGH or MEDIUM finding
 * that the allow-list (lint-security/decide.ts) does not name, on any file Electronegativity could not parse, on
 * inline `eng-disable` comments (the allow-list is the only way to accept a finding), on a built
 * preload that requires modules a sandboxed preload cannot load, and on any attempt to reach the
 * network. Electronegativity itself exits 0 whatever it finds: this script decides.
 *
 * Offline by construction: Electronegativity fetches translations from S3 at every start and
 * Electron's release list from GitHub (its `got` calls in locales/i18n.js and
 * AvailableSecurityFixesGlobalCheck). It runs in this process, behind a module hook that hands
 * it a `got` which rejects at once, and a socket guard that refuses any connection.
 *
 * The parts: lint-security/offline.ts (the fences), scan.ts (running it), stage.ts (what it
 * reads), decide.ts (the allow-list and the checks it does not make).
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import {
  decide,
  findInlineSuppressions,
  findUnsandboxablePreloadRequires,
  SANDBOXED_PRELOAD_MODULES,
} from './lint-security/decide'
import { installOfflineGuard } from './lint-security/offline'
import { require, RESULTS_DIR, ROOT } from './lint-security/paths'
import { scan, type Finding, type ScanResult } from './lint-security/scan'
import { stageBuild, stageSources } from './lint-security/stage'

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
    console.log(
      `\n✗ inline eng-disable in ${file}: use the allow-list in scripts/lint-security/decide.ts`,
    )
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
