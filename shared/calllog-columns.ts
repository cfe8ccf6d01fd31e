/**
 * The call log's columns and their Chinese labels, without zod, so the renderer can import them
 * (see shared/values.ts for why). shared/calllog.ts re-exports them.
 */

export const callLogColumns = [
  'id',
  'userNum',
  'userName',
  'machineNo',
  'projectName',
  'packageName',
  'phone',
  'ownerName',
  'callTime',
  'dispensedAt',
  'dialledAt',
  'answeredAt',
  'endedAt',
  'durationS',
  'callbackItem',
  'intent',
  'notes',
  'nextFollowDate',
  'nextFollowContent',
  'savedToCustomer',
  'dnc',
  'syncState',
  'recordingFile',
] as const
export type CallLogColumn = (typeof callLogColumns)[number]

export const callLogColumnLabels: Record<CallLogColumn, string> = {
  id: '记录编号',
  userNum: '工号',
  userName: '姓名',
  machineNo: '机器码',
  projectName: '项目',
  packageName: '信息包',
  phone: '电话',
  ownerName: '客户',
  callTime: '时间',
  dispensedAt: '分配时间',
  dialledAt: '拨号时间',
  answeredAt: '接通时间',
  endedAt: '结束时间',
  durationS: '通话时长(秒)',
  callbackItem: '反馈结果',
  intent: '意向',
  notes: '备注',
  nextFollowDate: '下次跟进日期',
  nextFollowContent: '下次跟进内容',
  savedToCustomer: '已存电子客',
  dnc: '勿扰',
  syncState: '同步状态',
  recordingFile: '录音文件',
}
