/**
 * The referee's own copy of the Data Center's error codes (§5), transcribed from the document
 * and not from the client, so a wrong text or number in the client's table shows up as a
 * mismatch against the sandbox. `[%s]` is where the document puts the field's name.
 */
export const SPEC_CODES: Readonly<Record<number, string>> = {
  // 5.1 系统错误码
  0: '成功',
  [-1]: '未知错误',
  1001: '缺少必须参数[%s]',
  1002: '参数类型错误[%s]',
  1003: '不支持的请求方式',
  1004: '请求数据格式错误',
  1005: '系统处理失败',
  1006: '请求数据过大',
  1007: '请求数据缺失',
  1008: '不支持的接口请求',
  1009: '接入验证失败',
  1010: '接口权限验证失败',
  1011: '未知业务应用',
  1012: '查询的记录不存在',
  1013: '消息序列号重复',
  1014: '响应返回数据格式错误',
  1015: '消息序列号格式错误',
  // 5.2.1 业务通用错误码
  9001: '非法身份证号码',
  9002: '非法手机号码',
  9003: '销售机会编号不存在',
  // 5.2.2 客户类错误码
  2001: '客户不存在',
  2002: '客户已经存在',
  2003: '手机号码已被占用',
  2004: '证件号码已被占用',
  // 5.2.3 / 5.2.5: 3001–3003 and 5001–5003 are listed with no text; the sandbox never sends them
  3001: '',
  3002: '',
  3003: '',
  // 5.2.4 基础数据类错误码
  4001: '项目不存在',
  4002: '置业顾问不存在',
  4003: '置业顾问已经存在',
  4004: '代理公司已经存在',
  4005: '代理公司不存在',
  5001: '',
  5002: '',
  5003: '',
  // 5.2.6 推送通知类错误码
  6001: '消息推送失败',
}

/** The errmsg the sandbox sends for a code: the §5 text, `%s` filled with the field. */
export function specText(code: number, field = ''): string {
  const text = SPEC_CODES[code]
  if (text === undefined) throw new Error(`the sandbox sends only §5 codes, not ${code}`)
  return text.replace('%s', field)
}
