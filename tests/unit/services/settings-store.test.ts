import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { AppError } from '../../../electron/core/app-error'
import type { Logger } from '../../../electron/services/ports'
import {
  applySettingsPatch,
  JsonFileSettingsStore,
  MemorySettingsStore,
  migrateSettings,
  SETTINGS_VERSION,
  settingsJsonSchema,
  settingsMigrations,
} from '../../../electron/services/settings/settings-store'
import { defaultSettings, settingsSchema, type Settings } from '../../../shared/settings'

function memoryLog(): { log: Logger; lines: [string, string, unknown][] } {
  const lines: [string, string, unknown][] = []
  return {
    lines,
    log: {
      info: (m, d) => lines.push(['info', m, d]),
      warn: (m, d) => lines.push(['warn', m, d]),
      error: (m, e) => lines.push(['error', m, e]),
    },
  }
}

function thrown(f: () => unknown): AppError {
  try {
    f()
  } catch (e) {
    expect(e).toBeInstanceOf(AppError)
    return e as AppError
  }
  throw new Error('expected a failure')
}

const v0 = {
  serverUrl: 'https://call.example.com/api',
  lockMinutes: '30',
  sandbox: false,
  dialPrefix: 'sip',
  machineNo: 'desk-07',
  language: 'en',
  betaUpdates: true,
}

const v1 = {
  settingsVersion: 1,
  trainingMode: false,
  servers: { weixin: 'https://call.example.com/api', datacenter: 'https://dc.example.com' },
  machineNo: 'desk-07',
  dialTemplate: 'sip:9{phone}@pbx.local',
  language: 'zh',
  idleLockMinutes: 20,
  betaUpdates: false,
}

const v2 = {
  ...v1,
  settingsVersion: 2,
  servers: { ...v1.servers, cdp: 'http://10.0.0.5:8080', rabbitpre: '', miaosuan: '' },
  cdpHostHeader: 'cdp.internal',
  betaUpdates: true,
}

describe('settingsMigrations', () => {
  it('is a contiguous history ending at SETTINGS_VERSION', () => {
    expect(SETTINGS_VERSION).toBe(4)
    settingsMigrations.forEach((step, i) => {
      expect(step.from).toBe(i)
      expect(step.to).toBe(i + 1)
    })
  })

  it('v0 → v1 moves the flat fields and keeps what it does not know', () => {
    const out = settingsMigrations[0]!.migrate({ ...v0, somethingElse: 1 })
    expect(out).toEqual({
      servers: { weixin: 'https://call.example.com/api', datacenter: '' },
      idleLockMinutes: 30,
      trainingMode: false,
      dialTemplate: 'sip:{phone}',
      machineNo: 'desk-07',
      language: 'en',
      betaUpdates: true,
      somethingElse: 1,
    })
  })

  it('v1 → v2 adds the enrichment servers and cdpHostHeader', () => {
    const { settingsVersion: _v, ...data } = v1
    const out = settingsMigrations[1]!.migrate(data)
    expect(out.servers).toEqual({ ...v1.servers, cdp: '', rabbitpre: '', miaosuan: '' })
    expect(out.cdpHostHeader).toBe('')
    expect(out.dialTemplate).toBe(v1.dialTemplate)
  })

  it('v2 → v3 turns betaUpdates into updateChannel and adopts BCP 47 language tags', () => {
    const { settingsVersion: _v, ...data } = v2
    const out = settingsMigrations[2]!.migrate(data)
    expect(out).not.toHaveProperty('betaUpdates')
    expect(out.updateChannel).toBe('beta')
    expect(out.maskPhones).toBe(false)
    expect(out.language).toBe('zh-CN')
  })
})

