import { vi } from 'vitest'
import type { CallbackItem, DispensedPhone, Project, SessionInfo } from '../../../shared/domain'
import type { CallcenterApi, EventName, EventPayload } from '../../../shared/ipc/contract'
import type { AppErrorInfo, IpcResult } from '../../../shared/ipc/errors'
import type { CallLogRow, CallStats, OverdueFollowUps } from '../../../shared/calllog'
import type { ProfileSection } from '../../../shared/profile'
import { defaultSettings } from '../../../shared/settings'
import type { UpdateStatus } from '../../../shared/updates'

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

/** A call-log row as main would answer it. */
export function logRow(n: number, over: Partial<CallLogRow> = {}): CallLogRow {
  return {
    id: `row-${n}`,
    userNum: '00006',
    userName: '冯依敏',
    machineNo: 'weixin',
    projectId: 141,
    projectName: '万科东荟城',
    packageId: 467,
    packageName: 'VIP 客户',
    phone: `1592044${String(7900 + n).padStart(4, '0')}`,
    ownerName: `客户${n}`,
    callTime:
      over.dialledAt === null
        ? (over.createdAt ?? '2025-03-03T01:02:30.000Z')
        : (over.dialledAt ?? '2025-03-03T01:01:00.000Z'),
    dispensedAt: '2025-03-03T01:00:00.000Z',
    dialledAt: '2025-03-03T01:01:00.000Z',
    endedAt: '2025-03-03T01:02:23.000Z',
    durationS: 83,
    callbackItem: '继续跟进',
    intent: 'B',
    notes: '',
    nextFollowDate: null,
    nextFollowContent: null,
    savedToCustomer: false,
    dnc: false,
    syncState: 'delivered',
    createdAt: '2025-03-03T01:02:30.000Z',
    ...over,
  }
}

export const stats: CallStats = {
  total: 40,
  savedToCustomer: 6,
  conversionRate: 0.15,
  averageHandleS: 95,
  perAgent: [
    { userNum: '00006', userName: '冯依敏', calls: 30, savedToCustomer: 5, averageHandleS: 90 },
    { userNum: '00007', userName: '李娜', calls: 10, savedToCustomer: 1, averageHandleS: 110 },
  ],
  perAgentDay: [
    { userNum: '00006', day: '2025-03-03', calls: 18 },
    { userNum: '00006', day: '2025-03-04', calls: 12 },
    { userNum: '00007', day: '2025-03-04', calls: 10 },
  ],
  perAgentHour: [
    { userNum: '00006', hour: 9, calls: 20 },
    { userNum: '00006', hour: 14, calls: 10 },
    { userNum: '00007', hour: 21, calls: 10 },
  ],
  results: [
    { result: '继续跟进', count: 22 },
    { result: '接受邀请', count: 6 },
    { result: '无人接听', count: 12 },
  ],
  team: teamStats(),
}

/** Two overdue follow-ups of one agent. */
export function overdue(): OverdueFollowUps {
  const row = (n: number, days: number) => ({
    id: `row-${n}`,
    userNum: '00006',
    userName: '冯依敏',
    phone: `1592044${String(7900 + n).padStart(4, '0')}`,
    ownerName: `客户${n}`,
    projectName: '万科东荟城',
    nextFollowDate: `2025-03-0${5 - days}`,
    nextFollowContent: '带看样板间',
    callbackItem: '继续跟进',
    intent: 'B' as const,
    calledAt: '2025-03-01T02:00:00.000Z',
    daysOverdue: days,
  })
  return {
    today: '2025-03-05',
    total: 2,
    perAgent: [{ userNum: '00006', userName: '冯依敏', count: 2 }],
    rows: [row(1, 3), row(2, 1)],
  }
}

