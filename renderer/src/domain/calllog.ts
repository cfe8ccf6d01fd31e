import type { CallLogColumn } from '../../../shared/calllog-columns'

export { callLogColumnLabels, callLogColumns } from '../../../shared/calllog-columns'
export type { CallLogColumn }

/**
 * What a supervisor usually wants in a report: who, what, when (时间: the call's time as the
 * list shows it, the zone in the header), how it ended and the customer's intent.
 */
export const defaultExportColumns: readonly CallLogColumn[] = [
  'userNum',
  'userName',
  'projectName',
  'packageName',
  'phone',
  'ownerName',
  'callTime',
  'durationS',
  'callbackItem',
  'intent',
  'notes',
  'nextFollowDate',
  'nextFollowContent',
  'savedToCustomer',
]
