import type { z } from 'zod'
import {
  type RemoteError,
  httpStatusError,
  invalidRequestError,
  isRemoteError,
  networkError,
  remoteBusinessError,
  shapeError,
} from '../errors'
import {
  nodeHttpTransport,
  parseJsonText,
  validateShape,
  type HttpRequest,
  type HttpTransport,
} from '../http/transport'
import {
  getCallbackResponseSchema,
  getCustomerTypeResponseSchema,
  getGenderTypeResponseSchema,
  getPackagesRequestSchema,
  getPackagesResponseSchema,
  getPhoneRequestSchema,
  getPhoneResponseSchema,
  getProjectsRequestSchema,
  getProjectsResponseSchema,
  getServerUrlResponseSchema,
  getUserStatusRequestSchema,
  getUserStatusResponseSchema,
  loginRequestSchema,
  loginResponseSchema,
  okResponseSchema,
  saveCallbackRequestSchema,
  saveToCustomerRequestSchema,
  weixinActionMethods,
  type CallbackItem,
  type EnumOption,
  type GetPackagesRequest,
  type GetPhoneRequest,
  type GetProjectsRequest,
  type GetUserStatusRequest,
  type SaveCallbackRequest,
  type SaveToCustomerRequest,
  type WeixinAction,
  type WeixinPackage,
  type WeixinPhone,
  type WeixinProject,
  type WeixinUser,
} from './schemas'

const SYSTEM = 'weixin' as const

export interface WeixinClientConfig {
  /** the estate root, e.g. 'http://127.0.0.1:PORT/estate'; actions live under /ihk/weixin */
  baseUrl: string
  /** login's 机器码; the document's value is 'weixin' */
  machineNo?: string
  transport?: HttpTransport
  /** per-call deadline; the transport's default (15 s) when absent */
  timeoutMs?: number
  /** told whenever the server the client routes to changes (for the log) */
  onServerChange?: (server: string, reason: WeixinServerChangeReason) => void
}

export type WeixinServerChangeReason = 'least-loaded' | 'fallback' | 'reset'

export interface WeixinCallOptions {
  signal?: AbortSignal
  timeoutMs?: number
}

export interface LoginInput {
  user_num: string
  pwd: string
  /** defaults to the configured machineNo */
  machine_no?: string
}

/**
 * Stable codes for the errmsg texts the UI branches on. The RemoteError keeps the server's own
 * Chinese text as its message; an errmsg not listed here keeps its text as the code.
 */
export const weixinErrorCodes = {
  'package-exhausted': '此信息包已经 call 完',
  'project-expired': '联动项目已删除、或者过期',
  'bad-credentials': '用户名或者密码错误',
  'user-not-found': '找不到此用户',
  'staff-not-found': '未找到相关人员',
  'bad-data': '传入数据错误',
  'unknown-action': '未知的请求类型',
  'bad-machine-no': '机器码',
  'bad-method': '请求方式',
  'project-forbidden': '无权',
  'package-not-found': '找不到此信息包',
  unknown: '',
} as const
export type WeixinErrorCode = keyof typeof weixinErrorCodes

/** Spaces and case vary between servers ("call 完" / "call完"); compare without them. */
function squash(text: string): string {
  return text.replace(/\s+/g, '').toLowerCase()
}

const errmsgRules: [RegExp, WeixinErrorCode][] = [
  [/信息包.*call完/, 'package-exhausted'],
  [/联动项目.*(删除|过期)/, 'project-expired'],
  [/用户名或者?密码错误/, 'bad-credentials'],
  [/找不到此用户/, 'user-not-found'],
  [/未找到相关人员/, 'staff-not-found'],
  [/传入数据错误/, 'bad-data'],
  [/未知的请求类型/, 'unknown-action'],
  [/机器码/, 'bad-machine-no'],
  [/请求方式/, 'bad-method'],
  [/无权|没有.*权限/, 'project-forbidden'],
  [/找不到此信息包|信息包不存在/, 'package-not-found'],
]

