import { z } from 'zod'
import { outboxItemSchema, outboxStates, syncStatusSchema } from '../../domain'
import { none } from './common'

export const syncMethods = {
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
} as const
