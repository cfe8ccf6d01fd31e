import { diagnosticsResultSchema } from '../../updates'
import { none } from './common'

export const diagnosticsMethods = {
  /** a support bundle: versions, settings without secrets, recent log lines, sync status */
  export: { args: none, ret: diagnosticsResultSchema },
} as const
