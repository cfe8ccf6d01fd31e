import type { EventName, MethodName, ServiceName } from './contract'

/**
 * The contract's method and event names without its schemas, for the preload: a sandboxed
 * preload should not carry zod. The compiler checks this list against the contract both ways.
 */
export const contractMethodNames = {
  session: ['login', 'logout', 'current', 'remembered', 'lock', 'unlock', 'setAgentStatus'],
  catalog: [
    'projects',
    'packages',
    'callbackItems',
    'customerTypes',
    'genderTypes',
    'exhaustedPackages',
  ],
  calling: [
    'currentPhone',
    'nextPhone',
    'held',
    'saveCallback',
    'markDnc',
    'undoDnc',
    'dial',
    'draft',
    'putDraft',
    'clearDraft',
    'story',
    'dueToday',
    'saveFollowUp',
    'reach',
  ],
  softphone: [
    'authorize',
    'preview',
    'login',
    'setPassword',
    'hasPassword',
    'recordingStart',
    'recordingChunk',
    'recordingStop',
    'recordingOf',
    'recordingAudio',
    'callingHours',
  ],
  customer: [
    'saveToCustomer',
    'profileDatacenter',
    'profileCdp',
    'profileRabbitpre',
    'profileMiaosuan',
    'linkMiaosuan',
  ],
  sync: ['status', 'list', 'retry', 'discard', 'edit', 'flush'],
  calllog: [
    'query',
    'stats',
    'agents',
    'supervisorStatus',
    'supervisorUnlock',
    'supervisorLock',
    'setSupervisorPassword',
    'export',
    'cancelExport',
    'importFile',
    'importFiles',
    'importDropped',
    'overdueFollowUps',
    'coverage',
    'dailyReport',
  ],
  updates: ['status', 'check', 'download', 'install'],
  diagnostics: ['export'],
  settings: [
    'get',
    'update',
    'secrets',
    'importProfile',
    'scripts',
    'saveScripts',
    'exportScripts',
  ],
} as const satisfies { [S in ServiceName]: readonly MethodName<S>[] }

export const contractEventNames = [
  'sessionExpired',
  'syncProgress',
  'updateStatus',
  'exportProgress',
] as const satisfies readonly EventName[]

type MissingMethod = {
  [S in ServiceName]: Exclude<MethodName<S>, (typeof contractMethodNames)[S][number]>
}[ServiceName]
type MissingEvent = Exclude<EventName, (typeof contractEventNames)[number]>
// A method or event added to the contract but not listed here fails to compile.
export const listsAreComplete: [MissingMethod | MissingEvent] extends [never] ? true : never = true

export const CHANNEL_PREFIX = 'cc'

export function channelOf(service: string, method: string): string {
  return `${CHANNEL_PREFIX}:${service}:${method}`
}

export function eventChannelOf(event: string): string {
  return `${CHANNEL_PREFIX}:event:${event}`
}

/** Every (service, method) pair with its channel, for registration and for the preload. */
export function contractMethods(): { service: ServiceName; method: string; channel: string }[] {
  return (Object.keys(contractMethodNames) as ServiceName[]).flatMap((service) =>
    contractMethodNames[service].map((method: string) => ({
      service,
      method,
      channel: channelOf(service, method),
    })),
  )
}