describe('migrateSettings', () => {
  it('migrates v0 all the way', () => {
    const r = migrateSettings(v0)
    expect(r.fromVersion).toBe(0)
    expect(r.version).toBe(SETTINGS_VERSION)
    expect(r.repaired).toEqual([])
    expect(r.settings).toEqual<Settings>({
      trainingMode: false,
      servers: {
        weixin: 'https://call.example.com/api',
        datacenter: '',
        cdp: '',
        rabbitpre: '',
        miaosuan: '',
      },
      machineNo: 'desk-07',
      cdpHostHeader: '',
      dialTemplate: 'sip:{phone}',
      language: 'en-US',
      maskPhones: false,
      updateChannel: 'beta',
      idleLockMinutes: 30,
    })
  })

  it('migrates v1', () => {
    const r = migrateSettings(v1)
    expect(r.fromVersion).toBe(1)
    expect(r.settings).toMatchObject({
      servers: { ...v1.servers, cdp: '', rabbitpre: '', miaosuan: '' },
      dialTemplate: 'sip:9{phone}@pbx.local',
      language: 'zh-CN',
      updateChannel: 'stable',
      idleLockMinutes: 20,
      trainingMode: false,
    })
  })

  it('migrates v2', () => {
    const r = migrateSettings(v2)
    expect(r.fromVersion).toBe(2)
    expect(r.settings).toMatchObject({
      servers: v2.servers,
      cdpHostHeader: 'cdp.internal',
      updateChannel: 'beta',
      maskPhones: false,
    })
  })

  it('runs only the steps above the stated version', () => {
    // a v1 file with a leftover v0 key: step 0→1 must not run again and clobber servers.weixin
    const r1 = migrateSettings({ ...v1, serverUrl: 'https://stale.example.com' })
    expect(r1.settings.servers.weixin).toBe(v1.servers.weixin)
    // 'en' is no valid v3 language: repaired to the default, not migrated as if it were v2
    const r3 = migrateSettings({ ...defaultSettings, settingsVersion: 3, language: 'en' })
    expect(r3.settings.language).toBe('zh-CN')
    expect(r3.repaired).toEqual(['language'])
  })

  it('leaves current settings as they are, and runs no step on a newer file', () => {
    const current = { settingsVersion: SETTINGS_VERSION, ...defaultSettings, maskPhones: true }
    expect(migrateSettings(current).settings).toEqual({ ...defaultSettings, maskPhones: true })
    // v9 might use 'zh' again for something else: no step of ours may touch it
    const newer = migrateSettings({ settingsVersion: 9, language: 'zh', idleLockMinutes: 45 })
    expect(newer.fromVersion).toBe(9)
    expect(newer.settings.idleLockMinutes).toBe(45)
    expect(newer.settings.language).toBe('zh-CN')
    expect(newer.repaired).toEqual(['language'])
  })

  it('repairs invalid values field by field and keeps every valid one', () => {
    const r = migrateSettings({
      settingsVersion: 3,
      trainingMode: 'yes',
      servers: { weixin: 'ftp://nope', datacenter: 'https://dc.example.com', cdp: 42 },
      machineNo: '  desk-09  ',
      cdpHostHeader: 'cdp.internal',
      dialTemplate: 'tel:',
      language: 'fr-FR',
      maskPhones: true,
      updateChannel: 'nightly',
      idleLockMinutes: 999,
      extra: 'dropped',
    })
    expect(r.repaired.sort()).toEqual(
      [
        'trainingMode',
        'servers.weixin',
        'servers.cdp',
        'dialTemplate',
        'language',
        'updateChannel',
        'idleLockMinutes',
      ].sort(),
    )
    expect(r.settings).toEqual<Settings>({
      ...defaultSettings,
      servers: { ...defaultSettings.servers, datacenter: 'https://dc.example.com' },
      machineNo: 'desk-09',
      cdpHostHeader: 'cdp.internal',
      maskPhones: true,
    })
    expect(settingsSchema.safeParse(r.settings).success).toBe(true)
  })

  it('never throws, whatever it is given', () => {
    const weird: unknown[] = [
      undefined,
      null,
      42,
      'settings',
      [],
      [1, 2],
      { settingsVersion: -1 },
      { settingsVersion: 'two', servers: [] },
      { servers: null, serverUrl: { nested: true }, lockMinutes: [] },
      { settingsVersion: 1.5, dialPrefix: 7 },
      Object.create(null),
    ]
    for (const raw of weird) {
      const r = migrateSettings(raw)
      expect(settingsSchema.safeParse(r.settings).success).toBe(true)
    }
    expect(migrateSettings('x').fromVersion).toBeNull()
    expect(migrateSettings(null).settings).toEqual(defaultSettings)
  })
})

