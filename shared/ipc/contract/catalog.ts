import { z } from 'zod'
import {
  callbackItemSchema,
  callPackageSchema,
  enumOptionSchema,
  projectSchema,
} from '../../domain'
import { id, none } from './common'

export const catalogMethods = {
  projects: { args: none, ret: z.array(projectSchema) },
  packages: { args: z.tuple([z.object({ projectId: id })]), ret: z.array(callPackageSchema) },
  callbackItems: { args: none, ret: z.array(callbackItemSchema) },
  customerTypes: { args: none, ret: z.array(enumOptionSchema) },
  genderTypes: { args: none, ret: z.array(enumOptionSchema) },
  /** the agent's packages getphone said are called through in the last day (kept across restarts) */
  exhaustedPackages: { args: none, ret: z.array(id) },
} as const
