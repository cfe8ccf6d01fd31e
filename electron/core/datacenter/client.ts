import { httpStatusError, isRemoteError, networkError, RemoteError, shapeError } from '../errors'
import {
  nodeHttpTransport,
  parseJsonText,
  validateShape,
  type HttpTransport,
} from '../http/transport'
import {
  DC_BAD_SID,
  DC_SUCCESS,
  dataCenterError,
  invalidFieldError,
  isDuplicateSid,
  signatureError,
} from './codes'
import { encodeEnvelope, EnvelopeError, verifyEnvelope } from './envelope'
import {
  checkRequest,
  contentSchemas,
  responseDataSchema,
  type AnyDataCenterCommand,
  type BaseConsultantListRequest,
  type BaseConsultantProjListRequest,
  type BaseProjectListRequest,
  type ContentOf,
  type CstFollowUpdateRequest,
  type CstIdentifyRequest,
  type CstInfoCreateRequest,
  type CstInfoGetRequest,
  type CstInfoUpdateRequest,
  type OpportunityInfoCreateRequest,
  type OpportunityInfoQueryRequest,
  type OpportunityInfoUpdateRequest,
  type RequestOf,
  type SLeadCreateRequest,
  type SLeadIdentifyRequest,
  type SLeadQueryRequest,
  type SOpportunityIdentifyRequest,
} from './schemas'
import { parseSid, type SidGenerator } from './sid'

export { isDuplicateSid }

export interface DataCenterClientConfig {
  /** the full URL envelopes are POSTed to */
  endpoint: string
  /** this app's appid, token and appkey, as the Data Center assigned them */
  appid: string
  token: string
  appkey: string
  /** the Data Center's own appid, which must sign every response */
  dataCenterAppid: string
  sid: SidGenerator
  transport?: HttpTransport
  /** per request; default 15 s */
  timeoutMs?: number
  now?: () => Date
}

export interface CallOptions {
  /** re-send under this SID (a retry of the same command); default a new one */
  sid?: string
  signal?: AbortSignal
  timeoutMs?: number
}

export interface CallResult<C extends AnyDataCenterCommand> {
  sid: string
  content: ContentOf<C>
}

const DEFAULT_TIMEOUT_MS = 15_000
const DC_UNKNOWN_APP = 1011
const NO_DATA = '没有返回任何数据（它不认识本机的 appid），请检查数据中心连接配置中的 appid'
const SYSTEM = 'datacenter'

/**
 * The Data Center 2.0 open API client. Every failure is a RemoteError: invalid-request before
 * sending (1001/1002 with the field), network/http/not-json/shape for transport trouble,
 * signature (1009) for a response that does not verify, remote for the §5 code the Data Center
 * answered with. A response is used only after its appid, authCode and dataCode check out.
 */
export class DataCenterClient {
  private readonly config: DataCenterClientConfig
  private readonly transport: HttpTransport
  private readonly now: () => Date

  constructor(config: DataCenterClientConfig) {
    for (const name of ['endpoint', 'appid', 'token', 'appkey', 'dataCenterAppid'] as const) {
      if (typeof config[name] !== 'string' || config[name] === '') {
        throw new TypeError(`DataCenterClient: ${name} is required`)
      }
    }
    this.config = config
    this.transport = config.transport ?? nodeHttpTransport
    this.now = config.now ?? (() => new Date())
  }

  /** A fresh SID for a new command; the outbox stores it and re-sends it on every retry. */
  nextSid(): string {
    return this.config.sid.next()
  }

  /** One of our SIDs was another desktop's too (a 1013 with no record): move off its lane. */
  sidCollided(): void {
    this.config.sid.moveLane?.()
  }

  async call<C extends AnyDataCenterCommand>(
    cmd: C,
    data: RequestOf<C>,
    opts: CallOptions = {},
  ): Promise<CallResult<C>> {
    try {
      return await this.exchange(cmd, data, opts)
    } catch (e) {
      if (isRemoteError(e)) throw e
      // A bug or an unexpected library error: still a RemoteError, never a bare exception.
      throw dataCenterError(-1, {
        errmsg: e instanceof Error ? e.message : String(e),
        cause: e,
      })
    }
  }

