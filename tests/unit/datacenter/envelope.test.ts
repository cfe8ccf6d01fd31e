import { createHash } from 'node:crypto'
import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  compareUtf16,
  computeAuthCode,
  encodeEnvelope,
  EnvelopeError,
  parseEnvelope,
  verifyAndDecodeEnvelope,
  verifyEnvelope,
  type Envelope,
} from '../../../electron/core/datacenter/envelope'
import { rc4, Rc4Key } from '../../../electron/core/datacenter/rc4'

// §3.1, as printed in the document
const SPEC = {
  appid: '123',
  token: '52e41ab0d3eee56b725e3e29999762a8',
  appkey:
    'S_+SFO!fH.7qj_CEIKgCoSRfYr&e%,zAL1-*UEW7D]V$o4Cc=Dd4kwSh%6Q<!?=!+_@H^,K*#Gdk/d.qp@nBjl:e^/,.ckVGC2<4OoZNS2JN5<IX[Uq0W0oI-Y(K[k-R',
  sid: '2014123123123123',
  cmd: 'cst_identity',
}
const SPEC_ENVELOPE = {
  header: {
    timestamp: 1436782123,
    dataCode: 'a975283943d4be0d7cb355c2115f45d63b5dcc5d',
    authCode: '8c694932bba5d137af13654ce5a875d30a267ec8',
    sid: '2014123123123123',
    cmd: 'cst_identity',
    appid: '123',
    version: '2.0',
  },
  data: 'FQz8lhihFbBH8fV4PA==',
}

const sha1 = (s: string): string => createHash('sha1').update(s).digest('hex')

