import fs from 'node:fs'
import path from 'node:path'
import { load } from 'js-yaml'
import { describe, expect, it } from 'vitest'

const root = path.resolve(import.meta.dirname, '../../..')

/** npm audit cannot reach its advisory endpoint here: the release runners (online) run it. */
describe('release workflow: dependency audit', () => {
  const wf = load(fs.readFileSync(path.join(root, '.github/workflows/release.yml'), 'utf8')) as {
    jobs: Record<string, { steps: { run?: string }[] }>
  }
  const runs = wf.jobs.package!.steps.map((s) => s.run ?? '')

  it('audits production dependencies at level high after npm ci and before building', () => {
    const audit = runs.findIndex((r) => /npm audit\b/.test(r))
    expect(audit).toBeGreaterThan(-1)
    expect(runs[audit]).toContain('--omit=dev')
    expect(runs[audit]).toContain('--audit-level=high')
    expect(audit).toBeGreaterThan(runs.findIndex((r) => r.includes('npm ci')))
    expect(audit).toBeLessThan(runs.findIndex((r) => r.includes('npm run build')))
    expect(audit).toBeLessThan(runs.findIndex((r) => r.includes('electron-builder')))
  })

  it('Electron is on the newest 45.x patch known when this was written (45.5.0) or later', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      devDependencies: Record<string, string>
    }
    const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { version?: string }>
    }
    const [major, minor] = (lock.packages['node_modules/electron']?.version ?? '0.0.0')
      .split('.')
      .map(Number)
    expect(major).toBe(45)
    expect(minor).toBeGreaterThanOrEqual(5)
    expect(pkg.devDependencies.electron).toMatch(/^\^?45\.(5|[6-9]|\d\d)\./)
  })
})