/** The stable code for a well-known errmsg, or the errmsg itself. */
export function classifyWeixinErrmsg(errmsg: string): WeixinErrorCode | string {
  const s = squash(errmsg)
  if (s === '') return 'unknown'
  for (const [re, code] of errmsgRules) if (re.test(s)) return code
  return errmsg.trim()
}

/** `http://{server_url}` for a get_server_url answer; the caller appends /ihk/weixin. */
export function serverBaseFromServerUrl(serverUrl: string): string {
  const { server_url } = validateShape(SYSTEM, getServerUrlResponseSchema, {
    server_url: serverUrl,
  })
  return `http://${server_url.replace(/\/+$/, '')}`
}

/**
 * Actions whose repetition changes nothing on the server. getphone is not one: every call
 * dispenses a number that is never handed out again, so it is retried only like a write.
 */
const idempotentActions: ReadonlySet<WeixinAction> = new Set<WeixinAction>([
  'login',
  'getpros',
  'getpackages',
  'getcallback',
  'get_customer_type',
  'get_gender_type',
  'get_server_url',
  'get_user_status',
])

/**
 * The weixin action API (weixin-actions.md): the agent's whole call flow. Every method either
 * returns the documented success data or throws a RemoteError, nothing else.
 *
 * Routing: calls go to the configured base until useLeastLoadedServer() picks the server that
 * get_server_url names. If that server then fails at the network level the client returns to the
 * configured base for good, retrying the failed call there when that is safe.
 */
export class WeixinClient {
  readonly configuredBase: string
  readonly machineNo: string
  private readonly transport: HttpTransport
  private readonly timeoutMs: number | undefined
  private readonly onServerChange: WeixinClientConfig['onServerChange']
  private current: string

  constructor(config: WeixinClientConfig) {
    this.configuredBase = normaliseBase(config.baseUrl)
    this.current = this.configuredBase
    this.machineNo = config.machineNo ?? 'weixin'
    this.transport = config.transport ?? nodeHttpTransport
    this.timeoutMs = config.timeoutMs
    this.onServerChange = config.onServerChange
  }

  /** The estate root calls go to now: the configured base or the least-loaded server. */
  get currentServer(): string {
    return this.current
  }

  get onLeastLoadedServer(): boolean {
    return this.current !== this.configuredBase
  }

  /** Route to the configured base again. */
  resetServer(): void {
    this.switchTo(this.configuredBase, 'reset')
  }

  /**
   * Asks the configured base for the least-loaded server and routes later calls there. On any
   * failure (including a server_url that is not host[:port]/path) the client stays on, or goes
   * back to, the configured base and the error is thrown for the log.
   */
  async useLeastLoadedServer(opts?: WeixinCallOptions): Promise<string> {
    try {
      const { server_url } = await this.exchange(
        this.configuredBase,
        'get_server_url',
        undefined,
        getServerUrlResponseSchema,
        opts,
      )
      this.switchTo(`http://${server_url.replace(/\/+$/, '')}`, 'least-loaded')
      return this.current
    } catch (e) {
      this.switchTo(this.configuredBase, 'fallback')
      throw toRemoteError(e)
    }
  }

  // --- the 11 actions, numbered as in the document ---

  /** 1 login → the agent's user_id and name ("用户名或者密码错误": code 'bad-credentials'). */
  async login(input: LoginInput, opts?: WeixinCallOptions): Promise<WeixinUser> {
    const body = validateRequest(loginRequestSchema, {
      machine_no: this.machineNo,
      ...dropUndefined(input),
    })
    return this.call('login', body, loginResponseSchema, opts)
  }

  /** 2 getpros → the projects the agent may see, with their promotion dates. */
  async getProjects(input: GetProjectsRequest, opts?: WeixinCallOptions): Promise<WeixinProject[]> {
    const body = validateRequest(getProjectsRequestSchema, input)
    return (await this.call('getpros', body, getProjectsResponseSchema, opts)).projects
  }

