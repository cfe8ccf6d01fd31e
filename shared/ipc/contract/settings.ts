import { z } from 'zod'
import { secretSummarySchema, settingsPatchSchema, settingsSchema } from '../../settings'
import { none } from './common'

export const settingsMethods = {
  get: { args: none, ret: settingsSchema },
  update: { args: z.tuple([settingsPatchSchema]), ret: settingsSchema },
  secrets: { args: none, ret: secretSummarySchema },
  /** an administrator's connection profile, as the JSON text of the file they picked */
  importProfile: {
    args: z.tuple([z.object({ text: z.string().max(64 * 1024, '配置文件过大') })]),
    ret: secretSummarySchema,
  },
} as const
