import { z } from 'zod'
import { dateSchema } from '../../domain'
import {
  callLogFilterSchema,
  callLogPageSchema,
  callStatsSchema,
  droppedFileSchema,
  exportRequestSchema,
  importResultSchema,
  importSummarySchema,
  overdueFollowUpsSchema,
  supervisorStatusSchema,
  teamCoverageSchema,
} from '../../calllog'
import { none } from './common'

export const calllogMethods = {
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
} as const
