import { describe, expect, it } from 'vitest'
import { AppError } from '../../../electron/core/app-error'
import {
  buildDialUri,
  isValidDialUri,
  isValidPhoneNumber,
  parseDialUri,
} from '../../../electron/services/calling/dial'

describe('isValidPhoneNumber', () => {
  it.each(['110', '13800138000', '+8613800138000', '02161234567', '1'.repeat(20)])(
    'accepts %s',
    (phone) => expect(isValidPhoneNumber(phone)).toBe(true),
  )

  it.each([
    ['too short', '12'],
    ['too long', '1'.repeat(21)],
    ['empty', ''],
    ['plus only', '+'],
    ['inner plus', '1+23'],
    ['double plus', '++123'],
    ['space', '138 0013 8000'],
    ['leading space', ' 13800138000'],
    ['trailing newline', '13800138000\n'],
    ['hyphens', '138-0013-8000'],
    ['full-width digits', '１３８００１３８０００'],
    ['Arabic-Indic digits', '١٣٨٠٠١٣٨٠٠٠'],
    ['Devanagari digits', '१२३४५'],
    ['shell metacharacters', '123;rm -rf'],
    ['letters', '1380013800a'],
  ])('rejects %s', (_label, phone) => expect(isValidPhoneNumber(phone)).toBe(false))

  it('rejects non-strings', () => {
    expect(isValidPhoneNumber(13800138000)).toBe(false)
    expect(isValidPhoneNumber(null)).toBe(false)
    expect(isValidPhoneNumber(undefined)).toBe(false)
  })
})

describe('isValidDialUri', () => {
  it.each([
    'tel:13800138000',
    'tel:+8613800138000',
    'callto:13800138000',
    'sip:13800138000@pbx.local',
    'sip:+8613800138000@pbx.example.com:5060',
    'sip:1001@10.0.0.5',
  ])('accepts %s', (uri) => expect(isValidDialUri(uri)).toBe(true))

  it.each([
    ['shell injection after a number', 'tel:123;rm -rf'],
    ['tel parameters', 'tel:13800138000;phone-context=example.com'],
    ['javascript:', 'javascript:alert(1)'],
    ['javascript: with a number', 'javascript:13800138000'],
    ['file:', 'file:///etc/passwd'],
    ['file: with a number', 'file:13800138000'],
    ['http:', 'http://evil.example/13800138000'],
    ['upper-case scheme (not canonical)', 'TEL:13800138000'],
    ['callto with slashes', 'callto://13800138000'],
    ['space in number', 'tel:138 0013 8000'],
    ['encoded space', 'tel:138%200013'],
    ['unicode digits', 'tel:１３８００１３８０００'],
    ['query', 'tel:13800138000?x=1'],
    ['fragment', 'tel:13800138000#x'],
    ['sip with a non-number user', 'sip:evil@host'],
    ['sip without host', 'sip:13800138000'],
    ['sip with empty host', 'sip:13800138000@'],
    ['sip with two @', 'sip:13800138000@a@b'],
    ['sip with a path', 'sip:13800138000@pbx.local/x'],
    ['sip with params', 'sip:13800138000@pbx.local;transport=tcp'],
    ['sip host with a space', 'sip:13800138000@pbx .local'],
    ['sip host with a bad port', 'sip:13800138000@pbx.local:99999'],
    ['sip host with a bad IPv4', 'sip:13800138000@300.1.1.1'],
    ['sip host with underscore', 'sip:13800138000@evil_host'],
    ['sip host with a leading hyphen', 'sip:13800138000@-pbx.local'],
    ['empty', ''],
    ['no scheme', '13800138000'],
  ])('rejects %s', (_label, uri) => expect(isValidDialUri(uri)).toBe(false))

  it('rejects non-strings and very long input', () => {
    expect(isValidDialUri(undefined)).toBe(false)
    expect(isValidDialUri({ toString: () => 'tel:110' })).toBe(false)
    expect(isValidDialUri(`sip:110@${'a.'.repeat(200)}com`)).toBe(false)
  })

  it('parses the parts', () => {
    expect(parseDialUri('sip:1001@pbx.local:5060')).toEqual({
      scheme: 'sip',
      number: '1001',
      host: 'pbx.local:5060',
    })
    expect(parseDialUri('tel:+86110')).toEqual({ scheme: 'tel', number: '+86110' })
  })
})

describe('buildDialUri', () => {
  it.each([
    ['tel:{phone}', '13800138000', 'tel:13800138000'],
    ['callto:{phone}', '+8613800138000', 'callto:+8613800138000'],
    ['sip:{phone}@pbx.local', '13800138000', 'sip:13800138000@pbx.local'],
    ['sip:{phone}@PBX.Local:5060', '1001', 'sip:1001@pbx.local:5060'],
    ['TEL:{phone}', '110', 'tel:110'],
    // surrounding whitespace is trimmed, as the settings schema trims it
    ['  tel:{phone}\n', '110', 'tel:110'],
  ])('fills %s with %s', (template, phone, uri) => {
    expect(buildDialUri(template, phone)).toBe(uri)
    expect(isValidDialUri(buildDialUri(template, phone))).toBe(true)
  })

  it.each([
    ['123;rm -rf'],
    ['138 0013 8000'],
    ['１３８００１３８０００'],
    [''],
    ['12'],
    ['{phone}'],
    ['13800138000@evil.example'],
  ])('rejects the phone %j with a Chinese invalid-args error', (phone) => {
    const call = () => buildDialUri('tel:{phone}', phone)
    expect(call).toThrow(AppError)
    expect(call).toThrow(/号码无效/)
    try {
      call()
    } catch (e) {
      expect((e as AppError).kind).toBe('invalid-args')
      expect((e as AppError).field).toBe('phone')
    }
  })

  it.each([
    ['javascript:{phone}'],
    ['file:///{phone}'],
    ['http://evil.example/?n={phone}'],
    ['tel:{phone};phone-context=evil'],
    ['tel:+86{phone}'],
    ['tel:{phone}{phone}'],
    ['tel:'],
    ['callto://{phone}'],
    ['sip:{phone}'],
    ['sip:{phone}@'],
    ['sip:evil@host'],
    ['sip:{phone}@evil host'],
    ['sip:{phone}@pbx.local;transport=tcp'],
    ['sip:{phone}@pbx.local/path'],
    ['sip:{phone}@a@b'],
    ['sip:{phone}@pbx.local:0'],
    ['tel:\n{phone}'],
    ['tel: {phone}'],
    ['{phone}'],
    [''],
  ])('rejects the template %j with a Chinese invalid-settings error', (template) => {
    const call = () => buildDialUri(template, '13800138000')
    expect(call).toThrow(/拨号模板无效/)
    try {
      call()
    } catch (e) {
      expect(e).toBeInstanceOf(AppError)
      expect((e as AppError).kind).toBe('invalid-settings')
      expect((e as AppError).field).toBe('dialTemplate')
    }
  })
})
