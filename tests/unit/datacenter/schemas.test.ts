import { describe, expect, it, vi } from 'vitest'
import { DataCenterClient } from '../../../electron/core/datacenter/client'
import {
  checkRequest,
  contentSchemas,
  dataCenterCommands,
  type DataCenterCommand,
  type RequestOf,
} from '../../../electron/core/datacenter/schemas'
import { SequentialSidGenerator } from '../../../electron/core/datacenter/sid'
import { RemoteError } from '../../../electron/core/errors'
import type { HttpTransport } from '../../../electron/core/http/transport'

const VALID: { [C in DataCenterCommand]: RequestOf<C> } = {
  cst_info_get: { mobile: '15920447900' },
  cst_info_create: {
    projGUID: 'p-1',
    customerName: '李建华',
    gender: 1,
    mobile: '15920447900',
    userGUID: 'u-29',
  },
  cst_info_update: {
    cstGUID: 'c-1',
    customerName: '李建华',
    gender: 2,
    mobile: '15920447900',
    userGUID: 'u-29',
  },
  cst_follow_update: {
    cstGUID: 'c-1',
    projGUID: 'p-1',
    followTime: '2026-11-22 10:15:00',
    followType: 1,
    userGUID: 'u-29',
    oppGUID: 'o-1',
    cstWill: 'B',
  },
  s_lead_identify: { phone: '15920447900', projGUID: 'p-1' },
  s_lead_create: {
    projGUID: 'p-1',
    consultantId: 'u-29',
    cstName: '李先生',
    cstTel: '15920447900',
    cstType: '个人',
    cstGender: 0,
    leadSource: '来电',
    topic: '外呼邀约',
  },
  s_lead_query: { leadGUID: 'l-1' },
  s_opportunity_identify: { phone: '15920447900', projGUID: 'p-1' },
  opportunity_info_create: {
    cstGUID: 'c-1',
    projGUID: 'p-1',
    userGUID: 'u-29',
    status: '问询',
    cstWill: 'A',
  },
  cst_identify: { cstMobile: '15920447900', projGUID: 'p-1' },
}

type Kind = 'S' | 'I' | 'DT' | 'DTms' | 'D' | 'WILL'
/** [field, type, 长度, required] transcribed from the §4 tables (cstGUID: 64, see schemas.ts) */
type FieldSpec = [string, Kind, number, boolean]

const PROFILE: FieldSpec[] = [
  ['customerName', 'S', 64, true],
  ['gender', 'I', 4, true],
  ['mobile', 'S', 16, true],
  ['homeTel', 'S', 64, false],
  ['certNum', 'S', 64, false],
  ['address', 'S', 150, false],
  ['certType', 'I', 4, false],
  ['userGUID', 'S', 64, true],
  ['homeArea', 'S', 64, false],
  ['homeCase', 'S', 64, false],
  ['workTrade', 'S', 64, false],
  ['workJob', 'S', 64, false],
  ['workArea', 'S', 64, false],
  ['cstType', 'S', 64, false],
  ['fromArea', 'S', 32, false],
  ['zyNum', 'I', 32, false],
  ['oldOwner', 'S', 32, false],
  ['cstClass', 'S', 32, false],
]

