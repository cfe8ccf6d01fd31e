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
