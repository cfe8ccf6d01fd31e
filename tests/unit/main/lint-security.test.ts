import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import Module, { createRequire } from 'node:module'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import {
  ALLOW_LIST,
  decide,
  findInlineSuppressions,
  findUnsandboxablePreloadRequires,
} from '../../../scripts/lint-security/decide'
import {
  installOfflineGuard,
  OfflineError,
  realGotLoaded,
} from '../../../scripts/lint-security/offline'
import { ELECTRONEGATIVITY_DIR } from '../../../scripts/lint-security/paths'
import { scan, type Finding, type SarifLog } from '../../../scripts/lint-security/scan'
import { stageBuild } from '../../../scripts/lint-security/stage'

type Got = ((url: string) => Promise<unknown>) & { head(url: string): Promise<unknown> }

// `require` as Electronegativity's own files resolve it
const requireFromI18n = createRequire(join(ELECTRONEGATIVITY_DIR, 'dist/locales/i18n.js'))
const requireFromFixesCheck = createRequire(
  join(
    ELECTRONEGATIVITY_DIR,
    'dist/finder/checks/GlobalChecks/AvailableSecurityFixesGlobalCheck.js',
  ),
)

let guard: ReturnType<typeof installOfflineGuard> | null = null
afterEach(() => {
  guard?.restore()
  guard = null
})

