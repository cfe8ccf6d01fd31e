import { z } from 'zod'
import { dateSchema, outboxStates } from './domain'
import { intents } from './fields'
import { pauseImportSchema, teamStatsSchema } from './calllog-team'
export {
  droppedFileSchema,
  importSummarySchema,
  overdueFollowUpsSchema,
  pauseImportSchema,
  teamCoverageSchema,
  teamStatsSchema,
  teamFiguresSchema,
  type ImportSummary,
  type OverdueFollowUps,
  type PauseImport,
  type TeamCoverage,
  type TeamStats,
  type TeamFigures,
} from './calllog-team'

/**
 * The call log: one row per call on this machine (and rows imported from other machines). The
 * supervisor's view, exports and statistics read it; the agent sees their own rows.
 */

export { callLogColumnLabels, callLogColumns, type CallLogColumn } from './calllog-columns'
import { callLogColumns } from './calllog-columns'

const id = z.number().int().positive().max(2_147_483_647)

export const callLogRowSchema = z.object({
  id: z.string(),
  userNum: z.string(),
  userName: z.string(),
  machineNo: z.string(),
  projectId: z.number().int(),
  projectName: z.string(),
  packageId: z.number().int(),
  packageName: z.string(),
  phone: z.string(),
  ownerName: z.string(),
  /** the call's time as the list shows it: dialled, or saved when not dialled from the app */
  callTime: z.string(),
  dispensedAt: z.string().nullable(),
  dialledAt: z.string().nullable(),
  /** the built-in phone's answer (200 OK); null: not answered, or dialled another way */
  answeredAt: z.string().nullable().optional(),
  endedAt: z.string().nullable(),
  durationS: z.number().int().min(0).nullable(),
  callbackItem: z.string(),
  /** 客户意向 A–E as saved; null for rows from before it was kept, or a file without it */
  intent: z.enum(intents).nullable(),
  /** made in training (培训, the built-in sandbox) or against the real servers (正式) */
  profile: z.enum(['training', 'production']).optional(),
  notes: z.string(),
  nextFollowDate: z.string().nullable(),
  nextFollowContent: z.string().nullable(),
  savedToCustomer: z.boolean(),
  dnc: z.boolean(),
  /** the outbox state of its savecallback; 'imported' for rows from another machine */
  syncState: z.enum([...outboxStates, 'imported', 'local']),
  /** the local recording of a call dialled by the built-in phone (path under recordings/) */
  recordingFile: z.string().nullable().optional(),
  createdAt: z.string(),
})
export type CallLogRow = z.infer<typeof callLogRowSchema>

export const callLogFilterSchema = z
  .object({
    /** yyyy-MM-dd, inclusive, local calendar days */
    from: dateSchema.optional(),
    to: dateSchema.optional(),
    userNum: z.string().trim().max(32).optional(),
    projectId: id.optional(),
    packageId: id.optional(),
    /** a callback item name */
    result: z.string().trim().max(64).optional(),
    /** part of a phone number or of the owner's name */
    search: z.string().trim().max(64).optional(),
  })
  // unknown keys are refused: a filter is only ever these fields
  .strict()
export type CallLogFilter = z.infer<typeof callLogFilterSchema>

export const callLogPageSchema = z.object({
  rows: z.array(callLogRowSchema),
  total: z.number().int().min(0),
})

export const callStatsSchema = z.object({
  total: z.number().int().min(0),
  savedToCustomer: z.number().int().min(0),
  /** saved to customer / calls, 0..1 (0 when there are no calls) */
  conversionRate: z.number().min(0).max(1),
  /** seconds, over calls with both dialled and ended times */
  averageHandleS: z.number().min(0).nullable(),
  perAgent: z.array(
    z.object({
      userNum: z.string(),
      userName: z.string(),
      calls: z.number().int(),
      savedToCustomer: z.number().int(),
      averageHandleS: z.number().nullable(),
    }),
  ),
  /** calls per agent per day (yyyy-MM-dd) */
  perAgentDay: z.array(z.object({ userNum: z.string(), day: z.string(), calls: z.number().int() })),
  /** calls per agent per hour of day (0-23) */
  perAgentHour: z.array(
    z.object({
      userNum: z.string(),
      hour: z.number().int().min(0).max(23),
      calls: z.number().int(),
    }),
  ),
  results: z.array(z.object({ result: z.string(), count: z.number().int() })),
  /** the figures a supervisor manages by (shared/calllog-team.ts) */
  team: teamStatsSchema,
})
export type CallStats = z.infer<typeof callStatsSchema>

export const exportRequestSchema = z.object({
  filter: callLogFilterSchema,
  format: z.enum(['csv', 'xlsx']),
  columns: z.array(z.enum(callLogColumns)).min(1, '请至少选择一列').max(callLogColumns.length),
  /** 138****1234; on unless the supervisor turns it off */
  maskPhones: z.boolean().default(true),
})
export type ExportRequest = z.input<typeof exportRequestSchema>

export const exportProgressSchema = z.object({
  jobId: z.string(),
  state: z.enum(['running', 'done', 'cancelled', 'failed']),
  done: z.number().int().min(0),
  total: z.number().int().min(0),
  /** the written file, when done */
  file: z.string().nullable(),
  message: z.string().nullable(),
})
export type ExportProgress = z.infer<typeof exportProgressSchema>

export const supervisorStatusSchema = z.object({
  /** a supervisor password has been set on this machine */
  configured: z.boolean(),
  unlocked: z.boolean(),
})
export type SupervisorStatus = z.infer<typeof supervisorStatusSchema>

export const importResultSchema = z.object({
  file: z.string().nullable(),
  read: z.number().int().min(0),
  added: z.number().int().min(0),
  duplicates: z.number().int().min(0),
  /** the pause periods the file carried; null or absent: none */
  pauses: pauseImportSchema.nullable().optional(),
})
export type ImportResult = z.infer<typeof importResultSchema>
