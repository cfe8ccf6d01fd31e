import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it, vi } from 'vitest'
import {
  archivePathFor,
  createRedactor,
  REDACTED,
  readVaultSecrets,
  rotateLogFiles,
  tailLogLines,
  withSecretRegistry,
} from '../../../electron/services/diagnostics/log-redact'
import { MemoryVault } from '../../../electron/services/vault/vault'

const TOKEN = 'dc-token-8c41f09e77aa'
const APPKEY = 'dc-appkey-Q2x9LmN0pXv3WzR7'
const PASSWORD = 'Agent#Pass 2026'

describe('redactor: secret-named keys', () => {
  it('replaces values of password / pwd / token / appkey / authCode / companyId / secret keys, at any depth', () => {
    const r = createRedactor()
    const out = r.value({
      user: 'zhang',
      password: PASSWORD,
      nested: {
        pwd: 'p1',
        dataCenterToken: TOKEN,
        appKey: APPKEY,
        authCode: '8821',
        rabbitpreCompanyId: 'rbp-5521',
        client_secret: 's3',
        list: [{ access_token: 'abc' }],
      },
      emptyToken: '',
      missingPassword: null,
      count: 3,
    }) as Record<string, unknown>
    const text = JSON.stringify(out)
    for (const v of [PASSWORD, 'p1', TOKEN, APPKEY, '8821', 'rbp-5521', 's3', '"abc"']) {
      expect(text).not.toContain(v)
    }
    expect(out).toMatchObject({ user: 'zhang', count: 3, emptyToken: '', missingPassword: null })
    expect((out.nested as Record<string, unknown>).pwd).toBe(REDACTED)
  })

  it('keeps innocent keys that merely look similar', () => {
    const innocent = { passengers: 2, design: 'x', signal: 'ok', compass: 'n', keyboard: 'k' }
    expect(createRedactor().value(innocent)).toEqual(innocent)
    expect(createRedactor().text('passengers=2 design: x')).toBe('passengers=2 design: x')
  })
})

describe('redactor: patterns in free text', () => {
  const r = createRedactor()

  it.each([
    [`GET /api?appid=907&token=${TOKEN}&ts=1`, TOKEN],
    [`{"password":"${PASSWORD}","user":"z"}`, PASSWORD],
    [`appKey: ${APPKEY}`, APPKEY],
    [`authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig`, 'eyJhbGciOiJIUzI1NiJ9'],
    [`sent header Bearer abcdef123456 to the gateway`, 'abcdef123456'],
    [`connect https://agent:${'s3cr3t-pw'}@call.example.com/api failed`, 's3cr3t-pw'],
    [`sign=9F86D081884C7D65 in query`, '9F86D081884C7D65'],
    [`companyId=rbp-5521`, 'rbp-5521'],
    [`url: https://dc.example.com/gw?accesstoken=${TOKEN}`, TOKEN],
    [`X-Auth-Token: ${TOKEN}`, TOKEN],
  ])('%s', (line, secret) => {
    const out = r.text(line)
    expect(out).not.toContain(secret)
    expect(out).toContain(REDACTED)
  })

  it('masks mobile numbers like the screens do, and leaves other numbers alone', () => {
    expect(r.text('dialled 13812345678 at 1732240000000')).toBe(
      'dialled 138****5678 at 1732240000000',
    )
  })

  it('is idempotent', () => {
    const once = r.text(`token=${TOKEN}`)
    expect(r.text(once)).toBe(once)
  })
})

describe('redactor: values registered at run time', () => {
  it('removes a registered secret anywhere, also JSON-escaped and URL-encoded', () => {
    const r = createRedactor()
    r.addSecrets([PASSWORD, 'ab', null, undefined])
    expect(r.secretCount()).toBeGreaterThan(0)
    expect(r.text(`innocent=${PASSWORD} here`)).toBe(`innocent=${REDACTED} here`)
    expect(r.text(`q=${encodeURIComponent(PASSWORD)}`)).not.toContain('Agent%23Pass')
    // too short to be a meaningful secret: not removed from ordinary text
    expect(r.text('about')).toBe('about')
  })

  it('errors are described by name, message and stack, scrubbed, never their attached data', () => {
    const r = createRedactor()
    r.addSecrets([TOKEN])
    const e = Object.assign(new Error(`request failed for ${TOKEN}`), {
      config: { appkey: APPKEY },
    })
    const out = r.error(e)
    expect(out).toMatch(/^Error: request failed for \[redacted\]/)
    expect(out).not.toContain(TOKEN)
    expect(out).not.toContain(APPKEY)
    expect(r.value({ error: e })).toEqual({
      error: expect.stringContaining('Error: request failed'),
    })
  })

  it('the vault wrapper registers every value it stores or returns', async () => {
    const vault = new MemoryVault({ initial: { 'datacenter.token': TOKEN } })
    const seen: string[] = []
    const wrapped = withSecretRegistry(vault, (v) => seen.push(v))
    expect(await wrapped.get('datacenter.token')).toBe(TOKEN)
    await wrapped.set('datacenter.appkey', APPKEY)
    expect(seen).toEqual([TOKEN, APPKEY])
    expect((await readVaultSecrets(vault)).sort()).toEqual([APPKEY, TOKEN].sort())
  })

  it('a secret the vault cannot decrypt is skipped, not fatal', async () => {
    const vault = new MemoryVault({ initial: { 'datacenter.token': TOKEN } })
    const broken = {
      ...vault,
      status: () => vault.status(),
      delete: (k: never) => vault.delete(k),
      set: (k: never, v: string) => vault.set(k, v),
      get: async (k: string) => {
        if (k === 'password') throw new Error('undecryptable')
        return vault.get(k as never)
      },
    }
    expect(await readVaultSecrets(broken)).toEqual([TOKEN])
  })
})