const TABLES: { [C in DataCenterCommand]: FieldSpec[] } = {
  cst_info_get: [['mobile', 'S', 16, true]],
  cst_info_create: [['projGUID', 'S', 64, true], ...PROFILE],
  cst_info_update: [['cstGUID', 'S', 64, true], ['projGUID', 'S', 64, false], ...PROFILE],
  cst_follow_update: [
    ['cstGUID', 'S', 64, true],
    ['projGUID', 'S', 64, true],
    ['followTime', 'DT', 32, true],
    ['followContent', 'S', 200, false],
    ['followType', 'I', 2, true],
    ['userGUID', 'S', 64, true],
    ['oppGUID', 'S', 64, true],
    ['nextDate', 'D', 32, false],
    ['nextContent', 'S', 200, false],
    ['cstWill', 'WILL', 64, true],
    ['keyActions', 'S', 200, false],
    ['remark', 'S', 100, false],
  ],
  s_lead_identify: [
    ['phone', 'S', 32, true],
    ['projGUID', 'S', 64, true],
  ],
  s_lead_create: [
    ['projGUID', 'S', 64, true],
    ['consultantId', 'S', 64, true],
    ['cstName', 'S', 64, true],
    ['cstTel', 'S', 64, true],
    ['cstType', 'S', 32, true],
    ['cstGender', 'I', 2, true],
    ['description', 'S', 64, false],
    ['leadSource', 'S', 32, true],
    ['topic', 'S', 200, true],
    ['cognizeAve', 'S', 64, false],
    ['appointTime', 'DTms', 32, false],
    ['leadType', 'S', 32, false],
  ],
  s_lead_query: [
    ['leadGUID', 'S', 64, false],
    ['phone', 'S', 32, false],
    ['projGUID', 'S', 64, false],
  ],
  s_opportunity_identify: [
    ['phone', 'S', 32, false],
    ['cardId', 'S', 32, false],
    ['projGUID', 'S', 64, true],
  ],
  opportunity_info_create: [
    ['cstGUID', 'S', 64, true],
    ['projGUID', 'S', 64, true],
    ['userGUID', 'S', 64, true],
    ['status', 'S', 20, true],
    ['oppSource', 'S', 100, false],
    ['dsReason', 'S', 64, false],
    ['cstWill', 'WILL', 64, true],
    ['isLocalHouseHold', 'I', 2, false],
    ['socialSecurityYear', 'I', 10, false],
    ['dsDate', 'DTms', 64, false],
    ['leadGUID', 'S', 64, false],
    ['topic', 'S', 100, false],
    ['dlgs', 'S', 100, false],
    ['khly', 'S', 32, false],
  ],
  cst_identify: [
    ['cstMobile', 'S', 16, true],
    ['projGUID', 'S', 64, true],
  ],
}

/** a valid value of each kind, for the optional fields */
const SAMPLE: Record<Kind, unknown> = {
  S: 'x',
  I: 1,
  DT: '2026-11-22 10:15:00',
  DTms: '2026-11-22 10:15:00.123',
  D: '2026-11-30',
  WILL: 'C',
}

function expectFailure(cmd: DataCenterCommand, data: unknown, code: number, field: string): void {
  const r = checkRequest(cmd, data)
  expect(r.ok ? 'ok' : `${r.code} ${r.field}`).toBe(`${code} ${field}`)
}