  private async exchange<C extends AnyDataCenterCommand>(
    cmd: C,
    data: RequestOf<C>,
    opts: CallOptions,
  ): Promise<CallResult<C>> {
    const checked = checkRequest(cmd, data)
    if (!checked.ok) {
      if (checked.code === 1004) throw dataCenterError(1004, { kind: 'invalid-request' })
      throw invalidFieldError(checked.code, checked.field, checked.reason)
    }
    const sid = opts.sid ?? this.nextSid()
    if (!parseSid(sid, this.config.appid)) {
      throw new RemoteError({
        ...dataCenterError(DC_BAD_SID, { kind: 'invalid-request' }).toJSON(),
        field: 'sid',
      })
    }
    const envelope = encodeEnvelope({
      appid: this.config.appid,
      token: this.config.token,
      appkey: this.config.appkey,
      sid,
      cmd,
      timestamp: Math.floor(this.now().getTime() / 1000),
      data: checked.data,
    })

    let res
    try {
      res = await this.transport(SYSTEM, {
        method: 'POST',
        url: this.config.endpoint,
        // §2.1: content-type is fixed to application/json (UTF-8 throughout)
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(envelope),
        timeoutMs: opts.timeoutMs ?? this.config.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        ...(opts.signal ? { signal: opts.signal } : {}),
      })
    } catch (e) {
      if (isRemoteError(e)) throw e
      // a custom transport's own failure: it may have sent the request
      throw networkError(SYSTEM, 'other', true, e)
    }
    if (res.status !== 200) throw httpStatusError(SYSTEM, res.status)
    // §3.2 step 5: the Data Center gives no response data at all to an appid it does not know
    if (res.text.trim() === '') throw dataCenterError(DC_UNKNOWN_APP, { errmsg: NO_DATA })
    const body = parseJsonText(SYSTEM, res.text)

    let plaintext: string
    try {
      const verified = verifyEnvelope(body, {
        token: this.config.token,
        appkey: this.config.appkey,
        expectedAppid: this.config.dataCenterAppid,
      })
      plaintext = verified.plaintext
      // an answer to another command (another SID, or a SID another desktop also used) is not
      // this one's: whatever it says, it proves nothing about this request
      const h = verified.envelope.header
      if (h.sid !== sid || h.cmd !== cmd) {
        throw shapeError(
          SYSTEM,
          h.sid !== sid ? 'header.sid' : 'header.cmd',
          `应答不是本次请求的（请求 ${cmd} ${sid}，应答 ${h.cmd} ${h.sid}）`,
        )
      }
    } catch (e) {
      if (!(e instanceof EnvelopeError)) throw e
      if (e.code === 1009) throw signatureError(e.message, e)
      // not an envelope, or verified but not decryptable text (a wrong appkey shows up here)
      throw shapeError(SYSTEM, e.field ?? '', e.message)
    }
    let decoded: unknown
    try {
      decoded = JSON.parse(plaintext) as unknown
    } catch {
      throw shapeError(SYSTEM, 'data', '解密后不是 JSON')
    }
    const reply = validateShape(SYSTEM, responseDataSchema, decoded)
    if (reply.errcode !== DC_SUCCESS) {
      throw dataCenterError(reply.errcode, { errmsg: reply.errmsg })
    }
    // an empty content ({} / null / absent) is normal for commands that return nothing
    const rawContent = reply.content ?? {}
    const result = contentSchemas[cmd].safeParse(rawContent)
    if (!result.success) {
      const issue = result.error.issues[0]
      const field = ['content', ...(issue?.path ?? []).map(String)].join('.')
      throw shapeError(SYSTEM, field, issue?.message ?? '')
    }
    return { sid, content: result.data as ContentOf<C> }
  }

  private async content<C extends AnyDataCenterCommand>(
    cmd: C,
    data: RequestOf<C>,
    opts?: CallOptions,
  ): Promise<ContentOf<C>> {
    return (await this.call(cmd, data, opts)).content
  }

  /** 4.2.5 客户资料查询: the master record by mobile (1012 when unknown) */
  cstInfoGet(input: CstInfoGetRequest, opts?: CallOptions): Promise<ContentOf<'cst_info_get'>> {
    return this.content('cst_info_get', input, opts)
  }

