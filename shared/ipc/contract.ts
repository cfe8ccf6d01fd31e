import { z } from 'zod'
import {
  callbackItemSchema,
  callDraftSchema,
  dateSchema,
  draftRefSchema,
  agentStatusInputSchema,
  callPackageSchema,
  dispensedPhoneSchema,
  dncInputSchema,
  outboxItemSchema,
  outboxStates,
  syncStatusSchema,
  enumOptionSchema,
  loginInputSchema,
  mobileSchema,
  dispensedNumberSchema,
  packageRefSchema,
  projectSchema,
  rememberedLoginSchema,
  saveCallbackInputSchema,
  saveToCustomerInputSchema,
  sessionInfoSchema,
  writeReceiptSchema,
} from '../domain'
import {
  callLogFilterSchema,
  callLogRowSchema,
  callLogPageSchema,
  callStatsSchema,
  droppedFileSchema,
  exportProgressSchema,
  exportRequestSchema,
  importResultSchema,
  importSummarySchema,
  overdueFollowUpsSchema,
  supervisorStatusSchema,
  teamCoverageSchema,
} from '../calllog'
import { profileSectionSchema } from '../profile'
import { diagnosticsResultSchema, updateStatusSchema } from '../updates'
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
    /** the idle lock: main holds the lock, so a reload of the page does not open it */
    lock: { args: none, ret: z.null() },
    /** the agent's password unlocks without a new login */
    unlock: {
      args: z.tuple([z.object({ password: z.string().min(1).max(64) })]),
      ret: z.boolean(),
    },
    setAgentStatus: { args: z.tuple([agentStatusInputSchema]), ret: sessionInfoSchema },
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
    /** every number held for the package, the one on screen first: the next shows at once */
    held: {
      args: z.tuple([packageRefSchema]),
      ret: z.object({
        phones: z.array(dispensedPhoneSchema),
        /** getphone said the package is called through: nothing more will come */
        exhausted: z.boolean(),
      }),
    },
    saveCallback: { args: z.tuple([saveCallbackInputSchema]), ret: writeReceiptSchema },
    /** 勿扰: never call this number again; a DNC number dispensed later is skipped */
    markDnc: { args: z.tuple([dncInputSchema]), ret: writeReceiptSchema },
    /** a mistaken 勿扰 taken back by the agent who marked it (false: nothing to undo) */
    undoDnc: {
      args: z.tuple([z.object({ phone: z.string().trim().min(1).max(64) })]),
      ret: z.boolean(),
    },
    /** what was typed for a held number and not saved yet (kept across screens and restarts) */
    draft: { args: z.tuple([draftRefSchema]), ret: callDraftSchema.nullable() },
    putDraft: {
      args: z.tuple([draftRefSchema.extend({ draft: callDraftSchema })]),
      ret: z.null(),
    },
    clearDraft: { args: z.tuple([draftRefSchema]), ret: z.null() },
    /** this desktop's calls of a number, newest first: its story on the number card */
    story: {
      args: z.tuple([z.object({ phone: z.string().trim().min(1).max(64) })]),
      ret: z.array(callLogRowSchema),
    },
    /** 今日待回访: the agent's follow-ups set for today with no later call to the number */
    dueToday: { args: none, ret: z.array(callLogRowSchema) },
    /** whether the call server answers now (any answer counts); also before login */
    reach: { args: none, ret: z.object({ online: z.boolean() }) },
    /** click-to-dial through the settings' URI template (tel:, sip:, callto:) */
    dial: {
      args: z.tuple([z.object({ phone: mobileSchema })]),
      ret: z.object({ uri: z.string() }),
    },
  },
  /** the built-in softphone: the rules for marketing calls, its login and local recordings */
  softphone: {
    /** whether this number may be dialed now (勿扰, calling hours, attempts); an allowed dial counts */
    authorize: {
      args: z.tuple([z.object({ phone: mobileSchema })]),
      ret: z.discriminatedUnion('allowed', [
        z.object({ allowed: z.literal(true) }),
        z.object({
          allowed: z.literal(false),
          reason: z.enum(['dnc', 'hours', 'attempts']),
          message: z.string(),
          opensAt: z.string().nullable(),
        }),
      ]),
    },
    /**
     * The SIP stack's login: the one answer that carries the SIP password to the renderer (the
     * SIP digest is computed there); null when the softphone is off or not configured.
     */
    login: {
      args: none,
      ret: z
        .object({
          wsUrl: z.string(),
          uri: z.string(),
          authorizationUser: z.string(),
          password: z.string(),
        })
        .nullable(),
    },
    /** stores the agent's SIP password in the vault; '' deletes it */
    setPassword: { args: z.tuple([z.object({ password: z.string().max(128) })]), ret: z.null() },
    hasPassword: { args: none, ret: z.boolean() },
    recordingStart: {
      args: z.tuple([z.object({ phone: mobileSchema })]),
      ret: z.object({ id: z.string(), file: z.string() }),
    },
    /** one MediaRecorder slice, base64 (the web bridge speaks JSON) */
    recordingChunk: {
      args: z.tuple([z.object({ id: z.uuid(), data: z.base64().max(1_400_000) })]),
      ret: z.null(),
    },
    recordingStop: {
      args: z.tuple([z.object({ id: z.uuid() })]),
      ret: z.object({
        file: z.string(),
        bytes: z.number().int(),
        startedAt: z.string(),
        endedAt: z.string().nullable(),
      }),
    },
    /** the recording of a call-log row: the one that started while that call was on */
    recordingOf: {
      args: z.tuple([
        z.object({
          phone: z.string().max(32),
          dialledAt: z.string().max(40),
          endedAt: z.string().max(40).nullable(),
        }),
      ]),
      ret: z.object({ id: z.string(), file: z.string(), bytes: z.number().int() }).nullable(),
    },
    /** whether calling is open now under the calling hours, and when it opens again if not */
    callingHours: {
      args: none,
      ret: z.object({
        open: z.boolean(),
        message: z.string().nullable(),
        opensAt: z.string().nullable(),
      }),
    },
    /** a recording's bytes (Opus in WebM, base64) for the supervisor's player */
    recordingAudio: {
      args: z.tuple([z.object({ id: z.uuid() })]),
      ret: z.object({ mimeType: z.string(), data: z.string() }),
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
    /** the Miaosuan customer linked to this number on this machine (unlinked: none yet) */
    profileMiaosuan: {
      args: z.tuple([z.object({ phone: dispensedNumberSchema })]),
      ret: profileSectionSchema,
    },
    /** the agent links a Miaosuan customer id to the number; checked with Miaosuan, then kept */
    linkMiaosuan: {
      args: z.tuple([
        z.object({
          phone: dispensedNumberSchema,
          customerId: z
            .number({ error: '秒算客户 id 应为正整数' })
            .int({ error: '秒算客户 id 应为正整数' })
            .positive({ error: '秒算客户 id 应为正整数' })
            .max(2_147_483_647, { error: '秒算客户 id 过大' }),
        }),
      ]),
      ret: profileSectionSchema,
    },
  },
  sync: {
    status: { args: none, ret: syncStatusSchema },
    list: {
      args: z.tuple([
        z.object({
          states: z.array(z.enum(outboxStates)).max(outboxStates.length).optional(),
          limit: z.number().int().min(1).max(500).default(100),
        }),
      ]),
      ret: z.array(outboxItemSchema),
    },
    retry: { args: z.tuple([z.object({ id: z.string().min(1).max(64) })]), ret: outboxItemSchema },
    discard: {
      args: z.tuple([z.object({ id: z.string().min(1).max(64) })]),
      ret: outboxItemSchema,
    },
    /** the agent corrects a failed item's fields; it is then retried */
    edit: {
      args: z.tuple([
        z.object({
          id: z.string().min(1).max(64),
          fields: z.record(z.string().max(64), z.string().max(500)),
        }),
      ]),
      ret: outboxItemSchema,
    },
    /** sync now: skips the back-off of pending items */
    flush: { args: none, ret: syncStatusSchema },
  },
  calllog: {
    /** the agent's own rows; every agent's in supervisor mode */
    query: {
      args: z.tuple([
        z.object({
          filter: callLogFilterSchema,
          page: z.number().int().min(1).max(100_000).default(1),
          pageSize: z.number().int().min(10).max(200).default(50),
        }),
      ]),
      ret: callLogPageSchema,
    },
    stats: { args: z.tuple([callLogFilterSchema]), ret: callStatsSchema },
    /** agents who worked on this machine (just the agent unless in supervisor mode) */
    agents: {
      args: none,
      ret: z.array(z.object({ userNum: z.string(), userName: z.string() })),
    },
    supervisorStatus: { args: none, ret: supervisorStatusSchema },
    supervisorUnlock: {
      args: z.tuple([z.object({ password: z.string().min(1).max(128) })]),
      ret: supervisorStatusSchema,
    },
    supervisorLock: { args: none, ret: supervisorStatusSchema },
    /** set (or change, with the current one) the supervisor password; kept as a scrypt hash */
    setSupervisorPassword: {
      args: z.tuple([
        z.object({
          current: z.string().max(128).optional(),
          next: z.string().min(6, '主管密码至少 6 位').max(128),
        }),
      ]),
      ret: supervisorStatusSchema,
    },
    /** main asks where to save (a dialog), then writes in the background: exportProgress events */
    export: {
      args: z.tuple([exportRequestSchema]),
      ret: z.object({ jobId: z.string().nullable() }),
    },
    cancelExport: {
      args: z.tuple([z.object({ jobId: z.string().min(1).max(64) })]),
      ret: z.null(),
    },
    /** supervisor mode: main asks for a file exported on another machine and merges it */
    importFile: { args: none, ret: importResultSchema },
    /** supervisor mode: the team's files, several at once or every file of chosen folders */
    importFiles: {
      args: z.tuple([z.object({ pick: z.enum(['files', 'folder']) })]),
      ret: importSummarySchema,
    },
    /** supervisor mode: files dropped on the window (the renderer sends their bytes) */
    importDropped: {
      args: z.tuple([z.object({ files: z.array(droppedFileSchema).min(1).max(50) })]),
      ret: importSummarySchema,
    },
    /** follow-ups past their date with no later call to the number, by agent */
    overdueFollowUps: {
      args: z.tuple([z.object({ filter: callLogFilterSchema })]),
      ret: overdueFollowUpsSchema,
    },
    /** supervisor mode: which desktops, agents and days the view holds, and what is missing */
    coverage: { args: none, ret: teamCoverageSchema },
    /** 日报: the day's per-agent table and the charts' data in one XLSX (main asks where) */
    dailyReport: {
      args: z.tuple([z.object({ day: dateSchema.optional() })]),
      ret: z.object({ file: z.string().nullable() }),
    },
  },
  updates: {
    status: { args: none, ret: updateStatusSchema },
    /** look for a newer version on the settings' channel now */
    check: { args: none, ret: updateStatusSchema },
    download: { args: none, ret: updateStatusSchema },
    /** restart into the downloaded version; refused while a call is in progress */
    install: { args: none, ret: updateStatusSchema },
  },
  diagnostics: {
    /** a support bundle: versions, settings without secrets, recent log lines, sync status */
    export: { args: none, ret: diagnosticsResultSchema },
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
