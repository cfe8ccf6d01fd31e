import { z } from 'zod'
import { syncStatusSchema } from '../domain'
import { exportProgressSchema } from '../calllog'
import { updateStatusSchema } from '../updates'
import type { IpcResult } from './errors'
import { sessionMethods } from './contract/session'
import { catalogMethods } from './contract/catalog'
import { callingMethods } from './contract/calling'
import { softphoneMethods } from './contract/softphone'
import { customerMethods } from './contract/customer'
import { syncMethods } from './contract/sync'
import { calllogMethods } from './contract/calllog'
import { updatesMethods } from './contract/updates'
import { diagnosticsMethods } from './contract/diagnostics'
import { settingsMethods } from './contract/settings'
/**
 * The IPC contract: the single source of truth for what the renderer may ask of main.
 *
 * Each service maps each method to { args, ret }: `args` is the zod tuple main validates every
 * call with at run time, `ret` the shape it answers. Channel names, main's handler types, the
 * preload's global and the renderer's client are all derived from this object.
 *
 * Each family lives in ./contract/<service>.ts. To add a method: add it there, implement it in the service (the compiler then insists), and
 * the channel, the preload method and the renderer call exist. Nothing else is retyped.
 */

export const ipcContract = {
  session: sessionMethods,
  catalog: catalogMethods,
  calling: callingMethods,
  softphone: softphoneMethods,
  customer: customerMethods,
  sync: syncMethods,
  calllog: calllogMethods,
  updates: updatesMethods,
  diagnostics: diagnosticsMethods,
  settings: settingsMethods,
} as const

/** Events main pushes to the renderer; payloads are validated before they are sent. */
export const ipcEvents = {
  sessionExpired: z.object({ reason: z.string() }),
  syncProgress: syncStatusSchema,
  updateStatus: updateStatusSchema,
  exportProgress: exportProgressSchema,
} as const

export type IpcContract = typeof ipcContract
export type ServiceName = keyof IpcContract
export type MethodName<S extends ServiceName> = keyof IpcContract[S] & string
type Method<S extends ServiceName, M extends MethodName<S>> = IpcContract[S][M] extends {
  args: infer A extends z.ZodType
  ret: infer R extends z.ZodType
}
  ? { args: A; ret: R }
  : never

/** what a caller passes (schema input) */
export type MethodArgs<S extends ServiceName, M extends MethodName<S>> = z.input<
  Method<S, M>['args']
> &
  unknown[]
/** what main's implementation receives after validation (schema output: defaults applied) */
export type MethodParsedArgs<S extends ServiceName, M extends MethodName<S>> = z.output<
  Method<S, M>['args']
> &
  unknown[]
export type MethodRet<S extends ServiceName, M extends MethodName<S>> = z.output<
  Method<S, M>['ret']
>

/** The interface main implements for one service. */
export type ServiceImpl<S extends ServiceName> = {
  [M in MethodName<S>]: (...args: MethodParsedArgs<S, M>) => Promise<MethodRet<S, M>>
}
export type ServiceImpls = { [S in ServiceName]: ServiceImpl<S> }

export type SessionService = ServiceImpl<'session'>
export type CatalogService = ServiceImpl<'catalog'>
export type CallingService = ServiceImpl<'calling'>
export type CustomerService = ServiceImpl<'customer'>
export type SoftphoneService = ServiceImpl<'softphone'>
export type SettingsService = ServiceImpl<'settings'>
export type SyncService = ServiceImpl<'sync'>
export type CallLogService = ServiceImpl<'calllog'>
export type UpdatesService = ServiceImpl<'updates'>
export type DiagnosticsService = ServiceImpl<'diagnostics'>

export type EventName = keyof typeof ipcEvents
export type EventPayload<E extends EventName> = z.output<(typeof ipcEvents)[E]>

/** The preload's global: one method per contract method, answering an IpcResult, and events. */
export type CallcenterApi = {
  [S in ServiceName]: {
    [M in MethodName<S>]: (...args: MethodArgs<S, M>) => Promise<IpcResult<MethodRet<S, M>>>
  }
} & {
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void
}
