import { updateStatusSchema } from '../../updates'
import { none } from './common'

export const updatesMethods = {
  status: { args: none, ret: updateStatusSchema },
  /** look for a newer version on the settings' channel now */
  check: { args: none, ret: updateStatusSchema },
  download: { args: none, ret: updateStatusSchema },
  /** restart into the downloaded version; refused while a call is in progress */
  install: { args: none, ret: updateStatusSchema },
} as const