  /** 4.2.6 客户资料新增 → cstGUID */
  cstInfoCreate(
    input: CstInfoCreateRequest,
    opts?: CallOptions,
  ): Promise<ContentOf<'cst_info_create'>> {
    return this.content('cst_info_create', input, opts)
  }

  /** 4.2.7 客户资料更新 */
  cstInfoUpdate(
    input: CstInfoUpdateRequest,
    opts?: CallOptions,
  ): Promise<ContentOf<'cst_info_update'>> {
    return this.content('cst_info_update', input, opts)
  }

  /** 4.2.8 跟进信息上报 → followGUID */
  cstFollowUpdate(
    input: CstFollowUpdateRequest,
    opts?: CallOptions,
  ): Promise<ContentOf<'cst_follow_update'>> {
    return this.content('cst_follow_update', input, opts)
  }

  /** 4.3.1 线索判断 → result 0/1 */
  sLeadIdentify(
    input: SLeadIdentifyRequest,
    opts?: CallOptions,
  ): Promise<ContentOf<'s_lead_identify'>> {
    return this.content('s_lead_identify', input, opts)
  }

  /** 4.3.2 线索上报 → leadGUID */
  sLeadCreate(input: SLeadCreateRequest, opts?: CallOptions): Promise<ContentOf<'s_lead_create'>> {
    return this.content('s_lead_create', input, opts)
  }

  /** 4.3.3 线索查询 → list */
  sLeadQuery(input: SLeadQueryRequest, opts?: CallOptions): Promise<ContentOf<'s_lead_query'>> {
    return this.content('s_lead_query', input, opts)
  }

  /** 4.3.4 机会判断 → result 0/1 */
  sOpportunityIdentify(
    input: SOpportunityIdentifyRequest,
    opts?: CallOptions,
  ): Promise<ContentOf<'s_opportunity_identify'>> {
    return this.content('s_opportunity_identify', input, opts)
  }

  /** 4.3.5 销售机会上报 → oppGUID */
  opportunityInfoCreate(
    input: OpportunityInfoCreateRequest,
    opts?: CallOptions,
  ): Promise<ContentOf<'opportunity_info_create'>> {
    return this.content('opportunity_info_create', input, opts)
  }

  /** 4.3.8 销售机会更新 */
  opportunityInfoUpdate(
    input: OpportunityInfoUpdateRequest,
    opts?: CallOptions,
  ): Promise<ContentOf<'opportunity_info_update'>> {
    return this.content('opportunity_info_update', input, opts)
  }

  /** 4.3.9 销售机会查询: by oppGUID, or by cstGUID + projGUID → list */
  opportunityInfoQuery(
    input: OpportunityInfoQueryRequest,
    opts?: CallOptions,
  ): Promise<ContentOf<'opportunity_info_query'>> {
    return this.content('opportunity_info_query', input, opts)
  }

  /** 4.1.5 置业顾问获取 → one page: userGUID, userName, userCode (账号), isDisabled, … */
  baseConsultantList(
    input: BaseConsultantListRequest = {},
    opts?: CallOptions,
  ): Promise<ContentOf<'base_consultant_list'>> {
    return this.content('base_consultant_list', input, opts)
  }

  /** 4.1.4 置业顾问项目关系查询 → one page of (userGUID, projGUID, station) */
  baseConsultantProjList(
    input: BaseConsultantProjListRequest = {},
    opts?: CallOptions,
  ): Promise<ContentOf<'base_consultantProj_list'>> {
    return this.content('base_consultantProj_list', input, opts)
  }

  /** 4.5.1 客户鉴定请求 → exist, isBlack, isOwner, isStaff, isMember, list (follow-ups) */
  cstIdentify(input: CstIdentifyRequest, opts?: CallOptions): Promise<ContentOf<'cst_identify'>> {
    return this.content('cst_identify', input, opts)
  }

  /** 4.1.3 项目信息查询 → one page: totalPage, page, list of {projGUID, projName, …} */
  baseProjectList(
    input: BaseProjectListRequest = {},
    opts?: CallOptions,
  ): Promise<ContentOf<'base_project_list'>> {
    return this.content('base_project_list', input, opts)
  }
}