describe('applySettingsPatch', () => {
  it('merges servers per system and returns a new object', () => {
    const current: Settings = {
      ...defaultSettings,
      servers: { ...defaultSettings.servers, weixin: 'https://call.example.com' },
    }
    const snapshot = structuredClone(current)
    const next = applySettingsPatch(current, {
      servers: { cdp: 'https://cdp.example.com' },
      maskPhones: true,
    })
    expect(next.servers).toEqual({
      ...defaultSettings.servers,
      weixin: 'https://call.example.com',
      cdp: 'https://cdp.example.com',
    })
    expect(next.maskPhones).toBe(true)
    expect(current).toEqual(snapshot)
  })

  it.each([
    [{ dialTemplate: 'tel:' }, 'dialTemplate', '{phone}'],
    [{ idleLockMinutes: 999 }, 'idleLockMinutes', '240'],
    [{ servers: { cdp: 'ftp://cdp.example.com' } }, 'servers.cdp', 'http'],
    [{ machineNo: '   ' }, 'machineNo', '机器码'],
    [{ language: 'fr' }, 'language', '界面语言'],
    [{ colour: 'red' }, 'colour', '未知'],
  ])('rejects %j naming the field', (patch, field, text) => {
    const e = thrown(() => applySettingsPatch(defaultSettings, patch))
    expect(e.kind).toBe('invalid-settings')
    expect(e.field).toBe(field)
    expect(e.message).toContain(field)
    expect(e.message).toContain(text)
  })

  it('uses the Chinese label of the field', () => {
    expect(
      thrown(() => applySettingsPatch(defaultSettings, { dialTemplate: 'x' })).message,
    ).toMatch(/^设置项「拨号模板（dialTemplate）」无效/)
    expect(
      thrown(() => applySettingsPatch(defaultSettings, { idleLockMinutes: 999 })).message,
    ).toContain('空闲锁定时间')
  })
})

describe('settingsJsonSchema', () => {
  it('describes every settings field, generated from zod', () => {
    expect(settingsJsonSchema).not.toHaveProperty('$schema')
    expect(settingsJsonSchema.type).toBe('object')
    expect(Object.keys(settingsJsonSchema.properties).sort()).toEqual(
      Object.keys(settingsSchema.shape).sort(),
    )
    // optional fields (absent = their defaults) are the only ones a file may leave out
    const required = Object.entries(settingsSchema.shape)
      .filter(([, field]) => !field.safeParse(undefined).success)
      .map(([key]) => key)
    expect(required).toContain('servers')
    expect(settingsJsonSchema.required.sort()).toEqual(required.sort())
    expect(settingsJsonSchema.properties.idleLockMinutes).toMatchObject({
      type: 'integer',
      minimum: 0,
      maximum: 240,
    })
    expect(settingsJsonSchema.properties.language).toMatchObject({ enum: ['zh-CN', 'en-US'] })
    expect(settingsJsonSchema.properties.servers).toMatchObject({
      type: 'object',
      required: ['weixin', 'datacenter', 'cdp', 'rabbitpre', 'miaosuan'],
    })
  })
})

describe('MemorySettingsStore', () => {
  it('migrates its initial value, hands out copies, validates updates', () => {
    const store = new MemorySettingsStore(v1)
    expect(store.get().servers.datacenter).toBe('https://dc.example.com')
    const copy = store.get()
    copy.servers.weixin = 'mutated'
    expect(store.get().servers.weixin).toBe('https://call.example.com/api')
    expect(() => store.update({ idleLockMinutes: -1 })).toThrow(AppError)
    expect(store.get().idleLockMinutes).toBe(20)
    expect(store.update({ idleLockMinutes: 0 }).idleLockMinutes).toBe(0)
  })
})

