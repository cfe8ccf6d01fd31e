import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { SyncStatus } from '../../../shared/domain'
import { defaultSettings } from '../../../shared/settings'
import { AppError } from '../../../electron/core/app-error'
import {
  createDiagnosticsService,
  DIAGNOSTICS_FORMAT,
  runtimeVersions,
  type DiagnosticsDeps,
} from '../../../electron/services/diagnostics/diagnostics-service'
import { FolderFileDialogs } from '../../../electron/services/files/folder-dialogs'
import {
  findLeakedSecrets,
  readVaultSecrets,
} from '../../../electron/services/diagnostics/log-redact'
import type { FileDialogs } from '../../../electron/services/ports'
import { summarize } from '../../../electron/services/settings/settings-service'
import { MemorySettingsStore } from '../../../electron/services/settings/settings-store'
import { MemoryVault } from '../../../electron/services/vault/vault'
import { recordingLogger } from '../../support/app-harness'

const TOKEN = 'dc-token-8c41f09e77aa'
const APPKEY = 'dc-appkey-Q2x9LmN0pXv3WzR7'
const COMPANY = 'rbp-company-5521'
const USER_ID = '7314159'
const PASSWORD = 'Agent"Pass\\2026'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-diag-'))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

const sync: SyncStatus = {
  online: true,
  pending: 3,
  sending: 0,
  uncertain: 1,
  failed: 0,
  lastSuccessAt: '2026-11-22T01:59:00.000Z',
  flush: null,
  // a secret under an innocent field, as a careless message might carry it
  storageProblem: `数据库写入失败 (${COMPANY})`,
}

function setup(opts: { logLines?: string[]; files?: FileDialogs; secrets?: string[] } = {}) {
  const vault = new MemoryVault({
    initial: {
      'datacenter.token': TOKEN,
      'datacenter.appkey': APPKEY,
      'rabbitpre.companyId': COMPANY,
      'miaosuan.userId': USER_ID,
      password: PASSWORD,
    },
  })
  const settings = new MemorySettingsStore({
    ...defaultSettings,
    machineNo: 'desk-07',
    // credentials in a URL and a token in its query: both are secrets
    servers: {
      ...defaultSettings.servers,
      datacenter: `https://agent:${APPKEY}@dc.example.com/gw?token=${TOKEN}`,
    },
  })
  const logLines: string[] = []
  const log = recordingLogger(logLines)
  const lines =
    opts.logLines ??
    Array.from({ length: 700 }, (_, i) =>
      i === 650
        ? `[2026-11-22 09:59:00.000] [warn] raw secrets ${TOKEN} ${PASSWORD} ${USER_ID} for 13812345678`
        : `[2026-11-22 09:00:00.000] [info] line ${i}`,
    )
  const deps: DiagnosticsDeps = {
    files: opts.files ?? new FolderFileDialogs({ exportDir: dir, importDir: dir }),
    versions: () => runtimeVersions('1.2.0'),
    settings,
    syncStatus: () => ({ ...sync, pending: Number(USER_ID) }),
    recentLogLines: () => lines,
    secretValues: async () => opts.secrets ?? readVaultSecrets(vault),
    secretSummary: () => summarize(vault, log),
    updateStatus: async () => ({
      channel: 'stable',
      currentVersion: '1.2.0',
      state: 'available',
      available: { version: '1.3.0', releaseDate: null },
      progress: null,
      error: null,
      lastCheckedAt: null,
      waitingForCallToEnd: false,
    }),
    log,
    now: () => new Date(2026, 10, 22, 10, 0, 0),
  }
  return { service: createDiagnosticsService(deps), logLines }
}

