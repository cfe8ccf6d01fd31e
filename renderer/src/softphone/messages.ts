/**
 * The softphone's messages (header indicator, settings section), kept beside the softphone so
 * the locale files stay small; zh-CN.ts and en-US.ts take them as their `softphone` key.
 */
const zhCN = {
  registration: {
    connecting: '话机连接中',
    registered: '话机已注册',
    unregistered: '话机未注册',
    failed: '话机注册失败',
    off: '话机未启用',
  },
  call: {
    calling: '正在呼叫…',
    ringing: '对方振铃中…',
    answered: '通话中',
    ended: '通话已结束',
    outcome: {
      answered: '已接通，请选择结果',
      busy: '对方占线（SIP {status}），已预选“占线”，按 Enter 确认',
      'no-answer': '无人接听（SIP {status}），已预选“无人接听”，按 Enter 确认',
      'invalid-number': '空号或错号（SIP {status}），已预选，按 Enter 确认',
      failed: '呼叫失败（SIP {status}），请选择结果',
    },
    muted: '已静音',
    held: '保持中',
    keypad: '拨号盘：数字键发送按键音',
    recording: '录音中',
    keys: 'Alt+H 挂断 · Alt+M 静音 · Alt+J 保持 · Alt+T 拨号盘',
  },
  recording: {
    play: '播放录音',
    none: '无录音',
    column: '录音',
  },
  settings: {
    title: '软电话',
    enabled: '使用内置软电话',
    wsUrl: 'SIP WebSocket 地址',
    wsUrlHint: 'PBX 的 SIP over WebSocket 地址（RFC 7118），如 wss://pbx.example.com:8089/ws',
    sipDomain: 'SIP 域名',
    extension: '分机号',
    password: '分机密码',
    passwordSet: '已保存（留空则不修改）',
    passwordUnset: '未设置',
    record: '通话录音',
    retentionDays: '录音保存天数',
    retentionHint: '到期自动删除；营销外呼记录至少保存 30 天',
    callingWindows: '允许外呼时段',
    callingWindowsHint: '每行或用逗号分隔一个时段，如 09:00-12:00；结束早于开始表示跨午夜',
    maxAttemptsPerDay: '每个号码 24 小时内最多拨打',
    times: '次',
    save: '保存软电话设置',
    saved: '已保存',
    reloadHint: '地址已更改：重新打开工作台后生效',
  },
}

const enUS: typeof zhCN = {
  registration: {
    connecting: 'Phone connecting',
    registered: 'Phone registered',
    unregistered: 'Phone not registered',
    failed: 'Phone registration failed',
    off: 'Phone off',
  },
  call: {
    calling: 'Calling…',
    ringing: 'Ringing…',
    answered: 'In call',
    ended: 'Call ended',
    outcome: {
      answered: 'Answered: pick the result',
      busy: 'Busy (SIP {status}): “busy” preselected, Enter confirms',
      'no-answer': 'No answer (SIP {status}): preselected, Enter confirms',
      'invalid-number': 'No such number (SIP {status}): preselected, Enter confirms',
      failed: 'Call failed (SIP {status}): pick the result',
    },
    muted: 'Muted',
    held: 'On hold',
    keypad: 'Keypad: digits send tones',
    recording: 'Recording',
    keys: 'Alt+H hang up · Alt+M mute · Alt+J hold · Alt+T keypad',
  },
  recording: {
    play: 'Play recording',
    none: 'No recording',
    column: 'Recording',
  },
  settings: {
    title: 'Softphone',
    enabled: 'Use the built-in softphone',
    wsUrl: 'SIP WebSocket URL',
    wsUrlHint: "The PBX's SIP over WebSocket URL (RFC 7118), e.g. wss://pbx.example.com:8089/ws",
    sipDomain: 'SIP domain',
    extension: 'Extension',
    password: 'Extension password',
    passwordSet: 'Saved (leave empty to keep)',
    passwordUnset: 'Not set',
    record: 'Record calls',
    retentionDays: 'Keep recordings (days)',
    retentionHint:
      'Deleted automatically afterwards; marketing-call records are kept at least 30 days',
    callingWindows: 'Calling hours',
    callingWindowsHint:
      'One window per line or comma, e.g. 09:00-12:00; an end before the start runs past midnight',
    maxAttemptsPerDay: 'Dials of one number per 24 h at most',
    times: 'times',
    save: 'Save softphone settings',
    saved: 'Saved',
    reloadHint: 'Address changed: takes effect when the workspace is opened again',
  },
}

export const softphone = { 'zh-CN': zhCN, 'en-US': enUS }