describe('log files', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-logs-'))
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

  it('rotation keeps N archives, newest as .1', () => {
    const file = path.join(dir, 'rot', 'main.log')
    fs.mkdirSync(path.dirname(file), { recursive: true })
    for (let i = 1; i <= 5; i++) {
      fs.writeFileSync(file, `generation ${i}\n`)
      rotateLogFiles(file, 3)
    }
    expect(fs.existsSync(file)).toBe(false)
    expect(fs.readFileSync(archivePathFor(file, 1), 'utf8')).toBe('generation 5\n')
    expect(fs.readFileSync(archivePathFor(file, 3), 'utf8')).toBe('generation 3\n')
    expect(fs.existsSync(archivePathFor(file, 4))).toBe(false)
  })

  it('the tail reaches into the newest archive when the file is short', () => {
    const file = path.join(dir, 'tail', 'main.log')
    fs.mkdirSync(path.dirname(file), { recursive: true })
    fs.writeFileSync(archivePathFor(file, 1), 'a1\na2\na3\n')
    fs.writeFileSync(file, 'b1\r\nb2\n')
    expect(tailLogLines(file, 4)).toEqual(['a2', 'a3', 'b1', 'b2'])
    expect(tailLogLines(file, 1)).toEqual(['b2'])
    expect(tailLogLines(path.join(dir, 'none.log'), 5)).toEqual([])
  })
})

// electron/main/logging.ts over electron-log's Node build (same file transport, no Electron)
vi.mock('electron-log/main', async () => ({ default: (await import('electron-log/node')).default }))
const ipcMain = vi.hoisted(() => ({ removeAllListeners: vi.fn(), removeHandler: vi.fn() }))
vi.mock('electron', () => ({ ipcMain }))

describe('main logging (electron-log file transport)', () => {
  it('writes redacted lines, rotates at the size limit and reads its own tail', async () => {
    const { setupLogging } = await import('../../../electron/main/logging')
    const electronLog = (await import('electron-log/node')).default
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-elog-'))
    const file = path.join(dir, 'main.log')
    try {
      const logging = setupLogging({
        maxSizeBytes: 2_000,
        keepArchives: 2,
        consoleLevel: false,
        catchErrors: false,
      })
      electronLog.transports.file.resolvePathFn = () => file
      logging.addSecrets([PASSWORD])
      logging.logger.info('login ok', { user: 'zhang', password: PASSWORD, phone: '13812345678' })
      logging.logger.warn(`retry with token=${TOKEN}`)
      logging.logger.error('save failed', new Error(`bad credentials ${PASSWORD}`))
      const first = fs.readFileSync(file, 'utf8')
      expect(first).toContain('login ok')
      expect(first).toContain('138****5678')
      for (const secret of [PASSWORD, TOKEN]) expect(first).not.toContain(secret)

      for (let i = 0; i < 60; i++) logging.logger.info(`line ${i} ${'x'.repeat(60)}`)
      expect(fs.existsSync(archivePathFor(file, 1))).toBe(true)
      expect(fs.existsSync(archivePathFor(file, 3))).toBe(false)
      expect(fs.statSync(file).size).toBeLessThan(2_500)
      const tail = logging.recentLines(5)
      expect(tail).toHaveLength(5)
      expect(tail.at(-1)).toContain('line 59')
      expect(logging.file()).toBe(file)
      // electron-log's own IPC channel (outside the contract and its sender check) is closed
      expect(ipcMain.removeAllListeners).toHaveBeenCalledWith('__ELECTRON_LOG__')
      expect(ipcMain.removeHandler).toHaveBeenCalledWith('__ELECTRON_LOG__')
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
