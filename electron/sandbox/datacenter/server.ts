import {
  encodeEnvelope,
  EnvelopeError,
  parseEnvelope,
  verifyEnvelope,
  type Envelope,
} from '../../core/datacenter/envelope'
import type { SandboxRequest, SandboxResponse, SandboxServerDef } from '../framework'
import { SANDBOX_DATACENTER, type SeedWorld } from '../seed'
import { createHandlers } from './business'
import { Refusal, type Handler } from './handler-kit'
import { specText } from './codes'
import { checkFields } from './fields'
import { isSpecCommand, requestTables, type SpecCommand } from './requests'
import { createRoster } from './roster'
import { createSpecSidSource, isSpecSid } from './sid'
import { seedWorld, type DataCenterState } from './state'

/**
 * The Data Center 2.0 double: POST /openapi, envelopes verified as §3.2 says and answered with
 * envelopes signed under the Data Center's appid. It judges requests by its own tables
 * (requests.ts, codes.ts, sid.ts), never by the client's. Where the document is silent:
 *
 * - Checks run in this order: method (1003), body size over MAX_BODY_BYTES (1006), an empty
 *   body (1007), envelope shape (1004; a header with no `data`, or an empty one, is 1007),
 *   appid, authCode and dataCode (1009), decryption to JSON (1004), cmd (1008), the appid's
 *   permission for the cmd (1010), SID format (1015, it must start with the sender's appid),
 *   SID seen before (1013), fields (1001/1002), then the business (business.ts).
 * - An appid the sandbox does not know gets no response data at all (§3.2 step 5: 如果找不到，
 *   则不给任何响应数据): HTTP 200 with an empty body. The document's 1011 is never sent.
 * - The permission table (`permissions`) lists, per appid, the commands it may call; by default
 *   the sandbox app may call every command the sandbox serves.
 * - A SID counts as seen once the request gets past the SID checks, whatever the business
 *   answer: a re-sent command gets 1013 even when the first try failed with 2002. A request
 *   that fails an earlier check (1009 in particular) does not use up its SID.
 * - Answers before the sender is known (1003, 1004, 1006, 1007) are still envelopes, signed
 *   with the one app's token and appkey the sandbox knows; they echo the request SID when
 *   there is one.
 */

/** 1006 请求数据过大: 64 KiB of HTTP body, some twenty times the largest request the app sends */
export const MAX_BODY_BYTES = 64 * 1024

export interface DataCenterServerOptions {
  /** appid → the commands it may call (1010 for the others); default: the sandbox app, all */
  permissions?: Readonly<Record<string, readonly string[]>>
}

export interface DataCenterCredentials {
  appid: string
  token: string
  appkey: string
  dataCenterAppid: string
}