  /** 3 getpackages → the call lists of a project ('project-expired' when it is gone). */
  async getPackages(input: GetPackagesRequest, opts?: WeixinCallOptions): Promise<WeixinPackage[]> {
    const body = validateRequest(getPackagesRequestSchema, input)
    return (await this.call('getpackages', body, getPackagesResponseSchema, opts)).packages
  }

  /** 4 getphone → the next number, dispensed to this agent ('package-exhausted' at the end). */
  async getPhone(input: GetPhoneRequest, opts?: WeixinCallOptions): Promise<WeixinPhone> {
    const body = validateRequest(getPhoneRequestSchema, input)
    return this.call('getphone', body, getPhoneResponseSchema, opts)
  }

  /** 5 getcallback → the disposition list. */
  async getCallbackItems(opts?: WeixinCallOptions): Promise<CallbackItem[]> {
    return (await this.call('getcallback', undefined, getCallbackResponseSchema, opts))
      .call_back_item
  }

  /** 6 savecallback: records the disposition of a call. */
  async saveCallback(input: SaveCallbackRequest, opts?: WeixinCallOptions): Promise<void> {
    const body = validateRequest(saveCallbackRequestSchema, input)
    await this.call('savecallback', body, okResponseSchema, opts)
  }

  /** 7 get_customer_type → the customer-type enum (一般客 01, …). */
  async getCustomerTypes(opts?: WeixinCallOptions): Promise<EnumOption[]> {
    return (await this.call('get_customer_type', undefined, getCustomerTypeResponseSchema, opts))
      .customer_type
  }

  /** 8 get_gender_type → the gender enum (-- U, 女 W, 男 M). */
  async getGenderTypes(opts?: WeixinCallOptions): Promise<EnumOption[]> {
    return (await this.call('get_gender_type', undefined, getGenderTypeResponseSchema, opts))
      .gender_type
  }

  /** 9 save_to_customer: creates the CRM customer (电子客). */
  async saveToCustomer(input: SaveToCustomerRequest, opts?: WeixinCallOptions): Promise<void> {
    const body = validateRequest(saveToCustomerRequestSchema, input)
    await this.call('save_to_customer', body, okResponseSchema, opts)
  }

  /** 10 get_server_url → the least-loaded server as host[:port]/path (no scheme), validated. */
  async getServerUrl(opts?: WeixinCallOptions): Promise<string> {
    return (await this.call('get_server_url', undefined, getServerUrlResponseSchema, opts))
      .server_url
  }

  /** 11 get_user_status → the agent's status text; only 活动 may work (isActiveUserStatus). */
  async getUserStatus(input: GetUserStatusRequest, opts?: WeixinCallOptions): Promise<string> {
    const body = validateRequest(getUserStatusRequestSchema, input)
    return (await this.call('get_user_status', body, getUserStatusResponseSchema, opts)).user_status
  }

  // --- plumbing ---

  private switchTo(server: string, reason: WeixinServerChangeReason): void {
    if (server === this.current) return
    this.current = server
    try {
      this.onServerChange?.(server, reason)
    } catch {
      // a logging hook must not turn a call into a failure
    }
  }

  private async call<S extends z.ZodType>(
    action: WeixinAction,
    body: unknown,
    schema: S,
    opts: WeixinCallOptions | undefined,
  ): Promise<z.output<S>> {
    const server = this.current
    try {
      return await this.exchange(server, action, body, schema, opts)
    } catch (e) {
      const err = toRemoteError(e)
      if (server === this.configuredBase || err.kind !== 'network') throw err
      // The caller's own abort says nothing about the server.
      if (err.code === 'aborted' || opts?.signal?.aborted) throw err
      this.switchTo(this.configuredBase, 'fallback')
      // A write (or getphone) that may have arrived is not repeated: the caller's outbox decides.
      if (!idempotentActions.has(action) && err.maybeDelivered !== false) throw err
      try {
        return await this.exchange(this.configuredBase, action, body, schema, opts)
      } catch (e2) {
        throw toRemoteError(e2)
      }
    }
  }

