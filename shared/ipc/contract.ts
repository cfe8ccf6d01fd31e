import { z } from 'zod'
import {
  callbackItemSchema,
  callPackageSchema,
  dispensedPhoneSchema,
  enumOptionSchema,
  loginInputSchema,
  mobileSchema,
  packageRefSchema,
  projectSchema,
  rememberedLoginSchema,
  saveCallbackInputSchema,
  saveToCustomerInputSchema,
  sessionInfoSchema,
  writeReceiptSchema,
} from '../domain'
import { profileSectionSchema } from '../profile'
import { secretSummarySchema, settingsPatchSchema, settingsSchema } from '../settings'
import type { IpcResult } from './errors'

/**
 * The IPC contract: the single source of truth for what the renderer may ask of main.
 *
 * Each service maps each method to { args, ret }: `args` is the zod tuple main validates every
 * call with at run time, `ret` the shape it answers. Channel names, main's handler types, the
 * preload's global and the renderer's client are all derived from this object.
 *
 * To add a method: add it here, implement it in the service (the compiler then insists), and
 * the channel, the preload method and the renderer call exist. Nothing else is retyped.
 */

const id = z.number().int().positive().max(2_147_483_647)
const none = z.tuple([])

export const ipcContract = {
  session: {
    login: { args: z.tuple([loginInputSchema]), ret: sessionInfoSchema },
    logout: { args: none, ret: z.null() },
    current: { args: none, ret: sessionInfoSchema.nullable() },
    remembered: { args: none, ret: rememberedLoginSchema.nullable() },
    /** the idle lock: the agent's password unlocks without a new login */
    unlock: {
      args: z.tuple([z.object({ password: z.string().min(1).max(64) })]),
      ret: z.boolean(),
    },
  },
  catalog: {
    projects: { args: none, ret: z.array(projectSchema) },
    packages: { args: z.tuple([z.object({ projectId: id })]), ret: z.array(callPackageSchema) },
    callbackItems: { args: none, ret: z.array(callbackItemSchema) },
    customerTypes: { args: none, ret: z.array(enumOptionSchema) },
    genderTypes: { args: none, ret: z.array(enumOptionSchema) },
  },
  calling: {
    /** the number already dispensed for this package and not yet saved, if any */
    currentPhone: { args: z.tuple([packageRefSchema]), ret: dispensedPhoneSchema.nullable() },
    nextPhone: { args: z.tuple([packageRefSchema]), ret: dispensedPhoneSchema },
    saveCallback: { args: z.tuple([saveCallbackInputSchema]), ret: writeReceiptSchema },
    /** click-to-dial through the settings' URI template (tel:, sip:, callto:) */
    dial: {
      args: z.tuple([z.object({ phone: mobileSchema })]),
      ret: z.object({ uri: z.string() }),
    },
  },
  customer: {
    saveToCustomer: { args: z.tuple([saveToCustomerInputSchema]), ret: writeReceiptSchema },
    profileDatacenter: {
      args: z.tuple([z.object({ phone: mobileSchema, projectId: id })]),
      ret: profileSectionSchema,
    },
    profileCdp: {
      args: z.tuple([z.object({ phone: mobileSchema, projectId: id })]),
      ret: profileSectionSchema,
    },
    profileRabbitpre: {
      args: z.tuple([z.object({ phone: mobileSchema })]),
      ret: profileSectionSchema,
    },
    profileMiaosuan: { args: z.tuple([z.object({ customerId: id })]), ret: profileSectionSchema },
  },
  settings: {
    get: { args: none, ret: settingsSchema },
    update: { args: z.tuple([settingsPatchSchema]), ret: settingsSchema },
    secrets: { args: none, ret: secretSummarySchema },
    /** an administrator's connection profile, as the JSON text of the file they picked */
    importProfile: {
      args: z.tuple([z.object({ text: z.string().max(64 * 1024, '配置文件过大') })]),
      ret: secretSummarySchema,
    },
  },
} as const

/** Events main pushes to the renderer; payloads are validated before they are sent. */
export const ipcEvents = {
  sessionExpired: z.object({ reason: z.string() }),
  syncProgress: z.object({
    pending: z.number().int().min(0),
    failed: z.number().int().min(0),
    flushing: z.boolean(),
    lastSuccessAt: z.string().nullable(),
  }),
  updateAvailable: z.object({ version: z.string(), channel: z.enum(['stable', 'beta']) }),
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
export type SettingsService = ServiceImpl<'settings'>

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

export { CHANNEL_PREFIX, channelOf, contractMethods, eventChannelOf } from './channels'