interface Header {
  sid?: string | undefined
  cmd?: string | undefined
  appid?: string | undefined
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

export function createDataCenterServerDef(
  world: SeedWorld,
  creds: DataCenterCredentials = SANDBOX_DATACENTER,
  opts: DataCenterServerOptions = {},
): SandboxServerDef {
  let db = seedWorld(world)
  const roster = createRoster(world)
  const permissions = opts.permissions ?? {
    [creds.appid]: Object.keys(requestTables) as SpecCommand[],
  }
  const projects = new Set(world.projects.map((p) => p.projGUID))
  // the Data Center's own SIDs, for answers to requests that carried none
  const ownSids = createSpecSidSource(creds.dataCenterAppid)
  // base_project_list: the seeded projects as the Data Center lists them (one level, all
  // current), lastModifyTime the seed day; syncTime returns what changed after it.
  const projectRows = world.projects.map((p) => ({
    projGUID: p.projGUID,
    projName: p.pro_name,
    parentGUID: '',
    cityName: '广州',
    status: 1,
    lastModifyTime: `${world.today} 00:00:00`,
    ifEnd: 1,
    buGUID: 'bu-sandbox-0001',
    level: 1,
  }))
  const handlers = createHandlers(() => db, projects, projectRows, roster)

  const respond = (
    header: Header,
    errcode: number,
    errmsg: string,
    content: object,
    note: Record<string, unknown>,
  ): SandboxResponse => {
    const envelope = encodeEnvelope({
      appid: creds.dataCenterAppid,
      token: creds.token,
      appkey: creds.appkey,
      sid: header.sid || ownSids.next(),
      cmd: header.cmd || 'unknown',
      data: { errcode, errmsg, content },
    })
    return { status: 200, body: envelope, note: { ...note, errcode, errmsg } }
  }

  const errorReply = (
    code: number,
    header: Header,
    data?: unknown,
    field?: string,
  ): SandboxResponse =>
    respond(
      header,
      code,
      specText(code, field),
      {},
      {
        cmd: header.cmd ?? null,
        sid: header.sid ?? null,
        appid: header.appid ?? null,
        ...(data !== undefined ? { data } : {}),
      },
    )

  const silence = (header: Header): SandboxResponse => ({
    status: 200,
    body: '',
    note: { cmd: header.cmd ?? null, sid: header.sid ?? null, appid: header.appid ?? null },
  })

  const handle = (req: SandboxRequest): SandboxResponse => {
    if (req.path !== '/openapi') {
      return {
        status: 404,
        body: { error: `no such endpoint ${req.path}` },
        note: { errcode: null },
      }
    }
    if (req.method !== 'POST') return errorReply(1003, {})
    if (Buffer.byteLength(req.rawBody, 'utf8') > MAX_BODY_BYTES) return errorReply(1006, {})
    if (req.rawBody.trim() === '') return errorReply(1007, {})
    const raw = isRecord(req.json) && isRecord(req.json.header) ? req.json : undefined
    const h = raw ? (raw.header as Record<string, unknown>) : {}
    const pick = (k: string): string | undefined => (typeof h[k] === 'string' ? h[k] : undefined)
    const given = { sid: pick('sid'), cmd: pick('cmd'), appid: pick('appid') }
    // §3.2 step 5: no appKey for this appid, no response data at all
    if (given.appid !== undefined && given.appid !== creds.appid) return silence(given)
    if (raw && (raw.data === undefined || raw.data === '')) return errorReply(1007, given)
    let envelope: Envelope
    try {
      envelope = parseEnvelope(req.json)
    } catch {
      return errorReply(1004, given)
    }
    const { appid, sid, cmd } = envelope.header
    const header = { appid, sid, cmd }

    let plaintext: string
    try {
      plaintext = verifyEnvelope(envelope, { token: creds.token, appkey: creds.appkey }).plaintext
    } catch (e) {
      if (e instanceof EnvelopeError) return errorReply(e.code, header)
      throw e
    }
    let data: unknown
    try {
      data = JSON.parse(plaintext) as unknown
    } catch {
      return errorReply(1004, header)
    }
    if (!isSpecCommand(cmd)) return errorReply(1008, header, data)
    if (!permissions[appid]?.includes(cmd)) return errorReply(1010, header, data)
    if (!isSpecSid(sid, appid)) return errorReply(1015, header, data)
    const sidKey = `${appid}:${sid}`
    if (db.seenSids.has(sidKey)) return errorReply(1013, header, data)
    db.seenSids.add(sidKey)

    const checked = checkFields(requestTables[cmd], data)
    if (!checked.ok) return errorReply(checked.code, header, data, checked.field)
    // the table has checked every field the handler's type promises
    const out = (handlers[cmd] as Handler<typeof cmd>)(checked.data as never)
    const note = { cmd, sid, appid, data }
    if (out instanceof Refusal) return respond(header, out.code, out.errmsg, {}, note)
    return respond(header, 0, '', out, note)
  }

  return {
    name: 'datacenter',
    keyOf(req) {
      const j = req.json
      if (isRecord(j) && isRecord(j.header) && typeof j.header.cmd === 'string') {
        return j.header.cmd
      }
      return req.path
    },
    handle,
    tamper(res) {
      // Alter the ciphertext after signing, as a man in the middle would: dataCode no longer
      // matches, so the client must reject the answer without decrypting it.
      if (!isRecord(res.body) || typeof res.body.data !== 'string') {
        return { ...res, body: { tampered: true } }
      }
      const bytes = Buffer.from(res.body.data, 'base64')
      if (bytes.length > 0) bytes[0] = bytes[0]! ^ 0x01
      return { ...res, body: { ...res.body, data: bytes.toString('base64') } }
    },
    reset() {
      db = seedWorld(world)
    },
    state(): DataCenterState {
      return {
        customers: [...db.customers.values()],
        leads: db.leads,
        opportunities: [...db.opportunities.values()],
        followUps: db.followUps,
        seenSids: db.seenSids.size,
      }
    },
  }
}
