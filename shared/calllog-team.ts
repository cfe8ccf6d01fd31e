import { z } from 'zod'

/**
 * The statistics a supervisor manages by, per agent and per agent and day: calls made, contact
 * (shared/calllog-contact.ts says which outcomes count), follow-ups created, 勿扰, pause time,
 * and talk and wrap-up time of the calls dialled from the app.
 */

const n = z.number().int().min(0)

export const teamFiguresSchema = z.object({
  /** calls made: rows but the 勿扰 numbers skipped without a call */
  made: n,
  /** calls whose outcome counts as contact */
  connected: n,
  /** connected / made, 0..1 (0 without calls) */
  connectRate: z.number().min(0).max(1),
  /** calls that set a next follow-up date */
  followUps: n,
  /** rows marked 勿扰 (during the call, or a skipped 勿扰 number) */
  dnc: n,
  /** seconds paused (置忙), any reason */
  pauseS: n,
  /** talk time of calls dialled from the app: seconds in all, and how many calls */
  talkS: n,
  talkN: n,
  /** wrap-up (hang-up to save) of calls dialled from the app: seconds in all, and how many */
  wrapS: n,
  wrapN: n,
})
export type TeamFigures = z.infer<typeof teamFiguresSchema>

export const teamStatsSchema = z.object({
  all: teamFiguresSchema,
  perAgent: z.array(teamFiguresSchema.extend({ userNum: z.string(), userName: z.string() })),
  /** per agent and local day (yyyy-MM-dd) */
  perAgentDay: z.array(teamFiguresSchema.extend({ userNum: z.string(), day: z.string() })),
  /** calls per agent and intent ('' : not recorded) */
  intents: z.array(
    z.object({ userNum: z.string(), intent: z.enum(['A', 'B', 'C', 'D', 'E', '']), count: n }),
  ),
  /** pause seconds per agent, local day and reason */
  pauses: z.array(
    z.object({ userNum: z.string(), day: z.string(), reason: z.string(), seconds: n, count: n }),
  ),
  /** the outcomes among these calls that counted as contact, and those that did not */
  contactOutcomes: z.array(z.string()),
  noContactOutcomes: z.array(z.string()),
})
export type TeamStats = z.infer<typeof teamStatsSchema>

/** Follow-ups whose date has passed with no later call to the number, by agent. */
export const overdueFollowUpsSchema = z.object({
  /** the local day they are overdue on (yyyy-MM-dd) */
  today: z.string(),
  total: n,
  perAgent: z.array(z.object({ userNum: z.string(), userName: z.string(), count: n })),
  /** the first 500, by agent and date */
  rows: z.array(
    z.object({
      id: z.string(),
      userNum: z.string(),
      userName: z.string(),
      phone: z.string(),
      ownerName: z.string(),
      projectName: z.string(),
      nextFollowDate: z.string(),
      nextFollowContent: z.string(),
      callbackItem: z.string(),
      intent: z.enum(['A', 'B', 'C', 'D', 'E']).nullable(),
      /** when the call that set it was saved */
      calledAt: z.string(),
      daysOverdue: z.number().int().min(1),
    }),
  ),
})
export type OverdueFollowUps = z.infer<typeof overdueFollowUpsSchema>

/** Which desktops and days the supervisor's view holds, and the days each is missing. */
export const teamCoverageSchema = z.object({
  from: z.string().nullable(),
  to: z.string().nullable(),
  desktops: z.array(
    z.object({
      machineNo: z.string(),
      userNum: z.string(),
      userName: z.string(),
      from: z.string().nullable(),
      to: z.string().nullable(),
      /** local days with calls */
      days: n,
      rows: n,
      /** the imported files its rows came from */
      files: z.array(z.string()),
      /** rows recorded on this desktop itself */
      local: z.boolean(),
      /** days between the view's first and last day without a call from it (the first 14) */
      missingDays: n,
      missing: z.array(z.string()),
    }),
  ),
})
export type TeamCoverage = z.infer<typeof teamCoverageSchema>

/** Pause periods read from a file (its 暂停记录 sheet or companion CSV), added and already here. */
export const pauseImportSchema = z.object({ read: n, added: n, duplicates: n })
export type PauseImport = z.infer<typeof pauseImportSchema>

/** Several files imported at once: each file's outcome and the sums. */
export const importSummarySchema = z.object({
  files: z.array(
    z.object({
      file: z.string(),
      read: n,
      added: n,
      duplicates: n,
      /** the pause periods it carried; null or absent: none */
      pauses: pauseImportSchema.nullable().optional(),
      /** why the file was not imported; null when it was */
      error: z.string().nullable(),
    }),
  ),
  read: n,
  added: n,
  duplicates: n,
  /** the pause periods of all the files */
  pauses: pauseImportSchema.optional(),
})
export type ImportSummary = z.infer<typeof importSummarySchema>

/** A file dropped on the window, its bytes as base64 (the renderer has no paths). */
export const droppedFileSchema = z.object({
  name: z.string().min(1).max(260),
  data: z.string().max(70_000_000),
})
