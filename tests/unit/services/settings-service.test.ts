import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ConnectionProfileInput } from '../../../shared/connection-profile'
import { defaultSettings, type Settings } from '../../../shared/settings'
import { AppError } from '../../../electron/core/app-error'
import type { Logger, SecretKey, Vault } from '../../../electron/services/ports'
import { locateJsonError } from '../../../electron/services/settings/profile-import'
import { createSettingsService } from '../../../electron/services/settings/settings-service'
import { MemorySettingsStore } from '../../../electron/services/settings/settings-store'
import { collectSecretValues, FileVault, MemoryVault } from '../../../electron/services/vault/vault'

const TOKEN = 'dc-token-8c41f09e77aa'
const APPKEY = 'dc-appkey-Q2x9LmN0pXv3WzR7'
const COMPANY = 'rbp-company-5521'
const INSTANCE = 'rbp-instance-0419'
const USER_ID = 7314159

const profile: ConnectionProfileInput = {
  name: '华东区域',
  weixin: { baseUrl: 'https://call.example.com/api', machineNo: 'desk-07' },
  datacenter: {
    endpoint: 'https://dc.example.com/gateway',
    appid: '907',
    token: TOKEN,
    appkey: APPKEY,
    dataCenterAppid: '163',
  },
  cdp: { baseUrl: 'http://cdp.example.com:8080', hostHeader: 'cdp.internal' },
  rabbitpre: { baseUrl: 'https://rbp.example.com', companyId: COMPANY, instanceAppid: INSTANCE },
  miaosuan: { baseUrl: 'https://ms.example.com', userId: USER_ID },
}
const secretValues = [TOKEN, APPKEY, COMPANY, INSTANCE, String(USER_ID)]

function memoryLog(): { log: Logger; text(): string } {
  const lines: unknown[] = []
  return {
    log: {
      info: (m, d) => lines.push(['info', m, d]),
      warn: (m, d) => lines.push(['warn', m, d]),
      error: (m, e) => lines.push(['error', m, String(e), (e as Error | undefined)?.stack]),
    },
    text: () => JSON.stringify(lines),
  }
}

function setup(opts: { vault?: Vault; store?: MemorySettingsStore } = {}) {
  const vault = opts.vault ?? new MemoryVault()
  const store = opts.store ?? new MemorySettingsStore()
  const { log, text } = memoryLog()
  const changes: Settings[] = []
  const service = createSettingsService({ store, vault, log, onChange: (s) => changes.push(s) })
  return { vault, store, service, changes, logText: text }
}

async function failure(p: Promise<unknown>): Promise<AppError> {
  try {
    await p
  } catch (e) {
    expect(e).toBeInstanceOf(AppError)
    return e as AppError
  }
  throw new Error('expected a failure')
}

async function vaultContents(vault: Vault): Promise<Record<string, string>> {
  const keys: SecretKey[] = [
    'password',
    'datacenter.appid',
    'datacenter.token',
    'datacenter.appkey',
    'datacenter.dataCenterAppid',
    'rabbitpre.companyId',
    'rabbitpre.instanceAppid',
    'miaosuan.userId',
  ]
  const out: Record<string, string> = {}
  for (const k of keys) {
    const v = await vault.get(k)
    if (v !== null) out[k] = v
  }
  return out
}

/** Fails set() for one key, to test that an import is all-or-nothing. */
function failingOn(inner: Vault, failKey: SecretKey): Vault {
  return {
    status: () => inner.status(),
    get: (k) => inner.get(k),
    delete: (k) => inner.delete(k),
    set: async (k, v) => {
      if (k === failKey) throw new AppError('vault', `写入 ${k} 失败（模拟）`, { field: k })
      return inner.set(k, v)
    },
  }
}

