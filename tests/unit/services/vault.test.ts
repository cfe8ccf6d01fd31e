import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { AppError } from '../../../electron/core/app-error'
import {
  EncryptedFileVault,
  osEncryptionStatus,
  safeStorageCipher,
  type SafeStorageLike,
  type StorageBackend,
} from '../../../electron/services/vault/encrypted-file'
import type { Logger } from '../../../electron/services/ports'
import { collectSecretValues, FileVault, MemoryVault } from '../../../electron/services/vault/vault'

const TOKEN = 'tok-7f3a9c1e5b2d4860-secret'
const APPKEY = 'appkey-Zq81LmN0pXv3-very-secret'

function memoryLog(): { log: Logger; text(): string } {
  const lines: unknown[] = []
  return {
    log: {
      info: (message, data) => lines.push(['info', message, data]),
      warn: (message, data) => lines.push(['warn', message, data]),
      error: (message, error) =>
        lines.push(['error', message, String(error), (error as Error | undefined)?.stack]),
    },
    text: () => JSON.stringify(lines),
  }
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

let dir = ''
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vault-test-'))
})
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true })
})

describe('MemoryVault', () => {
  it('round-trips, deletes, and refuses to store while encryption is unavailable', async () => {
    const vault = new MemoryVault()
    expect(await vault.get('datacenter.token')).toBeNull()
    await vault.set('datacenter.token', TOKEN)
    expect(await vault.get('datacenter.token')).toBe(TOKEN)
    await vault.delete('datacenter.token')
    expect(await vault.get('datacenter.token')).toBeNull()

    vault.setUnavailable('没有系统密钥环')
    expect(await vault.status()).toEqual({ available: false, problem: '没有系统密钥环' })
    const e = await failure(vault.set('datacenter.token', TOKEN))
    expect(e.kind).toBe('vault')
    expect(e.message).toContain('没有系统密钥环')
    expect(await vault.get('datacenter.token')).toBeNull()

    vault.setUnavailable(null)
    expect((await vault.status()).available).toBe(true)
    await vault.set('datacenter.token', TOKEN)
    expect(await vault.get('datacenter.token')).toBe(TOKEN)
  })

  it('accepts a function so a test can switch availability', async () => {
    let problem: string | null = null
    const vault = new MemoryVault({ unavailable: () => problem })
    await vault.set('password', 'pw-1')
    problem = '加密不可用'
    await expect(vault.set('password', 'pw-2')).rejects.toMatchObject({ kind: 'vault' })
    expect(await vault.get('password')).toBe('pw-1')
  })
})

