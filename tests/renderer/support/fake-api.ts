import { vi } from 'vitest'
import type { CallbackItem, DispensedPhone, Project, SessionInfo } from '../../../shared/domain'
import type { CallcenterApi, EventName, EventPayload } from '../../../shared/ipc/contract'
import type { AppErrorInfo, IpcResult } from '../../../shared/ipc/errors'
import type { ProfileSection } from '../../../shared/profile'
import { defaultSettings } from '../../../shared/settings'

/**
 * A scriptable stand-in for `window.callcenter`: every method is a vi.fn answering an
 * IpcResult, with sensible defaults; tests replace what they need with `answer` / `fail`.
 */

export const session: SessionInfo = {
  userId: 29,
  userName: '冯依敏',
  userNum: '00006',
  machineNo: 'weixin',
  server: 'http://127.0.0.1:1/estate',
  loggedInAt: '2025-01-01T00:00:00.000Z',
  offline: false,
  notice: null,
  agentStatus: { state: 'ready', reason: '', since: '2025-01-01T00:00:00.000Z' },
  locked: false,
}

export const callbackItems: CallbackItem[] = [
  '接受邀请',
  '继续跟进',
  '无人接听',
  '占线/稍后回电',
  '无意向',
  '已购房',
  '空号/错号',
  '关机/停机',
  '要求勿扰',
].map((name, index) => ({ index, name }))

export function phone(n: number, over: Partial<DispensedPhone> = {}): DispensedPhone {
  return {
    phoneId: 100_000 + n,
    phone: `1592044${String(7900 + n).padStart(4, '0')}`,
    ownerName: n === 0 ? '李先生' : `客户${n}`,
    projectId: 141,
    packageId: 467,
    dispensedAt: '2025-01-01T00:00:00.000Z',
    ...over,
  }
}

export const projects: Project[] = [
  { id: 9, name: '富力天海湾', startDate: '2024-01-01', endDate: '2024-06-30', status: 'expired' },
  { id: 7, name: '龙湖天奕', startDate: '2099-01-01', endDate: '2099-12-31', status: 'upcoming' },
  {
    id: 141,
    name: '万科东荟城',
    startDate: '2024-01-01',
    endDate: '2099-12-31',
    status: 'current',
  },
  { id: 123, name: '星汇云锦', startDate: '2024-02-01', endDate: '2099-06-30', status: 'current' },
]

export function section(system: ProfileSection['system'], over: Partial<ProfileSection> = {}) {
  return {
    system,
    found: true,
    configured: true,
    title: system,
    fields: [{ label: '姓名', value: '李建华' }],
    history: [],
    links: {},
    ...over,
  } satisfies ProfileSection
}

export const ok = <T>(value: T): IpcResult<T> => ({ ok: true, value })
export const err = (error: AppErrorInfo): IpcResult<never> => ({ ok: false, error })

type Listener = (payload: unknown) => void

export interface FakeApi {
  api: CallcenterApi
  /** the vi.fn behind a method, to script answers and read calls */
  fn(service: string, method: string): ReturnType<typeof vi.fn>
  answer(service: string, method: string, value: unknown): void
  fail(service: string, method: string, error: AppErrorInfo): void
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void
}

export function createFakeApi(): FakeApi {
  const listeners = new Map<string, Set<Listener>>()
  let next = 0
  const defaults: Record<string, Record<string, () => unknown>> = {
    session: {
      login: () => session,
      logout: () => null,
      current: () => null,
      remembered: () => null,
      lock: () => null,
      unlock: () => true,
      setAgentStatus: () => session,
    },
    catalog: {
      projects: () => projects,
      packages: () => [{ id: 467, name: 'VIP 客户', projectId: 141 }],
      callbackItems: () => callbackItems,
      customerTypes: () => [
        { name: '一般客', value: '01' },
        { name: '重要客', value: '03' },
      ],
      genderTypes: () => [
        { name: '女', value: 'W' },
        { name: '男', value: 'M' },
      ],
    },
    calling: {
      currentPhone: () => null,
      nextPhone: () => phone(next++),
      saveCallback: () => ({ id: `r${next}`, state: 'pending' }),
      markDnc: () => ({ id: 'dnc', state: 'pending' }),
      dial: () => ({ uri: 'tel:15920447900' }),
    },
    customer: {
      saveToCustomer: () => ({ id: 'c1', state: 'pending' }),
      profileDatacenter: () => section('datacenter'),
      profileCdp: () => section('cdp'),
      profileRabbitpre: () => section('rabbitpre'),
      profileMiaosuan: () => section('miaosuan'),
    },
    sync: {
      status: () => ({
        online: true,
        pending: 0,
        sending: 0,
        uncertain: 0,
        failed: 0,
        lastSuccessAt: null,
        flush: null,
        storageProblem: null,
      }),
      list: () => [],
      retry: () => null,
      discard: () => null,
      edit: () => null,
      flush: () => null,
    },
    settings: {
      get: () => ({ ...defaultSettings, servers: { ...defaultSettings.servers } }),
      update: () => defaultSettings,
      secrets: () => ({
        datacenterAppid: null,
        datacenterToken: null,
        datacenterAppkey: null,
        dataCenterOwnAppid: null,
        rabbitpreCompanyId: null,
        miaosuanUserId: null,
        encryptionAvailable: true,
        encryptionProblem: null,
      }),
      importProfile: () => null,
    },
  }
  const fns: Record<string, Record<string, ReturnType<typeof vi.fn>>> = {}
  const api: Record<string, unknown> = {}
  for (const [service, methods] of Object.entries(defaults)) {
    fns[service] = {}
    const group: Record<string, unknown> = {}
    for (const [method, value] of Object.entries(methods)) {
      const f = vi.fn(async () => ok(value()))
      fns[service][method] = f
      group[method] = f
    }
    api[service] = group
  }
  api.on = (event: string, listener: Listener) => {
    const set = listeners.get(event) ?? new Set()
    set.add(listener)
    listeners.set(event, set)
    return () => set.delete(listener)
  }
  const fn = (service: string, method: string) => {
    const f = fns[service]?.[method]
    if (!f) throw new Error(`no fake for ${service}.${method}`)
    return f
  }
  return {
    api: api as unknown as CallcenterApi,
    fn,
    answer: (service, method, value) =>
      fn(service, method).mockImplementation(async () => ok(value)),
    fail: (service, method, error) =>
      fn(service, method).mockImplementation(async () => err(error)),
    emit: (event, payload) => listeners.get(event)?.forEach((l) => l(payload)),
  }
}