describe('request tables', () => {
  it('cover all ten commands', () => {
    expect(Object.keys(TABLES).sort()).toEqual([...dataCenterCommands].sort())
  })

  for (const cmd of dataCenterCommands) {
    describe(cmd, () => {
      const base = VALID[cmd] as Record<string, unknown>

      it('accepts the minimal valid request and every optional field filled in', () => {
        expect(checkRequest(cmd, base).ok).toBe(true)
        const full = { ...base }
        for (const [field, kind, , required] of TABLES[cmd]) {
          if (!required && full[field] === undefined) full[field] = SAMPLE[kind]
        }
        const r = checkRequest(cmd, full)
        expect(r.ok ? 'ok' : `${r.code} ${r.field} ${r.reason}`).toBe('ok')
      })

      it('drops fields the table does not list', () => {
        const r = checkRequest(cmd, { ...base, notInTheSpec: 1 })
        expect(r.ok && 'notInTheSpec' in r.data).toBe(false)
      })

      for (const [field, kind, max, required] of TABLES[cmd]) {
        if (required) {
          it(`${field}: missing, null or blank → 1001`, () => {
            const { [field]: _drop, ...without } = base
            expectFailure(cmd, without, 1001, field)
            expectFailure(cmd, { ...base, [field]: null }, 1001, field)
            if (kind !== 'I') expectFailure(cmd, { ...base, [field]: '  ' }, 1001, field)
          })
        }
        if (kind === 'S') {
          it(`${field}: a number → 1002; over ${max} characters → 1002; ${max} characters pass`, () => {
            expectFailure(cmd, { ...base, [field]: 12345 }, 1002, field)
            expectFailure(cmd, { ...base, [field]: 'x'.repeat(max + 1) }, 1002, field)
            // characters, not UTF-8 bytes (李 is 3) nor UTF-16 units (𠀀 U+20000 is 2)
            for (const ch of ['李', '\u{20000}']) {
              const r = checkRequest(cmd, { ...base, [field]: ch.repeat(max) })
              expect(r.ok ? 'ok' : `${r.code} ${r.field}`).toBe('ok')
            }
            expectFailure(cmd, { ...base, [field]: '\u{20000}'.repeat(max + 1) }, 1002, field)
          })
        }
        if (kind === 'I') {
          it(`${field}: a string, a fraction, or beyond int → 1002`, () => {
            expectFailure(cmd, { ...base, [field]: '1' }, 1002, field)
            expectFailure(cmd, { ...base, [field]: 1.5 }, 1002, field)
            expectFailure(cmd, { ...base, [field]: 2 ** 31 }, 1002, field)
          })
        }
        if (kind === 'DT' || kind === 'DTms' || kind === 'D') {
          it(`${field}: a malformed or impossible time → 1002`, () => {
            expectFailure(cmd, { ...base, [field]: '2026/11/22 10:15' }, 1002, field)
            expectFailure(
              cmd,
              { ...base, [field]: kind === 'D' ? '2026-02-30' : '2026-02-30 10:00:00' },
              1002,
              field,
            )
            expectFailure(cmd, { ...base, [field]: 20261122 }, 1002, field)
          })
        }
        if (kind === 'WILL') {
          it(`${field}: only A–E`, () => {
            expectFailure(cmd, { ...base, [field]: 'F' }, 1002, field)
            expectFailure(cmd, { ...base, [field]: 'a' }, 1002, field)
          })
        }
      }
    })
  }
})

describe('value lists and conditional requirements', () => {
  it('gender is 1 or 2; cstGender 0, 1 or 2; followType 1–7; certType as listed', () => {
    expectFailure('cst_info_create', { ...VALID.cst_info_create, gender: 0 }, 1002, 'gender')
    expectFailure('s_lead_create', { ...VALID.s_lead_create, cstGender: 3 }, 1002, 'cstGender')
    expect(checkRequest('s_lead_create', { ...VALID.s_lead_create, cstGender: 2 }).ok).toBe(true)
    expectFailure(
      'cst_follow_update',
      { ...VALID.cst_follow_update, followType: 8 },
      1002,
      'followType',
    )
    expectFailure('cst_info_create', { ...VALID.cst_info_create, certType: 11 }, 1002, 'certType')
    expect(checkRequest('cst_info_create', { ...VALID.cst_info_create, certType: 9999 }).ok).toBe(
      true,
    )
  })

  it('followTime takes no milliseconds; appointTime may', () => {
    const ms = '2026-11-22 10:15:00.123'
    expectFailure(
      'cst_follow_update',
      { ...VALID.cst_follow_update, followTime: ms },
      1002,
      'followTime',
    )
    expect(checkRequest('s_lead_create', { ...VALID.s_lead_create, appointTime: ms }).ok).toBe(true)
  })

  it('s_lead_query needs leadGUID, or phone and projGUID', () => {
    expect(checkRequest('s_lead_query', { leadGUID: 'l' }).ok).toBe(true)
    expect(checkRequest('s_lead_query', { phone: '1', projGUID: 'p' }).ok).toBe(true)
    expectFailure('s_lead_query', {}, 1001, 'leadGUID')
    expectFailure('s_lead_query', { phone: '15920447900' }, 1001, 'projGUID')
    expectFailure('s_lead_query', { projGUID: 'p' }, 1001, 'phone')
    expectFailure('s_lead_query', { leadGUID: '', projGUID: 'p' }, 1001, 'phone')
  })

  it('s_opportunity_identify needs phone or cardId', () => {
    expect(checkRequest('s_opportunity_identify', { cardId: 'x', projGUID: 'p' }).ok).toBe(true)
    expectFailure('s_opportunity_identify', { projGUID: 'p' }, 1001, 'phone')
  })

  it('data that is not an object is 1004', () => {
    for (const bad of [null, [], 'x', 3]) {
      const r = checkRequest('cst_info_get', bad)
      expect(r.ok ? 'ok' : r.code).toBe(1004)
    }
  })
})