describe('FileVault', () => {
  function files(): { file: string; keyFile: string } {
    return {
      file: path.join(dir, 'vault', 'secrets.json'),
      keyFile: path.join(dir, 'vault', 'key'),
    }
  }

  it('round-trips across instances and deletes', async () => {
    const a = new FileVault(files())
    await a.set('datacenter.token', TOKEN)
    await a.set('datacenter.appkey', APPKEY)
    const b = new FileVault(files())
    expect(await b.get('datacenter.token')).toBe(TOKEN)
    expect(await b.get('datacenter.appkey')).toBe(APPKEY)
    expect(await b.get('password')).toBeNull()
    await b.delete('datacenter.token')
    expect(await new FileVault(files()).get('datacenter.token')).toBeNull()
    expect(await new FileVault(files()).get('datacenter.appkey')).toBe(APPKEY)
  })

  it('keeps no plaintext on disk: not the value, not its base64; fresh IV per write', async () => {
    const { file, keyFile } = files()
    const vault = new FileVault({ file, keyFile })
    await vault.set('datacenter.token', TOKEN)
    const first = fs.readFileSync(file, 'utf8')
    await vault.set('datacenter.token', TOKEN)
    const second = fs.readFileSync(file, 'utf8')
    for (const text of [first, second]) {
      expect(text).not.toContain(TOKEN)
      expect(text).not.toContain(Buffer.from(TOKEN).toString('base64').slice(0, 12))
      expect(text).not.toContain('secret')
    }
    expect(first).not.toBe(second)
    const entries = JSON.parse(second) as Record<string, string>
    expect(Object.keys(entries)).toEqual(['datacenter.token'])
    // iv(12) | tag(16) | ciphertext(same length as the plaintext)
    expect(Buffer.from(entries['datacenter.token'] ?? '', 'base64').length).toBe(
      12 + 16 + TOKEN.length,
    )
    expect(fs.readFileSync(keyFile, 'utf8')).not.toContain(TOKEN)
  })

  it.skipIf(process.platform === 'win32')(
    'creates the key file and the data file 0600',
    async () => {
      const { file, keyFile } = files()
      await new FileVault({ file, keyFile }).set('password', 'pw')
      expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600)
      expect(fs.statSync(file).mode & 0o777).toBe(0o600)
      expect(Buffer.from(fs.readFileSync(keyFile, 'utf8').trim(), 'base64').length).toBe(32)
    },
  )

  it.skipIf(process.platform === 'win32')('tightens a key file others can read', async () => {
    const { file, keyFile } = files()
    const { log, text } = memoryLog()
    fs.mkdirSync(path.dirname(keyFile), { recursive: true })
    fs.writeFileSync(keyFile, `${randomBytes(32).toString('base64')}\n`)
    fs.chmodSync(keyFile, 0o644)
    await new FileVault({ file, keyFile, log }).set('password', 'pw')
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600)
    expect(text()).toContain('set to 0600')
  })

  it('a wrong key file is a clear failure, not garbage', async () => {
    const { file, keyFile } = files()
    await new FileVault({ file, keyFile }).set('datacenter.token', TOKEN)
    fs.writeFileSync(keyFile, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 })
    const e = await failure(new FileVault({ file, keyFile }).get('datacenter.token'))
    expect(e.kind).toBe('vault')
    expect(e.field).toBe('datacenter.token')
    expect(e.message).toContain('不匹配')
    expect(e.message).not.toContain(TOKEN)
  })

  it('a missing or malformed key file is named as such', async () => {
    const { file, keyFile } = files()
    await new FileVault({ file, keyFile }).set('datacenter.token', TOKEN)
    fs.rmSync(keyFile)
    const missing = await failure(new FileVault({ file, keyFile }).get('datacenter.token'))
    expect(missing.message).toContain('不存在')
    expect(fs.existsSync(keyFile)).toBe(false)

    fs.writeFileSync(keyFile, 'c2hvcnQ=\n')
    const short = await failure(new FileVault({ file, keyFile }).get('datacenter.token'))
    expect(short.message).toContain('已损坏')
  })

  it('a ciphertext copied to another entry does not decrypt (the entry name is authenticated)', async () => {
    const { file, keyFile } = files()
    const vault = new FileVault({ file, keyFile })
    await vault.set('datacenter.token', TOKEN)
    await vault.set('datacenter.appkey', APPKEY)
    const entries = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>
    entries['datacenter.appkey'] = entries['datacenter.token'] ?? ''
    fs.writeFileSync(file, JSON.stringify(entries))
    await expect(new FileVault({ file, keyFile }).get('datacenter.appkey')).rejects.toMatchObject({
      kind: 'vault',
    })
  })

  it('refuses to store while encryption is unavailable, writing no file at all', async () => {
    const { file, keyFile } = files()
    const vault = new FileVault({ file, keyFile, unavailable: '模拟：加密不可用' })
    expect(await vault.status()).toEqual({ available: false, problem: '模拟：加密不可用' })
    const e = await failure(vault.set('datacenter.token', TOKEN))
    expect(e.kind).toBe('vault')
    expect(e.message).toContain('模拟：加密不可用')
    expect(fs.existsSync(file)).toBe(false)
    expect(fs.existsSync(keyFile)).toBe(false)
  })

  it('moves a damaged secrets file aside instead of failing forever', async () => {
    const { file, keyFile } = files()
    const { log, text } = memoryLog()
    const now = () => new Date('2025-03-01T08:00:00.000Z')
    await new FileVault({ file, keyFile }).set('datacenter.token', TOKEN)
    fs.writeFileSync(file, '{"datacenter.token": ')
    const vault = new FileVault({ file, keyFile, log, now })
    expect(await vault.get('datacenter.token')).toBeNull()
    expect(fs.existsSync(`${file}.corrupt-2025-03-01T08-00-00-000Z`)).toBe(true)
    expect(text()).toContain('damaged secrets file moved aside')
    await vault.set('datacenter.token', 'new-token-value')
    expect(await vault.get('datacenter.token')).toBe('new-token-value')
  })

  it('concurrent writes lose nothing and leave no temp files', async () => {
    const { file, keyFile } = files()
    const vault = new FileVault({ file, keyFile })
    await Promise.all([
      vault.set('datacenter.appid', '801'),
      vault.set('datacenter.token', TOKEN),
      vault.set('datacenter.appkey', APPKEY),
      vault.set('rabbitpre.companyId', 'company-77'),
      vault.set('miaosuan.userId', '4242'),
    ])
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toHaveProperty('miaosuan.userId')
    expect(Object.keys(JSON.parse(fs.readFileSync(file, 'utf8')) as object)).toHaveLength(5)
    expect(fs.readdirSync(path.dirname(file)).filter((f) => f.endsWith('.tmp'))).toEqual([])
    expect((await collectSecretValues(vault)).sort()).toEqual(
      ['801', TOKEN, APPKEY, 'company-77', '4242'].sort(),
    )
  })

  it('never logs a secret', async () => {
    const { file, keyFile } = files()
    const { log, text } = memoryLog()
    const vault = new FileVault({ file, keyFile, log })
    await vault.set('datacenter.token', TOKEN)
    await vault.get('datacenter.token')
    fs.writeFileSync(keyFile, `${randomBytes(32).toString('base64')}\n`)
    await new FileVault({ file, keyFile, log }).get('datacenter.token').catch(() => undefined)
    expect(text()).not.toContain(TOKEN)
  })
})

