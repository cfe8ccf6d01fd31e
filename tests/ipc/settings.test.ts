import { describe, expect, it } from 'vitest'
import { createDispatcher } from '../../electron/ipc/dispatcher'
import type { Logger } from '../../electron/services/ports'
import { createSettingsService } from '../../electron/services/settings/settings-service'
import { MemorySettingsStore } from '../../electron/services/settings/settings-store'
import { collectSecretValues, MemoryVault } from '../../electron/services/vault/vault'
import type { ServiceImpls } from '../../shared/ipc/contract'
import { channelOf } from '../../shared/ipc/channels'
import { defaultSettings } from '../../shared/settings'
import { createInMemoryIpcPair } from '../support/in-memory-ipc'

const APP_URL = 'app://callcenter/index.html'

const profile = {
  name: '华东区域',
  weixin: { baseUrl: 'https://call.example.com/api', machineNo: 'desk-07' },
  datacenter: {
    endpoint: 'https://dc.example.com/gateway',
    appid: '907',
    token: 'ipc-token-4f1d2c3b9a8e',
    appkey: 'ipc-appkey-Hq7Zr2Lm9Xw4',
    dataCenterAppid: '163',
  },
  cdp: { baseUrl: 'http://cdp.example.com:8080', hostHeader: 'cdp.internal' },
  rabbitpre: {
    baseUrl: 'https://rbp.example.com',
    companyId: 'ipc-company-6620',
    instanceAppid: 'ipc-instance-3318',
  },
  miaosuan: { baseUrl: 'https://ms.example.com', userId: 5276301 },
}

/** Only the settings channels are exercised; any other service failing loudly is the point. */
function notUnderTest(name: string): never {
  return new Proxy(
    {},
    {
      get: (_t, method) => async () => {
        throw new Error(`${name}.${String(method)} is not under test`)
      },
    },
  ) as never
}

function setup() {
  const vault = new MemoryVault()
  const store = new MemorySettingsStore()
  const logged: unknown[] = []
  const log: Logger = {
    info: (m, d) => logged.push([m, d]),
    warn: (m, d) => logged.push([m, d]),
    error: (m, e) => logged.push([m, String(e)]),
  }
  const services: ServiceImpls = {
    session: notUnderTest('session'),
    catalog: notUnderTest('catalog'),
    calling: notUnderTest('calling'),
    customer: notUnderTest('customer'),
    softphone: notUnderTest('softphone'),
    sync: notUnderTest('sync'),
    calllog: notUnderTest('calllog'),
    updates: notUnderTest('updates'),
    diagnostics: notUnderTest('diagnostics'),
    settings: createSettingsService({ store, vault, log }),
  }
  const dispatcher = createDispatcher(services, {
    isAllowedSender: (url) => url === APP_URL,
    logError: (m, e) => logged.push([m, String(e)]),
  })
  const pair = createInMemoryIpcPair(dispatcher, APP_URL)
  return { ...pair, vault, store, logged }
}

describe('settings over IPC', () => {
  it('no renderer-facing answer ever contains a secret value', async () => {
    const { api, invokeRaw, vault, logged } = setup()
    const answers: unknown[] = []
    const call = async <T>(p: Promise<T>): Promise<T> => {
      const r = await p
      answers.push(r)
      return r
    }

    const imported = await call(api.settings.importProfile({ text: JSON.stringify(profile) }))
    expect(imported).toMatchObject({
      ok: true,
      value: { datacenterToken: 'i********e', encryptionAvailable: true },
    })
    await call(api.settings.secrets())
    const got = await call(api.settings.get())
    expect(got).toMatchObject({
      ok: true,
      value: { trainingMode: false, servers: { datacenter: 'https://dc.example.com/gateway' } },
    })
    await call(api.settings.update({ maskPhones: true }))
    // failures carry no secret either: a bad field next to real secrets, and broken JSON
    const bad = { ...profile, datacenter: { ...profile.datacenter, appid: 'x' } }
    const refused = await call(api.settings.importProfile({ text: JSON.stringify(bad) }))
    expect(refused).toMatchObject({
      ok: false,
      error: { kind: 'invalid-settings', field: 'datacenter.appid' },
    })
    await call(
      api.settings.importProfile({ text: JSON.stringify(profile).replace('"token"', '"token" x') }),
    )
    // a call the contract rejects is not echoed back either
    await call(invokeRaw(channelOf('settings', 'importProfile'), [{ text: 1, profile }]))

    const secrets = await collectSecretValues(vault)
    expect(secrets).toHaveLength(7)
    const serialized = JSON.stringify(answers)
    for (const secret of secrets) {
      expect(serialized).not.toContain(secret)
      expect(JSON.stringify(logged)).not.toContain(secret)
    }
  })

  it('validates update arguments at the door and names the field', async () => {
    const { api, store } = setup()
    const r = await api.settings.update({ idleLockMinutes: 999 })
    expect(r).toMatchObject({
      ok: false,
      error: { kind: 'invalid-args', field: 'idleLockMinutes' },
    })
    expect(store.get()).toEqual(defaultSettings)
    const ok = await api.settings.update({ dialTemplate: 'sip:{phone}' })
    expect(ok).toMatchObject({ ok: true, value: { dialTemplate: 'sip:{phone}' } })
  })

  it('an unavailable vault reaches the renderer as a vault error with its reason', async () => {
    const { api, vault, store } = setup()
    vault.setUnavailable('系统没有可用的密钥环')
    const r = await api.settings.importProfile({ text: JSON.stringify(profile) })
    expect(r).toMatchObject({ ok: false, error: { kind: 'vault' } })
    expect(r.ok ? '' : r.error.message).toContain('系统没有可用的密钥环')
    expect(await api.settings.secrets()).toMatchObject({
      ok: true,
      value: { encryptionAvailable: false, encryptionProblem: '系统没有可用的密钥环' },
    })
    expect(store.get()).toEqual(defaultSettings)
  })

  it('answers only the app page', async () => {
    const { invokeRaw } = setup()
    const r = await invokeRaw(channelOf('settings', 'secrets'), [], 'https://evil.example')
    expect(r).toMatchObject({ ok: false, error: { kind: 'forbidden' } })
  })
})