describe('the client checks requests before sending', () => {
  const transport = vi.fn<HttpTransport>()
  const client = new DataCenterClient({
    endpoint: 'http://127.0.0.1:9/openapi',
    appid: '301',
    token: 't',
    appkey: 'k',
    dataCenterAppid: '100',
    sid: new SequentialSidGenerator({ appid: '301' }),
    transport,
  })

  for (const cmd of dataCenterCommands) {
    const required = TABLES[cmd].filter(([, , , req]) => req)
    const [field] = required[0] ?? ['leadGUID']
    it(`${cmd}: a missing ${field} is an invalid-request 1001 naming it; nothing is sent`, async () => {
      const data = { ...(VALID[cmd] as Record<string, unknown>) }
      delete data[field]
      if (cmd === 's_lead_query') delete data.leadGUID
      const e = await client.call(cmd, data as never).catch((x: unknown) => x)
      expect(e).toBeInstanceOf(RemoteError)
      const r = e as RemoteError
      expect([r.kind, r.code, r.field]).toEqual(['invalid-request', 1001, field])
      expect(r.message).toContain(`缺少必须参数[${field}]`)
      expect(transport).not.toHaveBeenCalled()
    })
  }

  it('a too-long field is an invalid-request 1002 naming it', async () => {
    const e = (await client
      .cstInfoGet({ mobile: '1'.repeat(17) })
      .catch((x: unknown) => x)) as RemoteError
    expect([e.kind, e.code, e.field]).toEqual(['invalid-request', 1002, 'mobile'])
    expect(e.message).toBe('数据中心：参数类型错误[mobile]：长度不能超过 16')
    expect(transport).not.toHaveBeenCalled()
  })

  it('a malformed caller-given SID is rejected locally (1015)', async () => {
    const e = (await client
      .cstInfoGet({ mobile: '15920447900' }, { sid: '2014123123123123' })
      .catch((x: unknown) => x)) as RemoteError
    expect([e.kind, e.code, e.field]).toEqual(['invalid-request', 1015, 'sid'])
    expect(transport).not.toHaveBeenCalled()
  })
})

describe('response content schemas', () => {
  it('read data/x fields from content.x and tolerate nulls and digit strings', () => {
    expect(contentSchemas.s_lead_identify.parse({ result: '1' })).toEqual({ result: 1 })
    expect(() => contentSchemas.s_lead_identify.parse({ result: 2 })).toThrow()
    expect(
      contentSchemas.cst_identify.parse({
        exist: 1,
        isBlack: 0,
        isOwner: 0,
        isStaff: 0,
        isMember: 1,
        list: null,
      }),
    ).toMatchObject({ exist: 1, list: [] })
    expect(
      contentSchemas.cst_identify.parse({
        exist: 1,
        isBlack: 0,
        isOwner: 0,
        isStaff: 0,
        isMember: 0,
        list: [
          { followTime: '2026-11-01 10:00:00', followType: 1, followContent: null, projGUID: 'p' },
        ],
      }).list,
    ).toEqual([
      { followTime: '2026-11-01 10:00:00', followType: '1', followContent: '', projGUID: 'p' },
    ])
    expect(() => contentSchemas.cst_info_create.parse({})).toThrow()
  })
})