/** A stand-in for Electron's safeStorage: XOR with a versioned key, rotatable. */
function fakeSafeStorage(opts: { available?: boolean; backend?: StorageBackend } = {}) {
  const calls = { encrypt: 0, decrypt: 0 }
  let keyVersion = 1
  const xor = (data: Buffer, v: number) => Buffer.from(data.map((b) => b ^ (0x5a + v)))
  const ss: SafeStorageLike & { rotate(): void; calls: typeof calls } = {
    calls,
    rotate: () => void keyVersion++,
    isAsyncEncryptionAvailable: async () => opts.available ?? true,
    getSelectedStorageBackend: () => opts.backend ?? 'gnome_libsecret',
    async encryptStringAsync(plain) {
      calls.encrypt++
      return Buffer.concat([Buffer.from([keyVersion]), xor(Buffer.from(plain, 'utf8'), keyVersion)])
    },
    async decryptStringAsync(data) {
      calls.decrypt++
      const v = data[0] ?? 0
      if (v < 1 || v > keyVersion) throw new Error('Error while decrypting the ciphertext')
      return {
        result: xor(data.subarray(1), v).toString('utf8'),
        shouldReEncrypt: v < keyVersion,
      }
    },
  }
  return ss
}

describe('EncryptedFileVault over safeStorage (the SafeStorageVault logic, in Node)', () => {
  const file = () => path.join(dir, 'secrets.json')

  it('stores base64 ciphertext and re-encrypts when safeStorage says shouldReEncrypt', async () => {
    const ss = fakeSafeStorage()
    const { log, text } = memoryLog()
    const vault = new EncryptedFileVault({
      file: file(),
      cipher: safeStorageCipher(ss, 'linux'),
      log,
    })
    await vault.set('datacenter.token', TOKEN)
    const before = JSON.parse(fs.readFileSync(file(), 'utf8')) as Record<string, string>
    expect(fs.readFileSync(file(), 'utf8')).not.toContain(TOKEN)
    expect(Buffer.from(before['datacenter.token'] ?? '', 'base64')[0]).toBe(1)

    ss.rotate()
    expect(await vault.get('datacenter.token')).toBe(TOKEN)
    const after = JSON.parse(fs.readFileSync(file(), 'utf8')) as Record<string, string>
    expect(Buffer.from(after['datacenter.token'] ?? '', 'base64')[0]).toBe(2)
    expect(ss.calls.encrypt).toBe(2)

    // already current: no further write
    expect(await vault.get('datacenter.token')).toBe(TOKEN)
    expect(ss.calls.encrypt).toBe(2)
    expect(text()).toContain('re-encrypted')
    expect(text()).not.toContain(TOKEN)
  })

  it.each<[StorageBackend, string]>([
    ['basic_text', 'gnome-keyring'],
    ['unknown', 'gnome-keyring'],
  ])('on Linux with backend %s it refuses before encrypting or writing', async (backend, hint) => {
    const ss = fakeSafeStorage({ backend })
    const vault = new EncryptedFileVault({ file: file(), cipher: safeStorageCipher(ss, 'linux') })
    const status = await vault.status()
    expect(status.available).toBe(false)
    expect(status.problem).toContain(hint)
    const e = await failure(vault.set('datacenter.token', TOKEN))
    expect(e.kind).toBe('vault')
    expect(e.message).toContain(hint)
    expect(ss.calls.encrypt).toBe(0)
    expect(fs.existsSync(file())).toBe(false)
  })

  it('refuses when async encryption is unavailable', async () => {
    const ss = fakeSafeStorage({ available: false, backend: 'kwallet5' })
    const vault = new EncryptedFileVault({ file: file(), cipher: safeStorageCipher(ss, 'linux') })
    await expect(vault.set('password', 'pw')).rejects.toMatchObject({ kind: 'vault' })
    expect(fs.existsSync(file())).toBe(false)
  })

  it('a ciphertext safeStorage cannot decrypt is a clear vault error', async () => {
    const ss = fakeSafeStorage()
    fs.writeFileSync(
      file(),
      JSON.stringify({ 'datacenter.token': Buffer.from([9, 1, 2]).toString('base64') }),
    )
    const vault = new EncryptedFileVault({ file: file(), cipher: safeStorageCipher(ss, 'darwin') })
    const e = await failure(vault.get('datacenter.token'))
    expect(e.kind).toBe('vault')
    expect(e.message).toContain('无法解密')
    expect(e.field).toBe('datacenter.token')
  })

  it('osEncryptionStatus explains each platform', () => {
    expect(osEncryptionStatus('linux', true, 'gnome_libsecret')).toEqual({
      available: true,
      problem: null,
    })
    expect(osEncryptionStatus('linux', true, 'kwallet6').available).toBe(true)
    expect(osEncryptionStatus('linux', true, 'basic_text').problem).toMatch(/密钥环.*kwallet/)
    expect(osEncryptionStatus('linux', false, 'kwallet').problem).toContain('已锁定')
    expect(osEncryptionStatus('darwin', false, null).problem).toContain('Keychain')
    expect(osEncryptionStatus('win32', false, null).problem).toContain('DPAPI')
    expect(osEncryptionStatus('win32', true, null)).toEqual({ available: true, problem: null })
  })
})