describe('export diagnostics', () => {
  it('writes one JSON bundle with versions, settings, sync, updates and the last 500 log lines', async () => {
    const { service } = setup()
    const result = await service.export()
    expect(result.file).toBe(path.join(dir, 'callcenter-diagnostics-20261122-100000.json'))
    const text = fs.readFileSync(result.file!, 'utf8')
    expect(result.bytes).toBe(Buffer.byteLength(text))
    const bundle = JSON.parse(text) as Record<string, Record<string, unknown>> & {
      log: { lines: string[] }
      secrets: Record<string, unknown>
    }
    expect(bundle.format).toBe(DIAGNOSTICS_FORMAT)
    expect(bundle.versions).toMatchObject({ app: '1.2.0', node: process.versions.node })
    expect(bundle.settings).toMatchObject({ machineNo: 'desk-07', updateChannel: 'stable' })
    expect(bundle.sync).toMatchObject({ online: true, uncertain: 1 })
    expect(bundle.updates).toMatchObject({ state: 'available', available: { version: '1.3.0' } })
    expect(bundle.log.lines).toHaveLength(500)
    expect(bundle.log.lines.at(-1)).toContain('line 699')
    expect(bundle.log.lines.join('\n')).toContain('138****5678')
    // whether each secret is set, nothing of its value
    expect(bundle.secrets).toMatchObject({ encryptionAvailable: true, datacenterAppid: null })
    expect(bundle.secrets.datacenterToken).not.toBeNull()
  })

  it('contains no secret value anywhere: strings, numbers, URLs, log lines, JSON-escaped', async () => {
    const { service } = setup()
    const text = fs.readFileSync((await service.export()).file!, 'utf8')
    for (const secret of [
      TOKEN,
      APPKEY,
      COMPANY,
      USER_ID,
      PASSWORD,
      JSON.stringify(PASSWORD).slice(1, -1),
    ]) {
      expect(text).not.toContain(secret)
    }
    // and masked fragments of two characters are all the summary could ever show
    expect(text).not.toContain(TOKEN.slice(0, 8))
    expect(JSON.parse(text).sync.pending).toBe('[redacted]')
  })

  it('a secret that survives redaction stops the export: nothing is written', async () => {
    const exportDir = path.join(dir, 'refused')
    // a value that only exists in the JSON text itself
    const { service, logLines } = setup({
      files: new FolderFileDialogs({ exportDir, importDir: dir }),
      secrets: [TOKEN, '"format": "callcenter'],
    })
    await expect(service.export()).rejects.toBeInstanceOf(AppError)
    expect(fs.readdirSync(exportDir)).toEqual([])
    expect(logLines.join('\n')).toMatch(/secret value\(s\) left in the bundle/)
  })

  it('cancelling the save dialog writes nothing', async () => {
    const files: FileDialogs = {
      chooseSavePath: async () => null,
      chooseOpenPath: async () => null,
      chooseOpenPaths: async () => [],
    }
    const { service } = setup({ files })
    expect(await service.export()).toEqual({ file: null, bytes: 0 })
  })

  it('a section that fails is reported inside the bundle instead of failing the export', async () => {
    const { service } = setup({
      logLines: [],
    })
    const broken = createDiagnosticsService({
      files: new FolderFileDialogs({ exportDir: path.join(dir, 'partial'), importDir: dir }),
      versions: () => ({ app: '1.2.0' }),
      settings: { get: () => defaultSettings },
      syncStatus: () => {
        throw new Error('database is locked')
      },
      recentLogLines: () => [],
      secretValues: async () => [],
    })
    const bundle = JSON.parse(fs.readFileSync((await broken.export()).file!, 'utf8'))
    expect(bundle.sync).toEqual({ error: 'Error: database is locked' })
    expect(bundle.settings.updateChannel).toBe('stable')
    expect((await service.export()).bytes).toBeGreaterThan(0)
  })

  it('removes secrets in every common encoding, whatever their case', async () => {
    const special = 'Ky/9+x y~!*(ok)=中'
    const encoded = {
      upperToken: TOKEN.toUpperCase(),
      formUrlencoded: new URLSearchParams({ appkey: special }).toString(),
      uriComponent: encodeURIComponent(special),
      uriLower: encodeURIComponent(APPKEY).toLowerCase(),
      base64: Buffer.from(APPKEY).toString('base64'),
      // inside a longer blob, at whatever alignment it falls
      base64Blob: Buffer.from(`{"appkey":"${APPKEY}","n":1}`).toString('base64'),
      base64Url: Buffer.from(`x${special}`).toString('base64url'),
      hex: Buffer.from(APPKEY).toString('hex'),
      hexUpper: Buffer.from(TOKEN).toString('hex').toUpperCase(),
      jsonAscii: JSON.stringify(special).replace(
        /[^\x20-\x7e]/g,
        (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
      ),
    }
    const exportDir = path.join(dir, 'encoded')
    const { service } = setup({
      files: new FolderFileDialogs({ exportDir, importDir: dir }),
      logLines: Object.entries(encoded).map(([how, v]) => `[info] sent ${how} ${v} done`),
      secrets: [TOKEN, APPKEY, special],
    })
    const text = fs.readFileSync((await service.export()).file!, 'utf8').toLowerCase()
    for (const [how, v] of Object.entries(encoded)) {
      expect(text, how).not.toContain(v.toLowerCase())
    }
    expect(text).toContain('sent hex [redacted] done')
  })

  it('the final check finds a secret in any encoding, case-insensitively', () => {
    const secret = 'dc-appkey-Q2x9LmN0pXv3WzR7'
    const found = (t: string) => findLeakedSecrets(t, [secret, 'other-secret-1'])
    expect(found('nothing here')).toEqual([])
    expect(found(`x ${secret.toUpperCase()} y`)).toEqual([secret])
    expect(found(Buffer.from(`ab${secret}`).toString('base64'))).toEqual([secret])
    expect(found(Buffer.from(`a${secret}`).toString('base64url'))).toEqual([secret])
    expect(found(Buffer.from(secret).toString('hex').toUpperCase())).toEqual([secret])
    const spaced = 'my pass word 99'
    expect(findLeakedSecrets(new URLSearchParams({ k: spaced }).toString(), [spaced])).toEqual([
      spaced,
    ])
  })
})
