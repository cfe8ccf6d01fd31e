import { callLogColumnLabels } from '../../../shared/calllog-columns'

/** The calling screen's story, reach and English glosses (kept apart: one file per 500 lines). */
const zhCalls = {
  mainError: {
    network: '网络问题',
    http: '服务器出错',
    notJson: '服务器答复无法识别',
    shape: '服务器答复格式不对',
    signature: '答复签名校验失败',
    remote: '服务器拒绝',
    invalidRequest: '填写有误',
    rateLimited: '请求过于频繁',
    invalidArgs: '填写有误',
    unknownChannel: '内部错误',
    forbidden: '不允许的操作',
    notLoggedIn: '请先登录',
    vault: '密钥保存失败',
    invalidSettings: '设置有误',
    storage: '本机存储出错',
    dialRefused: '此号码现在不能拨打',
    internal: '内部错误',
  },
  syncKinds: {
    savecallback: '保存反馈',
    saveToCustomer: '添加电子客',
    reportCall: '数据中心跟进',
  },
  secrets: {
    dataCenterOwnAppid: '数据中心自身 appid',
    rabbitpreCompanyId: '兔展 companyId',
    miaosuanUserId: '秒算 userId',
  },
  // the column names exports write: one table, shared/calllog-columns.ts
  exportColumns: callLogColumnLabels,
  reach: {
    offline: '离线',
  },
  scripts: {
    title: '话术',
    sellingPoints: '卖点',
    empty: '这个项目还没有话术。主管打开主管模式后，可在「项目」页编写。',
    pointsEmpty: '还没有卖点',
    write: '编写话术',
    edit: '编辑话术',
    editTitle: '{project} · 话术与卖点',
    save: '保存话术',
    pointsHint: '每行一条，最多 {n} 条',
    tooManyPoints: '卖点最多 {n} 条',
    pointTooLong: '第 {line} 条卖点超过 {n} 字',
    distributeHint:
      '保存后本机立即生效；要发给坐席，请用「导出话术到连接配置」写入分发的连接配置文件。',
    export: '导出话术到连接配置…',
    exported: '已写入 {file}',
  },
  story: {
    title: '这个号码之前',
    dataCenterName: '数据中心：{name}',
    openFollowUp: '待跟进 {date}',
    local: '本机',
    datacenter: '数据中心',
    empty: '本机和数据中心都没有这个号码的记录',
    loading: '正在查找这个号码的记录…',
    failed: '本机通话记录读取失败',
    strong: '关键信号',
    strongEmpty: '暂无预约、到访或意向信息',
    dueTitle: '今日待回访',
    dueEmpty: '今天没有待回访的号码',
    dueCount: '{n} 个',
    dueOpen: '查看',
    dueSet: '{when} 设置：{item}',
    dueCall: '回访 {phone}',
    dueEarlier: '之前的通话',
    dueSaved: '已保存回访：{who} · {item}',
    dueAllDone: '今天的回访都做完了',
    dueSave: '保存回访',
    dueHint: '↑↓ 选择，Enter 打开；打开后 Alt+D 拨号，数字键选结果，Enter 保存',
  },
}

export type CallsMessages = typeof zhCalls
export default zhCalls
