import { z } from 'zod'

export const updateChannels = ['stable', 'beta'] as const

export const updateStatusSchema = z.object({
  channel: z.enum(updateChannels),
  currentVersion: z.string(),
  state: z.enum([
    'idle',
    'checking',
    'not-available',
    'available',
    'downloading',
    'downloaded',
    'error',
    /** a packaged build is needed (development, web bridge) */
    'unsupported',
  ]),
  /** the newer version on the chosen channel */
  available: z.object({ version: z.string(), releaseDate: z.string().nullable() }).nullable(),
  progress: z
    .object({ percent: z.number().min(0).max(100), transferred: z.number(), total: z.number() })
    .nullable(),
  /** Chinese text for the agent: a missing channel file, 404, hash mismatch, unsigned build… */
  error: z.string().nullable(),
  lastCheckedAt: z.string().nullable(),
  /** the update is ready but waits until the current call is saved */
  waitingForCallToEnd: z.boolean(),
})
export type UpdateStatus = z.infer<typeof updateStatusSchema>

export const diagnosticsResultSchema = z.object({
  /** the written bundle, or null when the user cancelled */
  file: z.string().nullable(),
  bytes: z.number().int().min(0),
})
export type DiagnosticsResult = z.infer<typeof diagnosticsResultSchema>
