import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { DataCenterClient } from '../../../electron/core/datacenter/client'
import { encodeEnvelope, verifyAndDecodeEnvelope } from '../../../electron/core/datacenter/envelope'
import { checkRequest, requestSchemas } from '../../../electron/core/datacenter/schemas'
import { SequentialSidGenerator } from '../../../electron/core/datacenter/sid'
import { RemoteError } from '../../../electron/core/errors'
import type { HttpTransport } from '../../../electron/core/http/transport'
import { consultantGuid, createDataCenterServerDef } from '../../../electron/sandbox/datacenter'
import { createSeedWorld, SANDBOX_DATACENTER } from '../../../electron/sandbox/seed'

/**
 * The sandbox is a referee: it judges requests by its own transcription of the document, so a
 * client whose tables are too loose is caught. These requests get past the client (or never meet
 * its checks) and the sandbox must still refuse them with the document's code.
 */

const creds = SANDBOX_DATACENTER
const world = createSeedWorld(3, '2026-11-22')
const def = createDataCenterServerDef(world)
const sids = new SequentialSidGenerator({ appid: creds.appid })
const projGUID = world.projects[0]!.projGUID
const known = [...world.people.values()].find((p) => p.cstGUID)!
/** a consultant on the sandbox roster: agent 00006's */
const consultant = consultantGuid(world.seed, '00006')

/** One request straight into the server definition; the decrypted answer back. */
function send(cmd: string, data: unknown): { errcode: number; errmsg: string } {
  const env = encodeEnvelope({ ...creds, sid: sids.next(), cmd, data })
  const res = def.handle({
    method: 'POST',
    path: '/openapi',
    query: new URLSearchParams(),
    headers: {},
    rawBody: JSON.stringify(env),
    json: env,
  })
  if (res instanceof Promise) throw new Error('the Data Center double answers synchronously')
  return verifyAndDecodeEnvelope(res.body, {
    token: creds.token,
    appkey: creds.appkey,
    expectedAppid: creds.dataCenterAppid,
  }) as { errcode: number; errmsg: string }
}

/** The client's requests straight into the server definition, no sockets. */
const inMemory: HttpTransport = async (_system, req) => {
  const json = JSON.parse(req.body!) as unknown
  const res = await def.handle({
    method: 'POST',
    path: '/openapi',
    query: new URLSearchParams(),
    headers: {},
    rawBody: req.body!,
    json,
  })
  return { status: res.status, headers: {}, text: JSON.stringify(res.body) }
}