describe('get / update', () => {
  it('returns the store, updates it and tells the listener', async () => {
    const { service, changes } = setup()
    expect(await service.get()).toEqual(defaultSettings)
    const next = await service.update({ maskPhones: true, servers: { cdp: 'https://cdp.example' } })
    expect(next.maskPhones).toBe(true)
    expect((await service.get()).servers.cdp).toBe('https://cdp.example')
    expect(changes).toEqual([next])
  })

  it('a rejected update names the field and tells nobody', async () => {
    const { service, changes } = setup()
    const e = await failure(service.update({ idleLockMinutes: 999 }))
    expect(e.kind).toBe('invalid-settings')
    expect(e.field).toBe('idleLockMinutes')
    expect(changes).toEqual([])
  })
})

describe('secrets', () => {
  it('masks what is set, null for what is not, and reports the vault status', async () => {
    const vault = new MemoryVault({ initial: { 'datacenter.token': TOKEN } })
    const { service } = setup({ vault })
    expect(await service.secrets()).toEqual({
      datacenterAppid: null,
      datacenterToken: 'd********a',
      datacenterAppkey: null,
      dataCenterOwnAppid: null,
      rabbitpreCompanyId: null,
      miaosuanUserId: null,
      encryptionAvailable: true,
      encryptionProblem: null,
    })
    vault.setUnavailable('没有系统密钥环')
    expect(await service.secrets()).toMatchObject({
      encryptionAvailable: false,
      encryptionProblem: '没有系统密钥环',
    })
  })

  it('a secret that cannot be decrypted shows as unset, with the reason', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'svc-test-'))
    try {
      const files = { file: path.join(dir, 's.json'), keyFile: path.join(dir, 'k') }
      await new FileVault(files).set('datacenter.token', TOKEN)
      fs.writeFileSync(files.keyFile, `${Buffer.alloc(32, 7).toString('base64')}\n`)
      const { service, logText } = setup({ vault: new FileVault(files) })
      const s = await service.secrets()
      expect(s.datacenterToken).toBeNull()
      expect(s.encryptionAvailable).toBe(true)
      expect(s.encryptionProblem).toContain('datacenter.token')
      expect(logText()).not.toContain(TOKEN)
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('importProfile', () => {
  it('stores the secrets in the vault, the rest in settings, and answers masked values only', async () => {
    const { service, vault, changes, logText } = setup()
    const answer = await service.importProfile({ text: JSON.stringify(profile, null, 2) })

    expect(await vaultContents(vault)).toEqual({
      'datacenter.appid': '907',
      'datacenter.token': TOKEN,
      'datacenter.appkey': APPKEY,
      'datacenter.dataCenterAppid': '163',
      'rabbitpre.companyId': COMPANY,
      'rabbitpre.instanceAppid': INSTANCE,
      'miaosuan.userId': String(USER_ID),
    })
    expect(answer).toEqual({
      datacenterAppid: '********',
      datacenterToken: 'd********a',
      datacenterAppkey: 'd********7',
      dataCenterOwnAppid: '********',
      rabbitpreCompanyId: 'r********1',
      miaosuanUserId: '********',
      encryptionAvailable: true,
      encryptionProblem: null,
    })
    const serialized = JSON.stringify(answer)
    for (const secret of await collectSecretValues(vault)) {
      expect(serialized).not.toContain(secret)
    }

    const settings = await service.get()
    expect(settings).toEqual<Settings>({
      ...defaultSettings,
      trainingMode: false,
      machineNo: 'desk-07',
      cdpHostHeader: 'cdp.internal',
      // the profile maps no weixin project to a CDP id: the import writes that it has none
      cdpProjects: {},
      servers: {
        weixin: 'https://call.example.com/api',
        datacenter: 'https://dc.example.com/gateway',
        cdp: 'http://cdp.example.com:8080',
        rabbitpre: 'https://rbp.example.com',
        miaosuan: 'https://ms.example.com',
      },
    })
    expect(changes).toEqual([settings])
    for (const secret of secretValues) expect(logText()).not.toContain(secret)
  })

  it('replaces the whole connection: systems the new profile omits lose their secrets', async () => {
    const { service, vault } = setup()
    await service.importProfile({ text: JSON.stringify(profile) })
    await vault.set('password', 'agent-password-1')
    const { rabbitpre: _r, miaosuan: _m, cdp: _c, ...smaller } = profile
    const answer = await service.importProfile({ text: JSON.stringify(smaller) })
    expect(answer.rabbitpreCompanyId).toBeNull()
    expect(answer.miaosuanUserId).toBeNull()
    expect(await vault.get('rabbitpre.instanceAppid')).toBeNull()
    expect(await vault.get('password')).toBe('agent-password-1')
    const settings = await service.get()
    expect(settings.servers.rabbitpre).toBe('')
    expect(settings.cdpHostHeader).toBe('')
  })

  it('invalid JSON: a clear error with line and column, nothing written, no text echoed', async () => {
    const { service, vault, store, changes } = setup()
    const text = `{\n  "weixin": { "baseUrl": "https://call.example.com" },\n  "datacenter": { "token": "${TOKEN}" ,, }\n}`
    const e = await failure(service.importProfile({ text }))
    expect(e.kind).toBe('invalid-settings')
    expect(e.message).toContain('不是有效的 JSON')
    expect(e.message).toContain('第 3 行')
    expect(e.message).not.toContain(TOKEN)
    expect(await vaultContents(vault)).toEqual({})
    expect(store.get()).toEqual(defaultSettings)
    expect(changes).toEqual([])

    await expect(service.importProfile({ text: '   ' })).rejects.toMatchObject({
      kind: 'invalid-settings',
      message: '连接配置文件是空的',
    })
  })

  it.each([
    ['{"a": 1,}', { line: 1, column: 9 }],
    ['{\n  "a": tru\n}', { line: 2, column: 8 }],
    ['{"a": "b', { line: 1, column: 7 }],
    ['{"a": 01}', { line: 1, column: 8 }],
    ['[1, 2] x', { line: 1, column: 8 }],
    ['{"a": 1 // note\n}', { line: 1, column: 9 }],
    // JSON.parse's message gives no position for these
    ['{"a": \'x\'}', { line: 1, column: 7 }],
    ['{\n  "a": [1,]\n}', { line: 2, column: 11 }],
  ])('locates the JSON error in %j', (text, at) => {
    expect(() => JSON.parse(text)).toThrow()
    expect(locateJsonError(text)).toEqual(at)
  })

  it('agrees with JSON.parse on valid JSON', () => {
    for (const text of ['{}', '[]', '0', '"\\u00e9\\n"', JSON.stringify(profile, null, 2)]) {
      expect(locateJsonError(text)).toBeNull()
    }
  })

  it.each<[string, (p: typeof profile) => unknown, string]>([
    ['datacenter.appid', (p) => ({ ...p, datacenter: { ...p.datacenter, appid: '12' } }), '三位'],
    ['datacenter.appkey', (p) => ({ ...p, datacenter: { ...p.datacenter, appkey: '' } }), ''],
    ['weixin.baseUrl', (p) => ({ ...p, weixin: { baseUrl: 'ftp://x' } }), 'http'],
    ['miaosuan.userId', (p) => ({ ...p, miaosuan: { ...p.miaosuan, userId: 'abc' } }), ''],
    ['weixin', ({ weixin: _w, ...p }) => p, ''],
  ])('a bad %s is named and nothing is written', async (field, mutate, hint) => {
    const { service, vault, store, changes } = setup()
    const e = await failure(service.importProfile({ text: JSON.stringify(mutate(profile)) }))
    expect(e.kind).toBe('invalid-settings')
    expect(e.field).toBe(field)
    expect(e.message).toContain(`「${field}」`)
    expect(e.message).toContain(hint)
    for (const secret of secretValues) expect(e.message).not.toContain(secret)
    expect(await vaultContents(vault)).toEqual({})
    expect(store.get()).toEqual(defaultSettings)
    expect(changes).toEqual([])
  })

  it('a value the profile allows but settings do not is named by its profile path', async () => {
    const { service, vault } = setup()
    const long = `https://dc.example.com/${'a'.repeat(600)}`
    const bad = { ...profile, datacenter: { ...profile.datacenter!, endpoint: long } }
    const e = await failure(service.importProfile({ text: JSON.stringify(bad) }))
    expect(e.field).toBe('datacenter.endpoint')
    expect(e.message).toContain('「datacenter.endpoint」')
    expect(await vaultContents(vault)).toEqual({})
  })

  it('is refused with the reason when the vault is unavailable, writing nothing', async () => {
    const vault = new MemoryVault({ unavailable: '系统没有可用的密钥环（gnome-keyring）' })
    const writes: string[] = []
    const recording: Vault = {
      status: () => vault.status(),
      get: (k) => vault.get(k),
      set: (k, v) => (writes.push(`set ${k}`), vault.set(k, v)),
      delete: (k) => (writes.push(`delete ${k}`), vault.delete(k)),
    }
    const { service, store, changes } = setup({ vault: recording })
    const e = await failure(service.importProfile({ text: JSON.stringify(profile) }))
    expect(e.kind).toBe('vault')
    expect(e.message).toContain('gnome-keyring')
    expect(e.message).toContain('未做任何更改')
    // refused up front: not even a write that was then rolled back
    expect(writes).toEqual([])
    vault.setUnavailable(null)
    expect(await vaultContents(vault)).toEqual({})
    expect(store.get()).toEqual(defaultSettings)
    expect(changes).toEqual([])
  })

  it('is all-or-nothing: a failing vault write restores the previous secrets and settings', async () => {
    const previous = {
      'datacenter.token': 'old-token-value-1',
      'datacenter.appkey': 'old-appkey-value-2',
      'rabbitpre.companyId': 'old-company-3',
      password: 'agent-password',
    }
    const inner = new MemoryVault({ initial: previous })
    const before = await vaultContents(inner)
    const { service, store, changes, logText } = setup({
      vault: failingOn(inner, 'rabbitpre.companyId'),
    })
    const e = await failure(service.importProfile({ text: JSON.stringify(profile) }))
    expect(e.kind).toBe('vault')
    expect(e.message).toContain('已恢复原有配置')
    expect(e.message).toContain('rabbitpre.companyId')
    expect(await vaultContents(inner)).toEqual(before)
    expect(store.get()).toEqual(defaultSettings)
    expect(changes).toEqual([])
    for (const secret of [...secretValues, ...Object.values(previous)]) {
      expect(logText()).not.toContain(secret)
    }
  })

  it('is all-or-nothing when the settings cannot be saved either', async () => {
    const inner = new MemoryVault({ initial: { 'datacenter.token': 'old-token-value-1' } })
    const store = new MemorySettingsStore()
    store.update = () => {
      throw new AppError('storage', '保存设置失败（模拟）')
    }
    const { service } = setup({ vault: inner, store })
    const e = await failure(service.importProfile({ text: JSON.stringify(profile) }))
    expect(e.kind).toBe('storage')
    expect(await vaultContents(inner)).toEqual({ 'datacenter.token': 'old-token-value-1' })
  })

  it('with a FileVault, what lands on disk is ciphertext only', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'svc-test-'))
    try {
      const files = { file: path.join(dir, 's.json'), keyFile: path.join(dir, 'k') }
      const { service } = setup({ vault: new FileVault(files) })
      await service.importProfile({ text: JSON.stringify(profile) })
      const disk = fs.readFileSync(files.file, 'utf8') + fs.readFileSync(files.keyFile, 'utf8')
      for (const secret of secretValues) expect(disk).not.toContain(secret)
      expect(await new FileVault(files).get('datacenter.appkey')).toBe(APPKEY)
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
