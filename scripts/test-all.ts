/**
 * The README's test command (`npm test`): every check the project has, in the order that fails
 * fastest, then one closing line `N passed, N failed` that counts test cases and checks.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { relative } from 'node:path'

interface StepResult {
  name: string
  ok: boolean
  passed: number
  failed: number
  seconds: number
  /** the failed test cases, repeated in the summary: CI keeps only the output's tail */
  failures?: string[]
}

interface VitestReport {
  numPassedTests: number
  testResults: {
    name: string
    status: string
    message?: string
    assertionResults: { status: string; fullName: string; failureMessages?: string[] }[]
  }[]
}

const results: StepResult[] = []
const onlyFast = process.argv.includes('--fast')

function run(name: string, cmd: string, args: string[]): boolean {
  const started = Date.now()
  console.log(`\n▶ ${name}: ${cmd} ${args.join(' ')}`)
  const r = spawnSync(cmd, args, { stdio: 'inherit', shell: false, env: process.env })
  const ok = r.status === 0
  results.push({ name, ok, passed: ok ? 1 : 0, failed: ok ? 0 : 1, seconds: secs(started) })
  return ok
}

function secs(started: number): number {
  return Math.round((Date.now() - started) / 100) / 10
}

/** vitest: count its test cases instead of one check */
function runVitest(name: string, config: string | undefined, report: string): void {
  const started = Date.now()
  const args = ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`]
  if (config) args.push('--config', config)
  console.log(`\n▶ ${name}: vitest ${args.join(' ')}`)
  const r = spawnSync('vitest', args, { stdio: 'inherit', env: process.env })
  let passed = 0
  let failed = r.status === 0 ? 0 : 1
  const failures: string[] = []
  if (existsSync(report)) {
    const json = JSON.parse(readFileSync(report, 'utf8')) as VitestReport
    passed = json.numPassedTests
    for (const file of json.testResults) {
      const where = relative(process.cwd(), file.name)
      for (const t of file.assertionResults.filter((a) => a.status === 'failed'))
        failures.push(`${where} > ${t.fullName}: ${firstLine(t.failureMessages?.[0])}`)
      // a file that failed to load has no failed test but must still count as a failure
      if (file.status === 'failed' && !file.assertionResults.some((a) => a.status === 'failed'))
        failures.push(`${where}: ${firstLine(file.message)}`)
    }
    failed = Math.max(failures.length, r.status === 0 ? 0 : 1)
  }
  results.push({ name, ok: r.status === 0, passed, failed, seconds: secs(started), failures })
}

function firstLine(text: string | undefined): string {
  return (text ?? '').split('\n', 1)[0]!.slice(0, 300)
}

mkdirSync('test-results', { recursive: true })
run('format', 'prettier', ['--check', '.'])
run('lint', 'eslint', ['--max-warnings', '0', '.'])
run('typecheck:node', 'tsc', ['--noEmit', '-p', 'tsconfig.node.json'])
run('typecheck:web', 'vue-tsc', ['--noEmit', '-p', 'tsconfig.web.json'])
runVitest('unit + ipc', undefined, 'test-results/vitest-unit.json')
if (!onlyFast) {
  run('build', 'electron-vite', ['build'])
  if (existsSync('vitest.e2e.config.ts')) {
    runVitest('e2e (Chromium)', 'vitest.e2e.config.ts', 'test-results/vitest-e2e.json')
  }
  if (existsSync('scripts/lint-security.ts'))
    run('lint:security', 'tsx', ['scripts/lint-security.ts'])
}

console.log('\nSummary')
for (const r of results) {
  const counts = r.passed + r.failed > 1 ? ` (${r.passed} passed, ${r.failed} failed)` : ''
  console.log(`  ${r.ok ? '✔' : '✘'} ${r.name}${counts} ${r.seconds}s`)
  for (const f of r.failures ?? []) console.log(`      ✘ ${f}`)
}
const passed = results.reduce((n, r) => n + r.passed, 0)
const failed = results.reduce((n, r) => n + r.failed, 0)
console.log(`${passed} passed, ${failed} failed`)
process.exitCode = failed === 0 && results.every((r) => r.ok) ? 0 : 1