describe('the Data Center sandbox judges by its own tables', () => {
  it('a mobile over 16 characters passes a loosened client table and the sandbox refuses it with 1002', async () => {
    const tooLong = `${known.phone}123456`
    const client = new DataCenterClient({
      endpoint: 'http://127.0.0.1:9/openapi',
      ...creds,
      sid: sids,
      transport: inMemory,
    })
    const schemas = requestSchemas as unknown as Record<string, z.ZodType>
    const original = schemas.cst_info_get!
    // the client's table with the 16 taken off, as a transcription mistake would
    schemas.cst_info_get = z.object({ mobile: z.string() })
    try {
      expect(checkRequest('cst_info_get', { mobile: tooLong }).ok).toBe(true)
      const e = await client.cstInfoGet({ mobile: tooLong }).then(
        () => undefined,
        (err: unknown) => err,
      )
      expect(e).toBeInstanceOf(RemoteError)
      const r = e as RemoteError
      expect([r.kind, r.code, r.field, r.message]).toEqual([
        'remote',
        1002,
        'mobile',
        '数据中心：参数类型错误[mobile]',
      ])
    } finally {
      schemas.cst_info_get = original
    }
    // the client's real table refuses it before sending; a known mobile goes through
    expect(checkRequest('cst_info_get', { mobile: tooLong }).ok).toBe(false)
    expect((await client.cstInfoGet({ mobile: known.phone })).cstGUID).toBe(known.cstGUID)
  })

  it.each([
    [
      'a field over its 长度',
      'cst_identify',
      { cstMobile: '1'.repeat(17), projGUID },
      1002,
      'cstMobile',
    ],
    ['a blank required String', 'cst_info_get', { mobile: '  ' }, 1001, 'mobile'],
    ['null for a required field', 'cst_info_get', { mobile: null }, 1001, 'mobile'],
    ['an int as text', 'cst_follow_update', { ...follow(), followType: '1' }, 1002, 'followType'],
    [
      'an int outside the listed values',
      'cst_follow_update',
      { ...follow(), followType: 8 },
      1002,
      'followType',
    ],
    ['cstWill outside A–E', 'cst_follow_update', { ...follow(), cstWill: 'F' }, 1002, 'cstWill'],
    [
      'followTime with milliseconds (its format has none)',
      'cst_follow_update',
      { ...follow(), followTime: '2026-11-22 09:30:00.000' },
      1002,
      'followTime',
    ],
    [
      'nextDate as a datetime (its format is yyyy-MM-dd)',
      'cst_follow_update',
      { ...follow(), nextDate: '2026-11-23 10:00:00' },
      1002,
      'nextDate',
    ],
    [
      'a keyAction not in the list',
      'cst_follow_update',
      { ...follow(), keyActions: '参观样板区;随便看看' },
      1002,
      'keyActions',
    ],
    [
      'a status not in the list',
      'opportunity_info_create',
      { ...opportunity(), status: '已成交' },
      1002,
      'status',
    ],
    [
      'a leadSource not in the list',
      's_lead_create',
      { ...lead(), leadSource: '外呼' },
      1002,
      'leadSource',
    ],
    [
      'an impossible calendar day',
      's_lead_create',
      { ...lead(), appointTime: '2026-02-30 10:00:00' },
      1002,
      'appointTime',
    ],
    [
      's_lead_query with neither leadGUID nor phone and projGUID',
      's_lead_query',
      {},
      1001,
      'leadGUID',
    ],
    [
      's_lead_query with phone but no projGUID',
      's_lead_query',
      { phone: known.phone },
      1001,
      'projGUID',
    ],
    ['an int beyond Java int', 'base_project_list', { page: 2 ** 31 }, 1002, 'page'],
  ] as const)('%s → %i [%s]', (_why, cmd, data, code, field) => {
    const texts = { 1001: '缺少必须参数', 1002: '参数类型错误' }
    expect(send(cmd, data)).toEqual({
      errcode: code,
      errmsg: `${texts[code]}[${field}]`,
      content: {},
    })
  })

  it('accepts what the tables allow: a 36-character issued cstGUID, milliseconds where listed, ;-separated keyActions', () => {
    expect(send('opportunity_info_create', opportunity()).errcode).toBe(0)
    const s_lead = send('s_lead_create', { ...lead(), appointTime: '2026-11-23 10:00:00.250' })
    expect(s_lead.errcode).toBe(0)
    // keyActions pass the table; the business then wants a real opportunity (9003)
    expect(
      send('cst_follow_update', { ...follow(), keyActions: '参观样板区;做置业预算' }),
    ).toMatchObject({
      errcode: 9003,
      errmsg: '销售机会编号不存在',
    })
  })

  it('s_opportunity_identify with neither phone nor cardId (both 否) finds no customer: 2001', () => {
    expect(send('s_opportunity_identify', { projGUID })).toMatchObject({
      errcode: 2001,
      errmsg: '客户不存在',
    })
  })

  it('imports nothing from core but the envelope primitives', () => {
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory()
          ? files(join(dir, e.name))
          : e.name.endsWith('.ts')
            ? [join(dir, e.name)]
            : [],
      )
    const fromCore = files('electron/sandbox').flatMap((f) =>
      [...readFileSync(f, 'utf8').matchAll(/from '([^']*\/core\/[^']*)'/g)].map((m) => m[1]!),
    )
    expect(fromCore.length).toBeGreaterThan(0)
    for (const spec of fromCore) expect(spec).toMatch(/\/core\/datacenter\/(envelope|rc4)$/)
  })
})

function follow(): Record<string, unknown> {
  return {
    cstGUID: known.cstGUID,
    projGUID,
    followTime: '2026-11-22 09:30:00',
    followType: 1,
    userGUID: consultant,
    oppGUID: 'no-such-opp',
    cstWill: 'A',
  }
}

function opportunity(): Record<string, unknown> {
  return { cstGUID: known.cstGUID, projGUID, userGUID: consultant, status: '问询', cstWill: 'B' }
}

function lead(): Record<string, unknown> {
  return {
    projGUID,
    consultantId: consultant,
    cstName: '王先生',
    cstTel: known.phone,
    cstType: '个人',
    cstGender: 1,
    leadSource: '来电',
    topic: '外呼邀约到访',
  }
}