  private async exchange<S extends z.ZodType>(
    server: string,
    action: WeixinAction,
    body: unknown,
    schema: S,
    opts: WeixinCallOptions | undefined,
  ): Promise<z.output<S>> {
    if (opts?.signal?.aborted) throw networkError(SYSTEM, 'aborted', false)
    const method = weixinActionMethods[action]
    const req: HttpRequest = {
      method,
      url: `${server}/ihk/weixin?action_name=${encodeURIComponent(action)}`,
      headers: { accept: 'application/json' },
      idempotent: idempotentActions.has(action),
    }
    if (method === 'POST') req.body = JSON.stringify(body ?? {})
    const timeoutMs = opts?.timeoutMs ?? this.timeoutMs
    if (timeoutMs !== undefined) req.timeoutMs = timeoutMs
    if (opts?.signal) req.signal = opts.signal

    let res
    try {
      res = await this.transport(SYSTEM, req)
    } catch (e) {
      throw toRemoteError(e)
    }
    if (res.status !== 200) throw httpStatusError(SYSTEM, res.status)
    // Some Java stacks prefix a BOM, which JSON.parse rejects.
    const json = parseJsonText(SYSTEM, res.text.replace(/^\uFEFF/, ''))
    return validateShape(SYSTEM, schema, foldErrmsg(json))
  }
}

/**
 * Any errmsg other than "ok" is an error, with or without other fields; the key may be spelled
 * "errmsg" or "errmsg " (savecallback). Returns the body with the key folded into `errmsg`.
 */
export function foldErrmsg(json: unknown): unknown {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return json
  const out: Record<string, unknown> = {}
  let errmsg: unknown
  let found = false
  for (const [key, value] of Object.entries(json as Record<string, unknown>)) {
    if (key.trim() !== 'errmsg') {
      out[key] = value
      continue
    }
    // With both spellings present, a failing one wins over an "ok".
    if (!found || isOk(errmsg)) errmsg = value
    found = true
  }
  if (!found) return out
  if (typeof errmsg === 'string') {
    if (isOk(errmsg)) return { ...out, errmsg: 'ok' }
    const text = errmsg.trim()
    return throwRemote(text)
  }
  // A non-text errmsg (null, a number) is not the documented shape.
  throw shapeError(SYSTEM, 'errmsg', 'is not text')
}

function isOk(value: unknown): boolean {
  return typeof value === 'string' && value.trim().toLowerCase() === 'ok'
}

function throwRemote(errmsg: string): never {
  throw remoteBusinessError(
    SYSTEM,
    errmsg === '' ? '置业外呼服务返回了错误（无说明）' : errmsg,
    classifyWeixinErrmsg(errmsg),
  )
}

function validateRequest<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  if (typeof input !== 'object' || input === null) {
    throw invalidRequestError(SYSTEM, '', '请求参数缺失')
  }
  const result = schema.safeParse(input)
  if (result.success) return result.data
  const issue = result.error.issues[0]
  const field = issue ? issue.path.map(String).join('.') : ''
  throw invalidRequestError(SYSTEM, field, issue?.message ?? '请求参数不正确')
}

function dropUndefined<T extends object>(value: T): Partial<T> {
  if (typeof value !== 'object' || value === null) return value
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>
}

function normaliseBase(baseUrl: string): string {
  let url: URL
  try {
    url = new URL(baseUrl)
  } catch {
    throw invalidRequestError(SYSTEM, 'baseUrl', '置业外呼服务地址配置错误')
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalidRequestError(SYSTEM, 'baseUrl', '置业外呼服务地址必须以 http:// 或 https:// 开头')
  }
  if (url.search !== '' || url.hash !== '') {
    throw invalidRequestError(SYSTEM, 'baseUrl', '置业外呼服务地址不能带查询参数')
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`
}

/** Anything a transport throws that is not already typed counts as a possibly-sent failure. */
function toRemoteError(e: unknown): RemoteError {
  if (isRemoteError(e)) return e
  return networkError(SYSTEM, 'other', true, e)
}