/** The supervisor's figures matching `stats` above. */
export function teamStats(): CallStats['team'] {
  const f = (made: number, connected: number, pauseS: number) => ({
    made,
    connected,
    connectRate: made ? connected / made : 0,
    followUps: Math.round(made / 4),
    dnc: 1,
    pauseS,
    talkS: made * 80,
    talkN: made,
    wrapS: made * 20,
    wrapN: made,
  })
  return {
    all: f(40, 28, 2700),
    perAgent: [
      { userNum: '00006', userName: '冯依敏', ...f(30, 22, 1800) },
      { userNum: '00007', userName: '李娜', ...f(10, 6, 900) },
    ],
    perAgentDay: [
      { userNum: '00006', day: '2025-03-03', ...f(18, 14, 600) },
      { userNum: '00006', day: '2025-03-04', ...f(12, 8, 1200) },
      { userNum: '00007', day: '2025-03-04', ...f(10, 6, 900) },
    ],
    intents: [
      { userNum: '00006', intent: 'A', count: 6 },
      { userNum: '00006', intent: 'C', count: 24 },
      { userNum: '00007', intent: 'B', count: 10 },
    ],
    pauses: [
      { userNum: '00006', day: '2025-03-03', reason: '休息', seconds: 600, count: 2 },
      { userNum: '00006', day: '2025-03-04', reason: '培训', seconds: 1200, count: 1 },
      { userNum: '00007', day: '2025-03-04', reason: '休息', seconds: 900, count: 1 },
    ],
    contactOutcomes: ['接受邀请', '继续跟进'],
    noContactOutcomes: ['无人接听'],
  }
}

export function updateStatus(over: Partial<UpdateStatus> = {}): UpdateStatus {
  return {
    channel: 'stable',
    currentVersion: '0.1.0',
    state: 'idle',
    available: null,
    progress: null,
    error: null,
    lastCheckedAt: null,
    waitingForCallToEnd: false,
    ...over,
  }
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
      exhaustedPackages: () => [],
    },
    calling: {
      currentPhone: () => null,
      nextPhone: () => phone(next++),
      held: () => ({ phones: [], exhausted: false }),
      saveCallback: () => ({ id: `r${next}`, state: 'pending' }),
      markDnc: () => ({ id: 'dnc', state: 'pending' }),
      undoDnc: () => true,
      dial: () => ({ uri: 'tel:15920447900' }),
      draft: () => null,
      putDraft: () => null,
      clearDraft: () => null,
      story: () => [],
      dueToday: () => [],
      saveFollowUp: () => ({ id: 'f1', state: 'pending' }),
      reach: () => ({ online: true }),
    },
    softphone: {
      authorize: () => ({ allowed: true }),
      preview: () => ({ allowed: true }),
      login: () => null,
      setPassword: () => null,
      hasPassword: () => false,
      recordingStart: () => ({ id: '00000000-0000-4000-8000-000000000000', file: 'r.webm' }),
      recordingChunk: () => null,
      recordingStop: () => ({ file: 'r.webm', bytes: 0, startedAt: '', endedAt: null }),
      recordingOf: () => null,
      recordingAudio: () => ({ mimeType: 'audio/webm', data: '' }),
      callingHours: () => ({ open: true, message: null, opensAt: null }),
    },
    customer: {
      saveToCustomer: () => ({ id: 'c1', state: 'pending' }),
      profileDatacenter: () => section('datacenter'),
      profileCdp: () => section('cdp'),
      profileRabbitpre: () => section('rabbitpre'),
      profileMiaosuan: () => section('miaosuan'),
      linkMiaosuan: () => section('miaosuan', { found: true }),
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
    calllog: {
      query: () => ({ rows: [logRow(1), logRow(2)], total: 2 }),
      stats: () => stats,
      agents: () => [{ userNum: '00006', userName: '冯依敏' }],
      supervisorStatus: () => ({ configured: true, unlocked: false }),
      supervisorUnlock: () => ({ configured: true, unlocked: true }),
      supervisorLock: () => ({ configured: true, unlocked: false }),
      setSupervisorPassword: () => ({ configured: true, unlocked: true }),
      export: () => ({ jobId: 'job-1' }),
      cancelExport: () => null,
      importFile: () => ({ file: null, read: 0, added: 0, duplicates: 0 }),
      importFiles: () => ({ files: [], read: 0, added: 0, duplicates: 0 }),
      importDropped: () => ({ files: [], read: 0, added: 0, duplicates: 0 }),
      overdueFollowUps: () => overdue(),
      coverage: () => ({ from: null, to: null, desktops: [] }),
      dailyReport: () => ({ file: '/tmp/日报.xlsx' }),
    },
    updates: {
      status: () => updateStatus(),
      check: () => updateStatus({ state: 'not-available' }),
      download: () => updateStatus({ state: 'downloading' }),
      install: () => updateStatus({ state: 'downloaded' }),
    },
    diagnostics: {
      export: () => ({ file: '/tmp/诊断信息.json', bytes: 2048 }),
    },
    settings: {
      get: () => ({ ...defaultSettings, servers: { ...defaultSettings.servers } }),
      update: () => defaultSettings,
      scripts: () => ({}),
      saveScripts: () => ({}),
      exportScripts: () => ({ file: '/tmp/connection-profile.json' }),
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
