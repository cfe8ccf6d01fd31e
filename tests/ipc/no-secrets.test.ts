import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDispatcher } from '../../electron/ipc/dispatcher'
import { createEventEmitter } from '../../electron/ipc/register'
import { startSandbox, type RunningSandbox } from '../../electron/sandbox'
import { createAppServices, type AppServices } from '../../electron/services'
import { FolderFileDialogs } from '../../electron/services/files/folder-dialogs'
import { JsonFileSettingsStore } from '../../electron/services/settings/settings-store'
import { FileVault } from '../../electron/services/vault/vault'
import { createInMemoryIpcPair } from '../support/in-memory-ipc'
import { recordingLogger } from '../support/app-harness'

/**
 * Issue: no secret value (password, appkey, token, enrichment keys) may appear in anything the
 * renderer can receive, in the logs, or in the settings file. This drives the whole agent flow
 * over the real IPC door with file-backed vault and settings, then searches everything.
 */

const PASSWORD = 'Qh7#kLm2-冯9'
const RP_COMPANY = 'rp-company-77Zx31q'
const MS_USER = 987_654_321

let sb: RunningSandbox
let services: AppServices
let pair: ReturnType<typeof createInMemoryIpcPair>
const dir = mkdtempSync(join(tmpdir(), 'cc-secrets-'))
const logLines: string[] = []
const settingsFile = join(dir, 'settings.json')
const vaultFile = join(dir, 'secrets.json')

beforeAll(async () => {
  sb = await startSandbox({ seed: 11, today: '2026-11-22' })
  const log = recordingLogger(logLines)
  const vault = new FileVault({ file: vaultFile, keyFile: join(dir, 'vault.key'), log })
  const settings = new JsonFileSettingsStore({ file: settingsFile, log })
  const sink: { pair?: typeof pair } = {}
  services = await createAppServices({
    vault,
    settings,
    log,
    dataDir: dir,
    files: new FolderFileDialogs({
      exportDir: join(dir, 'exports'),
      importDir: join(dir, 'imports'),
    }),
    dialer: { open: async () => {} },
    emit: createEventEmitter((channel, payload) => sink.pair?.emit(channel, payload)),
    startSandbox: async () => ({ ...sb, close: async () => {} }),
  })
  const dispatcher = createDispatcher(services.impls, {
    isAllowedSender: () => true,
    logError: (m, e) => log.error(m, e),
  })
  pair = createInMemoryIpcPair(dispatcher)
  sink.pair = pair
})

afterAll(async () => {
  await services.dispose()
  await sb.close()
  rmSync(dir, { recursive: true, force: true })
})

function secretsOf(): string[] {
  const dc = sb.profile.datacenter!
  return [PASSWORD, dc.token, dc.appkey, RP_COMPANY, String(MS_USER)]
}

function everythingVisible(): { where: string; text: string }[] {
  const out = pair.transcript.map((text, i) => ({ where: `ipc answer #${i}`, text }))
  out.push(...logLines.map((text, i) => ({ where: `log line #${i}`, text })))
  out.push({ where: 'settings file', text: readFileSync(settingsFile, 'utf8') })
  for (const f of readdirSync(dir)) {
    if (f.endsWith('.json') && f !== 'secrets.json') {
      out.push({ where: `data file ${f}`, text: readFileSync(join(dir, f), 'utf8') })
    }
  }
  return out
}

