import { z } from 'zod'
import { secretSummarySchema, settingsPatchSchema, settingsSchema } from '../../settings'
import { none } from './common'
import { projectScriptsSchema } from '../../connection-profile'

/** a connection profile's JSON text: room for the projects' scripts (SCRIPTED_PROJECTS_MAX) */
const PROFILE_TEXT_MAX = 512 * 1024

export const settingsMethods = {
  get: { args: none, ret: settingsSchema },
  update: { args: z.tuple([settingsPatchSchema]), ret: settingsSchema },
  secrets: { args: none, ret: secretSummarySchema },
  /** an administrator's connection profile, as the JSON text of the file they picked */
  importProfile: {
    args: z.tuple([z.object({ text: z.string().max(PROFILE_TEXT_MAX, '配置文件过大') })]),
    ret: secretSummarySchema,
  },
  /** the projects' 话术 and 卖点 on this desktop (from the profile, or a supervisor's edit) */
  scripts: { args: none, ret: projectScriptsSchema },
  /** supervisor mode: replaces them on this desktop */
  saveScripts: {
    args: z.tuple([z.object({ scripts: projectScriptsSchema })]),
    ret: projectScriptsSchema,
  },
  /**
   * supervisor mode: the connection profile they hand out (its JSON text), with this desktop's
   * scripts put in, written to a file they choose; answers the file's path
   */
  exportScripts: {
    args: z.tuple([z.object({ text: z.string().max(PROFILE_TEXT_MAX, '配置文件过大') })]),
    ret: z.object({ file: z.string() }),
  },
} as const