describe('JsonFileSettingsStore', () => {
  let dir = ''
  let file = ''
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'settings-test-'))
    file = path.join(dir, 'settings.json')
  })
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true })
  })
  const readFile = () => JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>

  it('starts from defaults without writing, persists updates atomically', () => {
    const { log } = memoryLog()
    const store = new JsonFileSettingsStore({ file, log })
    expect(store.get()).toEqual(defaultSettings)
    expect(fs.existsSync(file)).toBe(false)
    store.update({ dialTemplate: 'sip:{phone}', servers: { weixin: 'https://a.example.com' } })
    expect(readFile()).toMatchObject({
      settingsVersion: SETTINGS_VERSION,
      dialTemplate: 'sip:{phone}',
    })
    expect(fs.readdirSync(dir)).toEqual(['settings.json'])
    const again = new JsonFileSettingsStore({ file, log })
    expect(again.get().servers.weixin).toBe('https://a.example.com')
    expect(again.get().dialTemplate).toBe('sip:{phone}')
  })

  it('migrates an old file on load and writes it back current', () => {
    fs.writeFileSync(file, JSON.stringify(v0))
    const { log, lines } = memoryLog()
    const store = new JsonFileSettingsStore({ file, log })
    expect(store.get().servers.weixin).toBe('https://call.example.com/api')
    expect(readFile()).toEqual({ settingsVersion: SETTINGS_VERSION, ...store.get() })
    expect(lines).toContainEqual(['info', 'settings: migrated', { from: 0, to: SETTINGS_VERSION }])
  })

  it('moves a damaged file aside, uses defaults and warns', () => {
    fs.writeFileSync(file, '{"settingsVersion": 3, "trainingMode": fal')
    const { log, lines } = memoryLog()
    const now = () => new Date('2025-03-01T08:00:00.000Z')
    const store = new JsonFileSettingsStore({ file, log, now })
    expect(store.get()).toEqual(defaultSettings)
    const aside = `${file}.corrupt-2025-03-01T08-00-00-000Z`
    expect(fs.readFileSync(aside, 'utf8')).toContain('trainingMode')
    expect(fs.existsSync(file)).toBe(false)
    expect(lines.some(([level, m]) => level === 'warn' && m.includes('moved aside'))).toBe(true)
  })

  it('a JSON file that is not an object is damaged too', () => {
    fs.writeFileSync(file, '[1,2,3]')
    const { log } = memoryLog()
    new JsonFileSettingsStore({ file, log, now: () => new Date(0) })
    expect(fs.readdirSync(dir)).toEqual(['settings.json.corrupt-1970-01-01T00-00-00-000Z'])
  })

  it('repairs invalid values, keeps valid ones, warns with field names only', () => {
    fs.writeFileSync(
      file,
      JSON.stringify({
        ...defaultSettings,
        settingsVersion: 3,
        idleLockMinutes: 999,
        maskPhones: true,
      }),
    )
    const { log, lines } = memoryLog()
    const store = new JsonFileSettingsStore({ file, log })
    expect(store.get().idleLockMinutes).toBe(15)
    expect(store.get().maskPhones).toBe(true)
    expect(readFile().idleLockMinutes).toBe(15)
    expect(lines).toContainEqual([
      'warn',
      'settings: invalid values replaced by defaults',
      { fields: ['idleLockMinutes'] },
    ])
  })

  it('does not rewrite a file from a newer version merely by opening it', () => {
    const newer = JSON.stringify({ ...defaultSettings, settingsVersion: 7, futureThing: 1 })
    fs.writeFileSync(file, newer)
    const { log } = memoryLog()
    const store = new JsonFileSettingsStore({ file, log })
    expect(store.get()).toEqual(defaultSettings)
    expect(fs.readFileSync(file, 'utf8')).toBe(newer)
  })

  it('an update that cannot be written is a storage error and changes nothing', () => {
    fs.writeFileSync(path.join(dir, 'blocker'), 'a file where a directory should be')
    const { log } = memoryLog()
    const store = new JsonFileSettingsStore({ file: path.join(dir, 'blocker', 's.json'), log })
    const e = thrown(() => store.update({ maskPhones: true }))
    expect(e.kind).toBe('storage')
    expect(store.get().maskPhones).toBe(false)
  })

  it('a rejected patch writes nothing', () => {
    const { log } = memoryLog()
    const store = new JsonFileSettingsStore({ file, log })
    const e = thrown(() => store.update({ dialTemplate: 'callto:' }))
    expect(e.field).toBe('dialTemplate')
    expect(fs.existsSync(file)).toBe(false)
  })
})
