import { describe, expect, it } from 'vitest'
import {
  DATACENTER_CODES,
  dataCenterCodeText,
  dataCenterError,
  fieldFromErrmsg,
  invalidFieldError,
  isDuplicateSid,
  signatureError,
} from '../../../electron/core/datacenter/codes'
import { networkError, RemoteError } from '../../../electron/core/errors'

// §5 of the document, row by row (3xxx/5xxx are empty there)
const SPEC_CODES: [number, string][] = [
  [-1, '未知错误'],
  [1001, '缺少必须参数'],
  [1002, '参数类型错误'],
  [1003, '不支持的请求方式'],
  [1004, '请求数据格式错误'],
  [1005, '系统处理失败'],
  [1006, '请求数据过大'],
  [1007, '请求数据缺失'],
  [1008, '不支持的接口请求'],
  [1009, '接入验证失败'],
  [1010, '接口权限验证失败'],
  [1011, '未知业务应用'],
  [1012, '查询的记录不存在'],
  [1013, '消息序列号重复'],
  [1014, '响应返回数据格式错误'],
  [1015, '消息序列号格式错误'],
  [9001, '非法身份证号码'],
  [9002, '非法手机号码'],
  [9003, '销售机会编号不存在'],
  [2001, '客户不存在'],
  [2002, '客户已经存在'],
  [2003, '手机号码已被占用'],
  [2004, '证件号码已被占用'],
  [4001, '项目不存在'],
  [4002, '置业顾问不存在'],
  [4003, '置业顾问已经存在'],
  [4004, '代理公司已经存在'],
  [4005, '代理公司不存在'],
  [6001, '消息推送失败'],
]

describe('§5 codes', () => {
  it('the table holds every documented code with its text, plus 0 成功', () => {
    expect(DATACENTER_CODES[0]).toBe('成功')
    for (const [code, text] of SPEC_CODES) {
      expect(`${code} ${(DATACENTER_CODES as Record<number, string>)[code]}`).toBe(
        `${code} ${text}`,
      )
    }
  })

  for (const [code, text] of SPEC_CODES) {
    it(`${code} → a datacenter RemoteError with 「${text}」`, () => {
      const e = dataCenterError(code, code === 1001 || code === 1002 ? { field: 'mobile' } : {})
      expect(e).toBeInstanceOf(RemoteError)
      expect(e.system).toBe('datacenter')
      expect(e.code).toBe(code)
      expect(e.kind).toBe(code === 1009 ? 'signature' : 'remote')
      const expected = code === 1001 || code === 1002 ? `${text}[mobile]` : text
      expect(e.message).toBe(`数据中心：${expected}`)
    })
  }

  it('3xxx and 5xxx get a Chinese fallback, and the server text when it sends one', () => {
    for (const code of [3001, 3002, 3003, 3999]) {
      expect(dataCenterCodeText(code)).toBe('经纪人业务错误')
    }
    for (const code of [5001, 5002, 5003]) expect(dataCenterCodeText(code)).toBe('客户行为服务错误')
    expect(dataCenterError(3002, { errmsg: '经纪人已冻结' }).message).toBe(
      '数据中心：经纪人业务错误：经纪人已冻结',
    )
  })

  it('an undocumented code still becomes a typed error', () => {
    const e = dataCenterError(7777, { errmsg: '奇怪的错误' })
    expect([e.kind, e.code]).toEqual(['remote', 7777])
    expect(e.message).toBe('数据中心：未知错误（错误码 7777）：奇怪的错误')
  })

  it('1001/1002 name the field in the text and in `field`, also from the server errmsg', () => {
    const e = dataCenterError(1001, { errmsg: '缺少必须参数[mobile]' })
    expect([e.field, e.message]).toEqual(['mobile', '数据中心：缺少必须参数[mobile]'])
    const f = dataCenterError(1002, { errmsg: '参数类型错误[gender]' })
    expect([f.field, f.message]).toEqual(['gender', '数据中心：参数类型错误[gender]'])
    expect(fieldFromErrmsg('参数类型错误[]')).toBeUndefined()
  })

  it('keeps a server errmsg that says more, without repeating the table text', () => {
    expect(dataCenterError(2002, { errmsg: '客户已经存在' }).message).toBe('数据中心：客户已经存在')
    expect(dataCenterError(4001, { errmsg: '项目不存在:abc' }).message).toBe(
      '数据中心：项目不存在:abc',
    )
    expect(dataCenterError(1005, { errmsg: '数据库超时' }).message).toBe(
      '数据中心：系统处理失败：数据库超时',
    )
  })

  it('local check failures are kind invalid-request', () => {
    const e = invalidFieldError(1002, 'mobile', '长度不能超过 16')
    expect([e.kind, e.code, e.field]).toEqual(['invalid-request', 1002, 'mobile'])
    expect(e.message).toBe('数据中心：参数类型错误[mobile]：长度不能超过 16')
  })

  it('signature failures are kind signature, code 1009', () => {
    const e = signatureError('authCode 校验失败')
    expect([e.kind, e.code, e.system]).toEqual(['signature', 1009, 'datacenter'])
    expect(e.message).toBe('数据中心：接入验证失败（authCode 校验失败）')
  })

  it('isDuplicateSid recognises exactly the Data Center 1013', () => {
    expect(isDuplicateSid(dataCenterError(1013))).toBe(true)
    expect(isDuplicateSid(dataCenterError(1015))).toBe(false)
    expect(isDuplicateSid(networkError('datacenter', 'reset', true))).toBe(false)
    expect(isDuplicateSid(new Error('1013'))).toBe(false)
    expect(
      isDuplicateSid(
        new RemoteError({ kind: 'remote', system: 'weixin', code: 1013, message: '' }),
      ),
    ).toBe(false)
  })

  it('serialises for IPC with code, field and kind', () => {
    expect(dataCenterError(1001, { field: 'projGUID' }).toJSON()).toEqual({
      kind: 'remote',
      system: 'datacenter',
      code: 1001,
      field: 'projGUID',
      message: '数据中心：缺少必须参数[projGUID]',
    })
  })
})
