import { z } from 'zod'
import {
  agentStatusInputSchema,
  loginInputSchema,
  rememberedLoginSchema,
  sessionInfoSchema,
} from '../../domain'
import { none } from './common'

export const sessionMethods = {
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
} as const