describe('no secret leaves main', () => {
  it('the whole flow with the sandbox’s real credentials', async () => {
    const api = pair.api
    const imported = await api.settings.importProfile({ text: JSON.stringify(sb.profile) })
    expect(imported.ok).toBe(true)
    expect(
      await api.session.login({ userNum: '00011', password: 'wrong', remember: false }),
    ).toMatchObject({ ok: false })
    const login = await api.session.login({ userNum: '00011', password: PASSWORD, remember: true })
    expect(login, JSON.stringify(login)).toMatchObject({ ok: true, value: { userName: '郭子轩' } })
    await api.session.remembered()
    await api.session.unlock({ password: PASSWORD })
    await api.session.unlock({ password: 'nope' })
    const projects = await api.catalog.projects()
    if (!projects.ok) throw new Error('projects failed')
    const project = projects.value.find((p) => p.status === 'current')!
    const pkgs = await api.catalog.packages({ projectId: project.id })
    if (!pkgs.ok || !pkgs.value[0]) throw new Error('packages failed')
    const ref = { projectId: project.id, packageId: pkgs.value[0].id }
    await api.catalog.callbackItems()
    await api.catalog.genderTypes()
    await api.catalog.customerTypes()
    const phone = await api.calling.nextPhone(ref)
    if (!phone.ok) throw new Error('nextPhone failed')
    const p = phone.value
    for (const call of [
      () => api.customer.profileDatacenter({ phone: p.phone, projectId: project.id }),
      () => api.customer.profileCdp({ phone: p.phone, projectId: project.id }),
      () => api.customer.profileRabbitpre({ phone: p.phone }),
      () => api.customer.profileMiaosuan({ phone: p.phone }),
      () => api.customer.linkMiaosuan({ phone: p.phone, customerId: 1 }),
    ]) {
      await call()
    }
    // a response whose signature does not verify: the error must not carry key material
    sb.servers.datacenter.addFault({ mode: 'tamper', count: 1 })
    expect(
      (await api.customer.profileDatacenter({ phone: p.phone, projectId: project.id })).ok,
    ).toBe(false)
    await api.calling.saveCallback({
      ...ref,
      phoneId: p.phoneId,
      phone: p.phone,
      ownerName: p.ownerName,
      callbackItem: '继续跟进',
    })
    await api.customer.saveToCustomer({
      projectId: project.id,
      customerName: '郭先生',
      phone: p.phone,
      gender: 'M',
      customerType: '01',
      recommend: project.name,
      followContent: '有意向',
    })
    await api.settings.get()
    await api.settings.secrets()
    await api.settings.update({ maskPhones: true })
    await api.session.logout()
    const visible = everythingVisible()
    expect(visible.length).toBeGreaterThan(25)
    for (const secret of secretsOf()) {
      for (const v of visible)
        expect(v.text.includes(secret), `${v.where} contains a secret`).toBe(false)
    }
  })

  it('enrichment keys imported from a profile stay in the vault, even when calls fail', async () => {
    const api = pair.api
    const profile = {
      ...sb.profile,
      rabbitpre: { baseUrl: sb.profile.rabbitpre!.baseUrl, companyId: RP_COMPANY },
      miaosuan: { baseUrl: sb.profile.miaosuan!.baseUrl, userId: MS_USER },
    }
    expect((await api.settings.importProfile({ text: JSON.stringify(profile) })).ok).toBe(true)
    // a profile that fails validation must not echo its secret values back
    const bad = { ...profile, datacenter: { ...profile.datacenter, appid: 'not-digits' } }
    expect(await api.settings.importProfile({ text: JSON.stringify(bad) })).toMatchObject({
      ok: false,
    })
    const broken = JSON.stringify(profile).slice(0, -20)
    expect(await api.settings.importProfile({ text: broken })).toMatchObject({ ok: false })
    expect(
      (await api.session.login({ userNum: '00011', password: PASSWORD, remember: true })).ok,
    ).toBe(true)
    const rp = await api.customer.profileRabbitpre({ phone: '15920447900' })
    const ms = await api.customer.linkMiaosuan({ phone: '15920447900', customerId: 1 })
    // the sandbox knows neither account: both fail, and say so without the key
    expect(rp.ok).toBe(false)
    expect(ms.ok).toBe(false)
    const secrets = await api.settings.secrets()
    expect(secrets).toMatchObject({ ok: true })
    const visible = everythingVisible()
    for (const secret of secretsOf()) {
      for (const v of visible)
        expect(v.text.includes(secret), `${v.where} contains a secret`).toBe(false)
    }
    // and they are really stored (encrypted): the vault file exists and holds none in plain
    expect(existsSync(vaultFile)).toBe(true)
    const raw = readFileSync(vaultFile, 'utf8')
    for (const secret of secretsOf()) expect(raw.includes(secret)).toBe(false)
  })
})
