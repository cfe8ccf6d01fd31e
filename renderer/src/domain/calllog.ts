import type { CallLogColumn } from '../../../shared/calllog-columns'

export { callLogColumnLabels, callLogColumns } from '../../../shared/calllog-columns'
export type { CallLogColumn }

/** What a supervisor usually wants in a report: who, what, when, how it ended. */
export const defaultExportColumns: readonly CallLogColumn[] = [
  'userNum',
  'userName',
  'projectName',
  'packageName',
  'phone',
  'ownerName',
  'dialledAt',
  'durationS',
  'callbackItem',
  'notes',
  'nextFollowDate',
  'nextFollowContent',
  'savedToCustomer',
]