function failure(fn: () => unknown): EnvelopeError {
  try {
    fn()
  } catch (e) {
    if (e instanceof EnvelopeError) return e
    throw e
  }
  throw new Error('expected an EnvelopeError')
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('§3.1 test vector', () => {
  it('RC4 of {"hello":123} is 150CFC9618A115B047F1F5783C', () => {
    const plain = Buffer.from('{"hello":123}', 'utf8')
    expect(plain.toString('hex').toUpperCase()).toBe('7B2268656C6C6F223A3132337D')
    const cipher = Buffer.from(rc4(SPEC.appkey, plain))
    expect(cipher.toString('hex').toUpperCase()).toBe('150CFC9618A115B047F1F5783C')
    expect(cipher.toString('base64')).toBe('FQz8lhihFbBH8fV4PA==')
  })

  it('encodes to the document envelope exactly', () => {
    const env = encodeEnvelope({ ...SPEC, timestamp: 1436782123, data: { hello: 123 } })
    expect(env).toEqual(SPEC_ENVELOPE)
    expect(env.header.dataCode).toBe('a975283943d4be0d7cb355c2115f45d63b5dcc5d')
    expect(env.header.authCode).toBe('8c694932bba5d137af13654ce5a875d30a267ec8')
    expect(env.header.version).toBe('2.0')
  })

  it('joins appid, sid, token and dataCode in the document order', () => {
    const joined =
      '123201412312312312352e41ab0d3eee56b725e3e29999762a8a975283943d4be0d7cb355c2115f45d63b5dcc5d'
    expect(sha1(joined)).toBe('8c694932bba5d137af13654ce5a875d30a267ec8')
    expect(
      computeAuthCode(
        '123',
        '2014123123123123',
        SPEC.token,
        'a975283943d4be0d7cb355c2115f45d63b5dcc5d',
      ),
    ).toBe('8c694932bba5d137af13654ce5a875d30a267ec8')
  })

  it('verifies and decodes the document envelope', () => {
    expect(
      verifyAndDecodeEnvelope(SPEC_ENVELOPE, {
        token: SPEC.token,
        appkey: SPEC.appkey,
        expectedAppid: '123',
      }),
    ).toEqual({ hello: 123 })
  })

  it('defaults the timestamp to now in UTC seconds', () => {
    const before = Math.floor(Date.now() / 1000)
    const env = encodeEnvelope({ ...SPEC, data: {} })
    const after = Math.floor(Date.now() / 1000)
    expect(env.header.timestamp).toBeGreaterThanOrEqual(before)
    expect(env.header.timestamp).toBeLessThanOrEqual(after)
  })
})

describe('authCode sort order (Java String.compareTo)', () => {
  it('sorts by UTF-16 code unit, not natural number order', () => {
    // natural order would put "9" before "10"; Java puts "10" first
    const java = ['10', '9', '100', '2'].sort(compareUtf16)
    expect(java).toEqual(['10', '100', '2', '9'])
    expect(computeAuthCode('9', '10', 'tok', 'abc')).toBe(sha1('109abctok'))
    expect(computeAuthCode('9', '10', 'tok', 'abc')).not.toBe(sha1('910abctok'))
  })

  it('puts upper case before lower case, unlike localeCompare', () => {
    expect(['b', 'B', 'a', 'A'].sort(compareUtf16)).toEqual(['A', 'B', 'a', 'b'])
    expect(computeAuthCode('a', 'B', 'c', 'D')).toBe(sha1('BDac'))
    const locale = ['a', 'B', 'c', 'D'].sort((x, y) => x.localeCompare(y)).join('')
    expect(computeAuthCode('a', 'B', 'c', 'D')).not.toBe(sha1(locale))
  })

  it('compares surrogate pairs by code unit, not by code point', () => {
    // U+1F600 is \uD83D\uDE00: below U+FF01 in UTF-16, above it as a code point
    expect(['\uFF01', '\u{1F600}'].sort(compareUtf16)).toEqual(['\u{1F600}', '\uFF01'])
    expect(computeAuthCode('\uFF01', '\u{1F600}', 'x', 'y')).toBe(sha1('xy\u{1F600}\uFF01'))
  })

  it('treats a prefix as smaller', () => {
    expect(computeAuthCode('301', '30126112210000000001', '3', '30')).toBe(
      sha1('33030130126112210000000001'),
    )
  })
})

describe('verification (§3.2)', () => {
  const creds = { token: 'tok-秘密', appkey: 'key-!@#$%^&*()' }
  const make = (): Envelope =>
    encodeEnvelope({
      appid: '301',
      sid: '30126112210000000001',
      cmd: 'cst_info_get',
      timestamp: 1795000000,
      ...creds,
      data: { mobile: '15920447900', 备注: '中文' },
    })

  it('round-trips Chinese data', () => {
    expect(verifyAndDecodeEnvelope(make(), { ...creds, expectedAppid: '301' })).toEqual({
      mobile: '15920447900',
      备注: '中文',
    })
  })

  it('also survives JSON serialisation of the envelope', () => {
    const wire = JSON.parse(JSON.stringify(make())) as unknown
    expect(verifyEnvelope(wire, creds).plaintext).toBe('{"mobile":"15920447900","备注":"中文"}')
  })

  const tamperings: [string, (e: Envelope) => void, string][] = [
    [
      'authCode',
      (e) => (e.header.authCode = e.header.authCode.replace(/^./, (c) => (c === '0' ? '1' : '0'))),
      'authCode',
    ],
    ['dataCode', (e) => (e.header.dataCode = sha1('something else')), 'authCode'],
    [
      'data',
      (e) => (e.data = Buffer.from('{"mobile":"13800000000"}').toString('base64')),
      'dataCode',
    ],
    ['appid', (e) => (e.header.appid = '302'), 'authCode'],
    ['sid', (e) => (e.header.sid = '30126112210000000002'), 'authCode'],
  ]
  for (const [what, mutate, reason] of tamperings) {
    it(`rejects a changed ${what} with 1009 and never decrypts`, () => {
      const env = make()
      mutate(env)
      const apply = vi.spyOn(Rc4Key.prototype, 'apply')
      const e = failure(() => verifyAndDecodeEnvelope(env, creds))
      expect(e.code).toBe(1009)
      expect(e.reason).toBe(reason)
      expect(apply).not.toHaveBeenCalled()
    })
  }

  it('rejects a dataCode re-computed over altered data (authCode then fails)', () => {
    const env = make()
    env.data = Buffer.from('tampered').toString('base64')
    env.header.dataCode = sha1(env.data)
    expect(failure(() => verifyEnvelope(env, creds)).code).toBe(1009)
  })

  it('rejects a wrong token with 1009', () => {
    const e = failure(() => verifyEnvelope(make(), { ...creds, token: 'other' }))
    expect(e.code).toBe(1009)
  })

  it('rejects an envelope from an unexpected appid with 1009 before anything else', () => {
    const env = make()
    const apply = vi.spyOn(Rc4Key.prototype, 'apply')
    const e = failure(() => verifyEnvelope(env, { ...creds, expectedAppid: '100' }))
    expect(e.code).toBe(1009)
    expect(e.reason).toBe('appid')
    expect(apply).not.toHaveBeenCalled()
  })

  it('accepts upper-case hex codes', () => {
    // a sender that writes its hex in upper case signs the upper-case dataCode
    const env = make()
    const h = env.header
    h.dataCode = h.dataCode.toUpperCase()
    h.authCode = computeAuthCode(h.appid, h.sid, creds.token, h.dataCode).toUpperCase()
    expect(verifyAndDecodeEnvelope(env, creds)).toMatchObject({ mobile: '15920447900' })
  })

  it('a wrong appkey verifies (it is not signed) but does not decode: 1004', () => {
    const e = failure(() => verifyAndDecodeEnvelope(make(), { ...creds, appkey: 'wrong key' }))
    expect(e.code).toBe(1004)
  })

  it('rejects signed data that is not base64 with 1004', () => {
    const env = make()
    env.data = 'not*base64!'
    env.header.dataCode = sha1(env.data)
    env.header.authCode = computeAuthCode('301', env.header.sid, creds.token, env.header.dataCode)
    expect(failure(() => verifyEnvelope(env, creds)).reason).toBe('data-not-base64')
  })

  it('rejects signed plaintext that is not JSON with 1004', () => {
    const data = Buffer.from(rc4(creds.appkey, Buffer.from('not json'))).toString('base64')
    const dataCode = sha1(data)
    const env = {
      header: {
        appid: '301',
        timestamp: 1,
        sid: '30126112210000000001',
        authCode: computeAuthCode('301', '30126112210000000001', creds.token, dataCode),
        cmd: 'x',
        version: '2.0',
        dataCode,
      },
      data,
    }
    expect(verifyEnvelope(env, creds).plaintext).toBe('not json')
    const e = failure(() => verifyAndDecodeEnvelope(env, creds))
    expect([e.code, e.reason]).toEqual([1004, 'data-not-json'])
  })
})

describe('parseEnvelope (1004 for what is not an envelope)', () => {
  const cases: [string, unknown, string][] = [
    ['null', null, '(根)'],
    ['an array', [], '(根)'],
    ['no header', { data: '' }, 'header'],
    [
      'a numeric appid',
      { ...SPEC_ENVELOPE, header: { ...SPEC_ENVELOPE.header, appid: 123 } },
      'header.appid',
    ],
    [
      'no authCode',
      { ...SPEC_ENVELOPE, header: { ...SPEC_ENVELOPE.header, authCode: undefined } },
      'header.authCode',
    ],
    [
      'a fractional timestamp',
      { ...SPEC_ENVELOPE, header: { ...SPEC_ENVELOPE.header, timestamp: 1.5 } },
      'header.timestamp',
    ],
    ['no data', { header: SPEC_ENVELOPE.header }, 'data'],
  ]
  for (const [what, value, field] of cases) {
    it(`rejects ${what}`, () => {
      const e = failure(() => parseEnvelope(value))
      expect([e.code, e.field]).toEqual([1004, field])
    })
  }

  it('accepts a digit-string timestamp', () => {
    const env = parseEnvelope({
      ...SPEC_ENVELOPE,
      header: { ...SPEC_ENVELOPE.header, timestamp: '1436782123' },
    })
    expect(env.header.timestamp).toBe(1436782123)
  })
})