describe('Electronegativity runs offline', () => {
  it('hands its files a got that rejects at once, without a socket', async () => {
    guard = installOfflineGuard()
    for (const req of [requireFromI18n, requireFromFixesCheck]) {
      const got = req('got') as Got
      expect(got).toBe(guard.got)
      const started = Date.now()
      await expect(
        got('https://electronegativity-i18n.s3.us-west-2.amazonaws.com/en-US.json'),
      ).rejects.toBeInstanceOf(OfflineError)
      await expect(
        got.head('https://raw.githubusercontent.com/electron/releases/master/index.json'),
      ).rejects.toBeInstanceOf(OfflineError)
      // got's own timeout there is 1000 ms: an answer before it never waited on the network
      // (the margin is for a busy machine)
      expect(Date.now() - started).toBeLessThan(900)
    }
    expect(guard.gotCalls).toHaveLength(4)
    expect(guard.socketAttempts).toBe(0)
    expect(realGotLoaded()).toBe(false)
  })

  it("runs Electronegativity's own translation fetch to completion offline", async () => {
    guard = installOfflineGuard()
    const i18n = requireFromI18n('./i18n.js') as () => Promise<void>
    const started = Date.now()
    await i18n()
    // before got's 1000 ms timeout: nothing waited on the network
    expect(Date.now() - started).toBeLessThan(900)
    expect(guard.gotCalls).toEqual([
      expect.stringContaining('electronegativity-i18n.s3.us-west-2.amazonaws.com'),
    ])
    expect(guard.socketAttempts).toBe(0)
    expect(realGotLoaded()).toBe(false)
  })

  it('refuses any socket connection while installed, and restores both fences after', () => {
    const mod = Module as unknown as { _load: unknown }
    const proto = net.Socket.prototype as unknown as { connect: unknown }
    const [load, connect] = [mod._load, proto.connect]
    guard = installOfflineGuard()
    expect(mod._load).not.toBe(load)
    // loopback and a discard port: even if the guard failed, nothing would leave the machine
    expect(() => net.connect({ host: '127.0.0.1', port: 9 })).toThrow(OfflineError)
    expect(guard.socketAttempts).toBe(1)
    guard.restore()
    guard = null
    expect(mod._load).toBe(load)
    expect(proto.connect).toBe(connect)
  })

  it('scans a directory offline and reports what it finds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lint-security-'))
    try {
      mkdirSync(join(dir, 'src'))
      writeFileSync(
        join(dir, 'src', 'main.js'),
        [
          "const { BrowserWindow } = require('electron')",
          'new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false } })',
          '',
        ].join('\n'),
      )
      const sarif = join(dir, 'out.sarif')
      guard = installOfflineGuard()
      const result = await scan(join(dir, 'src'), sarif)
      const found = result.findings.map((f) => `${f.severity} ${f.check}`)
      expect(found).toContain('HIGH CONTEXT_ISOLATION_JS_CHECK')
      expect(found).toContain('MEDIUM SANDBOX_JS_CHECK')
      expect(found).toContain('HIGH LIMIT_NAVIGATION_GLOBAL_CHECK')
      expect(JSON.parse(readFileSync(sarif, 'utf8')).runs[0].results).toHaveLength(
        result.findings.length,
      )
      expect(guard.socketAttempts).toBe(0)
      expect(realGotLoaded()).toBe(false)
      expect(decide(result.findings).blocking.length).toBeGreaterThan(0)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('staging the build', () => {
  it('lowers modern syntax so no bundle goes unchecked, and maps paths back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lint-security-out-'))
    try {
      const out = join(dir, 'out')
      mkdirSync(join(out, 'main'), { recursive: true })
      mkdirSync(join(out, 'preload'), { recursive: true })
      writeFileSync(
        join(out, 'main', 'index.js'),
        [
          "import { BrowserWindow } from 'electron'",
          'class Store { #data = new Map(); get size() { return this.#data?.size ?? 0 } }',
          'export const store = new Store()',
          'export const win = new BrowserWindow({ webPreferences: { sandbox: false } })',
          '',
        ].join('\n'),
      )
      writeFileSync(join(out, 'preload', 'index.cjs'), "require('electron')\n")
      guard = installOfflineGuard()

      // as built, Electronegativity cannot read the private field: the file is skipped
      const asBuilt = await scan(out, join(dir, 'raw.sarif'))
      expect(asBuilt.parseErrors.map((e) => e.message).join()).toMatch(/ClassPrivate|Unknown node/)

      const map = await stageBuild(out, join(dir, 'staged'))
      expect(map.get('preload/index.js')).toMatch(/out\/preload\/index\.cjs$/)
      const staged = await scan(join(dir, 'staged'), join(dir, 'staged.sarif'), {
        repoPath: (file) => map.get(file) ?? file,
      })
      expect(staged.parseErrors).toEqual([])
      const sandbox = staged.findings.find((f) => f.check === 'SANDBOX_JS_CHECK')
      expect(sandbox?.file).toMatch(/out\/main\/index\.js$/)
      const sarif = JSON.parse(readFileSync(join(dir, 'staged.sarif'), 'utf8')) as SarifLog
      expect(JSON.stringify(sarif)).not.toContain(join(dir, 'staged'))
      expect(guard.socketAttempts).toBe(0)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('findInlineSuppressions', () => {
  it('finds eng-disable comments, which would hide findings from the report', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lint-security-eng-'))
    try {
      writeFileSync(join(dir, 'a.ts'), '// eng-disable SANDBOX_JS_CHECK\n')
      writeFileSync(join(dir, 'b.ts'), 'export {}\n')
      expect(findInlineSuppressions([dir]).map((p) => p.split('/').pop())).toEqual(['a.ts'])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('findUnsandboxablePreloadRequires', () => {
  it('accepts electron and the built-ins a sandboxed preload has, and nothing else', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lint-security-preload-'))
    try {
      writeFileSync(
        join(dir, 'index.cjs'),
        [
          'let electron = require("electron");',
          "const events = require('node:events');",
          'let zod = require("zod");',
          "const fs = require('fs');",
          '',
        ].join('\n'),
      )
      writeFileSync(join(dir, 'notes.txt'), 'require("zod")')
      expect(
        findUnsandboxablePreloadRequires(dir).map((p) => p.replace(/^.*requires /, '')),
      ).toEqual(["'zod'", "'fs'"])
      expect(findUnsandboxablePreloadRequires(join(dir, 'missing'))).toEqual([])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('decide', () => {
  const finding = (over: Partial<Finding>): Finding => ({
    check: 'SOME_CHECK',
    severity: 'HIGH',
    confidence: 'CERTAIN',
    file: 'electron/main/index.ts',
    line: 1,
    column: 0,
    description: '',
    manualReview: false,
    ...over,
  })

  it('blocks HIGH and MEDIUM, reports LOW and INFORMATIONAL', () => {
    const d = decide(
      [
        finding({ severity: 'HIGH' }),
        finding({ severity: 'MEDIUM' }),
        finding({ severity: 'LOW' }),
        finding({ severity: 'INFORMATIONAL' }),
      ],
      [],
    )
    expect(d.blocking.map((f) => f.severity)).toEqual(['HIGH', 'MEDIUM'])
    expect(d.informational.map((f) => f.severity)).toEqual(['LOW', 'INFORMATIONAL'])
  })

  it('ignores .vue files', () => {
    const d = decide([finding({ file: 'renderer/src/App.vue' })], [])
    expect(d.blocking).toEqual([])
    expect(d.ignored).toHaveLength(1)
  })

  it('allows only the exact check + file pair', () => {
    const entry = { check: 'OPEN_EXTERNAL_JS_CHECK', file: 'electron/main/hardening.ts', why: 'x' }
    const d = decide(
      [
        finding({ check: 'OPEN_EXTERNAL_JS_CHECK', file: 'electron/main/hardening.ts' }),
        finding({ check: 'OPEN_EXTERNAL_JS_CHECK', file: 'electron/main/index.ts' }),
        finding({ check: 'NODE_INTEGRATION_JS_CHECK', file: 'electron/main/hardening.ts' }),
      ],
      [entry],
    )
    expect(d.allowed).toHaveLength(1)
    expect(d.blocking.map((f) => `${f.check} ${f.file}`)).toEqual([
      'OPEN_EXTERNAL_JS_CHECK electron/main/index.ts',
      'NODE_INTEGRATION_JS_CHECK electron/main/hardening.ts',
    ])
  })

  it('reports allow-list entries that match nothing', () => {
    expect(decide([], ALLOW_LIST).unusedAllowEntries).toEqual(ALLOW_LIST)
  })

  it('gives every allow-list entry a reason', () => {
    for (const e of ALLOW_LIST) expect(e.why.length).toBeGreaterThan(20)
  })
})
