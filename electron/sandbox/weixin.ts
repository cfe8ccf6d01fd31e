import { json, type SandboxRequest, type SandboxResponse, type SandboxServerDef } from './framework'
import type { SeedPackage, SeedProject, SeedUser, SeedWorld } from './seed'

/**
 * The weixin action server (weixin-actions.md) as the document describes it: every answer is
 * HTTP 200 JSON, errors are `{"errmsg": …}`, and savecallback spells its key "errmsg " (with the
 * trailing space) exactly as the document shows.
 */

export interface WeixinServerOptions {
  /** what get_server_url answers; default this server's own Host header + '/estate' */
  serverUrl?: string
  /** login's accepted 机器码; default ['weixin'] */
  machineNos?: string[]
}

export interface WeixinDispensed {
  phone_id: number
  phone_no: string
  owner_name: string
  user_id: number
  package_id: number
  pro_id: number
  at: string
}

export interface WeixinSavedCallback {
  user_id: number
  phone_no: string
  owner_name: string
  package_id: number
  pro_id: number
  call_back_item_name: string
  received_at: string
}

export interface WeixinSavedCustomer {
  reg_user_id: number
  customer_name: string
  customer_phone: string
  gender_type: string
  customer_type: string
  recommend: string
  follow_content: string
  received_at: string
}

export interface WeixinSandboxState {
  /** by package_id: the numbers handed out, in order, and to whom */
  dispensed: Record<string, WeixinDispensed[]>
  callbacks: WeixinSavedCallback[]
  customers: WeixinSavedCustomer[]
}

export interface WeixinServerDef extends SandboxServerDef {
  state(): WeixinSandboxState
  /** change what get_server_url answers; undefined = this server's own address */
  setServerUrl(serverUrl: string | undefined): void
  /** a supervisor changes an agent's status (停用, 离职…) until the next reset */
  setUserStatus(userNum: string, status: SeedUser['status']): void
}

const ACTION_PATH = '/estate/ihk/weixin'

const METHODS: Record<string, 'GET' | 'POST'> = {
  login: 'POST',
  getpros: 'POST',
  getpackages: 'POST',
  getphone: 'POST',
  getcallback: 'GET',
  savecallback: 'POST',
  get_customer_type: 'GET',
  get_gender_type: 'GET',
  save_to_customer: 'POST',
  get_server_url: 'GET',
  get_user_status: 'POST',
}

const MSG = {
  unknownAction: '未知的请求类型',
  wrongMethod: '请求方式错误',
  badCredentials: '用户名或者密码错误',
  badMachine: '机器码验证失败',
  userNotFound: '找不到此用户',
  projectGone: '联动项目已删除、或者过期',
  projectForbidden: '您没有此联动项目的权限',
  packageNotFound: '找不到此信息包',
  exhausted: '此信息包已经 call 完',
  badData: '传入数据错误',
  staffNotFound: '未找到相关人员',
} as const

type Body = Record<string, unknown>
type Note = Record<string, unknown>

/** The Java server reads ids leniently (getInt): a number or a string of digits. */
function asId(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v > 0) return v
  if (typeof v === 'string' && /^\d{1,15}$/.test(v.trim()) && Number(v) > 0) return Number(v)
  return undefined
}

function asText(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined
  const t = v.trim()
  return t === '' ? undefined : t
}

/**
 * savecallback's phone_no: the number as getphone gave it. The document types it as text and
 * marks it required, nothing more; call lists hold landlines, extensions and 400 numbers.
 */
function asDialled(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' && v.length <= 64 ? v.trim() : undefined
}

/**
 * savecallback's owner_name: required, so the key must be there as text, but the list's own
 * owner name may be blank and is sent back as it was dispensed.
 */
function asOwner(v: unknown): string | undefined {
  return typeof v === 'string' ? v.trim() : undefined
}

/** save_to_customer's customer_phone: a customer record needs an 11-digit mobile. */
function asMobile(v: unknown): string | undefined {
  return typeof v === 'string' && /^\d{11}$/.test(v) ? v : undefined
}

function stripZeros(v: string): string {
  return v.replace(/^0+(?=\d)/, '')
}

export function createWeixinServerDef(
  world: SeedWorld,
  opts: WeixinServerOptions = {},
): WeixinServerDef {
  const machineNos = new Set(opts.machineNos ?? ['weixin'])
  let serverUrl = opts.serverUrl

  const usersById = new Map<number, SeedUser>(world.users.map((u) => [u.user_id, u]))
  const projectsById = new Map<number, SeedProject>(world.projects.map((p) => [p.pro_id, p]))
  const packagesById = new Map<number, SeedPackage>()
  // phone_id is stable for a number: numbered once over the seeded lists, in order.
  const phoneIds = new Map<string, number>()
  let nextPhoneId = 100_001
  for (const project of world.projects) {
    for (const pkg of project.packages) {
      packagesById.set(pkg.package_id, pkg)
      for (const phone of pkg.phones) if (!phoneIds.has(phone)) phoneIds.set(phone, nextPhoneId++)
    }
  }
  const callbackNames = new Set(world.callbackItems.map((i) => i.item_name))
  const genderValues = new Set(world.genderTypes.map((g) => g.value))
  const customerValues = new Set(world.customerTypes.map((c) => c.value))

  let statusOf = new Map<string, SeedUser['status']>()
  let dispensed = new Map<number, WeixinDispensed[]>()
  let callbacks: WeixinSavedCallback[] = []
  let customers: WeixinSavedCustomer[] = []

  const err = (errmsg: string, note: Note): SandboxResponse =>
    json({ errmsg }, { ...note, outcome: errmsg })

  const handlers: Record<string, (body: Body, req: SandboxRequest, note: Note) => SandboxResponse> =
    {
      login(body, _req, note) {
        const userNum = typeof body.user_num === 'string' ? body.user_num.trim() : undefined
        const user = world.users.find((u) => u.user_num === userNum)
        if (!user || typeof body.pwd !== 'string' || body.pwd !== user.pwd) {
          return err(MSG.badCredentials, note)
        }
        note.user_id = user.user_id
        if (typeof body.machine_no !== 'string' || !machineNos.has(body.machine_no)) {
          return err(MSG.badMachine, note)
        }
        return json(
          { user_id: user.user_id, user_name: user.user_name },
          { ...note, outcome: 'ok' },
        )
      },

      getpros(body, _req, note) {
        const user = usersById.get(asId(body.user_id) ?? 0)
        if (!user) return err(MSG.userNotFound, note)
        // Expired projects stay listed (their end_date says so); getpackages refuses them.
        const projects = user.projectIds
          .map((id) => projectsById.get(id))
          .filter((p): p is SeedProject => p !== undefined)
          .map(({ pro_id, pro_name, start_date, end_date }) => ({
            pro_id,
            pro_name,
            start_date,
            end_date,
          }))
        return json({ projects }, { ...note, outcome: 'ok' })
      },

      getpackages(body, _req, note) {
        const user = usersById.get(asId(body.user_id) ?? 0)
        if (!user) return err(MSG.userNotFound, note)
        const project = projectsById.get(asId(body.pro_id) ?? 0)
        if (!project || project.expired) return err(MSG.projectGone, note)
        if (!user.projectIds.includes(project.pro_id)) return err(MSG.projectForbidden, note)
        const packages = project.packages.map(({ package_id, package_name }) => ({
          package_id,
          package_name,
        }))
        return json({ packages }, { ...note, outcome: 'ok' })
      },

      getphone(body, _req, note) {
        const user = usersById.get(asId(body.user_id) ?? 0)
        if (!user) return err(MSG.userNotFound, note)
        const pkg = packagesById.get(asId(body.package_id) ?? 0)
        if (!pkg) return err(MSG.packageNotFound, note)
        const project = projectsById.get(pkg.pro_id)
        if (!project || project.expired) return err(MSG.projectGone, note)
        if (!user.projectIds.includes(project.pro_id)) return err(MSG.projectForbidden, note)
        const handedOut = dispensed.get(pkg.package_id) ?? []
        const taken = new Set(handedOut.map((d) => d.phone_no))
        const phone = pkg.phones.find((p) => !taken.has(p))
        if (phone === undefined) return err(MSG.exhausted, note)
        const entry: WeixinDispensed = {
          phone_id: phoneIds.get(phone) ?? 0,
          phone_no: phone,
          owner_name: world.people.get(phone)?.ownerName ?? '',
          user_id: user.user_id,
          package_id: pkg.package_id,
          pro_id: pkg.pro_id,
          at: new Date().toISOString(),
        }
        handedOut.push(entry)
        dispensed.set(pkg.package_id, handedOut)
        note.phone = phone
        return json(
          { phone_id: entry.phone_id, phone_no: entry.phone_no, owner_name: entry.owner_name },
          { ...note, outcome: 'ok' },
        )
      },

      getcallback(_body, _req, note) {
        return json({ call_back_item: world.callbackItems.map((i) => ({ ...i })) }, note)
      },

      savecallback(body, _req, note) {
        // The document's own spelling, trailing space included.
        const answer = (errmsg: string): SandboxResponse =>
          json({ 'errmsg ': errmsg }, { ...note, outcome: errmsg })
        const user = usersById.get(asId(body.user_id) ?? 0)
        const pkg = packagesById.get(asId(body.package_id) ?? 0)
        const project = projectsById.get(asId(body.pro_id) ?? 0)
        const phone = asDialled(body.phone_no)
        const owner = asOwner(body.owner_name)
        const item = asText(body.call_back_item_name)
        if (
          !user ||
          !pkg ||
          !project ||
          pkg.pro_id !== project.pro_id ||
          phone === undefined ||
          owner === undefined ||
          item === undefined ||
          !callbackNames.has(item)
        ) {
          return answer(MSG.badData)
        }
        callbacks.push({
          user_id: user.user_id,
          phone_no: phone,
          owner_name: owner,
          package_id: pkg.package_id,
          pro_id: project.pro_id,
          call_back_item_name: item,
          received_at: new Date().toISOString(),
        })
        return answer('ok')
      },

      get_customer_type(_body, _req, note) {
        return json({ customer_type: world.customerTypes.map((t) => ({ ...t })) }, note)
      },

      get_gender_type(_body, _req, note) {
        return json({ gender_type: world.genderTypes.map((t) => ({ ...t })) }, note)
      },

      save_to_customer(body, _req, note) {
        const user = usersById.get(asId(body.reg_user_id) ?? 0)
        const name = asText(body.customer_name)
        const phone = asMobile(body.customer_phone)
        const gender = typeof body.gender_type === 'string' ? body.gender_type : ''
        const type = typeof body.customer_type === 'string' ? body.customer_type : ''
        const recommend = asText(body.recommend)
        const follow = asText(body.follow_content)
        if (
          !user ||
          name === undefined ||
          phone === undefined ||
          !genderValues.has(gender) ||
          !customerValues.has(type) ||
          recommend === undefined ||
          follow === undefined
        ) {
          return err(MSG.badData, note)
        }
        customers.push({
          reg_user_id: user.user_id,
          customer_name: name,
          customer_phone: phone,
          gender_type: gender,
          customer_type: type,
          recommend,
          follow_content: follow,
          received_at: new Date().toISOString(),
        })
        return json({ errmsg: 'ok' }, { ...note, outcome: 'ok' })
      },

      get_server_url(_body, req, note) {
        const host = typeof req.headers.host === 'string' ? req.headers.host : '127.0.0.1'
        return json({ server_url: serverUrl ?? `${host}/estate` }, note)
      },

      get_user_status(body, _req, note) {
        const raw = body.enroll_number
        const num =
          typeof raw === 'number' && Number.isSafeInteger(raw) && raw >= 0
            ? String(raw)
            : typeof raw === 'string' && /^\d+$/.test(raw.trim())
              ? raw.trim()
              : undefined
        if (num === undefined) return err(MSG.badData, note)
        const user = world.users.find((u) => stripZeros(u.user_num) === stripZeros(num))
        if (!user) return err(MSG.staffNotFound, note)
        note.user_id = user.user_id
        return json({ user_status: statusOf.get(user.user_num) ?? user.status }, note)
      },
    }

  return {
    name: 'weixin',

    keyOf(req) {
      return req.path === ACTION_PATH ? (req.query.get('action_name') ?? '') : req.path
    },

    handle(req) {
      if (req.path !== ACTION_PATH) {
        return { status: 404, body: 'Not Found', contentType: 'text/plain; charset=utf-8' }
      }
      const action = req.query.get('action_name') ?? ''
      const note: Note = { action }
      const handler = Object.hasOwn(handlers, action) ? handlers[action] : undefined
      const method = METHODS[action]
      if (!handler || !method) return err(MSG.unknownAction, note)
      if (req.method !== method) return err(MSG.wrongMethod, note)
      let body: Body = {}
      if (method === 'POST') {
        const parsed = req.json
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
          return action === 'savecallback'
            ? json({ 'errmsg ': MSG.badData }, { ...note, outcome: MSG.badData })
            : err(MSG.badData, note)
        }
        body = parsed as Body
        const userId = body.user_id ?? body.reg_user_id
        if (userId !== undefined) note.user_id = userId
        const phone = body.phone_no ?? body.customer_phone
        if (phone !== undefined) note.phone = phone
      }
      return handler(body, req, note)
    },

    tamper(res, req) {
      const body = res.body
      if (typeof body !== 'object' || body === null) return res
      const b = body as Record<string, unknown>
      const action = req.query.get('action_name') ?? ''
      let out: unknown
      if ('errmsg' in b || 'errmsg ' in b) {
        // The errmsg key renamed: neither an error nor a success the client can recognise.
        const { errmsg, 'errmsg ': spaced, ...rest } = b
        out = { ...rest, result: errmsg ?? spaced }
      } else if (action === 'login') out = { ...b, user_id: String(b.user_id) }
      else if (action === 'getphone') out = { ...b, phone_no: Number(b.phone_no) }
      else if (action === 'getpros') out = { project_list: b.projects }
      else if (action === 'getpackages') {
        const list = Array.isArray(b.packages) ? (b.packages as Record<string, unknown>[]) : []
        out = { packages: list.map((p) => ({ id: p.package_id, name: p.package_name })) }
      } else if (action === 'getcallback') out = { callback_items: b.call_back_item }
      else if (action === 'get_customer_type') out = { customer_types: b.customer_type }
      else if (action === 'get_gender_type') out = { gender: b.gender_type }
      else if (action === 'get_server_url') out = { serverUrl: b.server_url }
      else if (action === 'get_user_status') out = { status: b.user_status }
      else out = { tampered: true }
      return { ...res, body: out }
    },

    reset() {
      dispensed = new Map()
      callbacks = []
      customers = []
      serverUrl = opts.serverUrl
      statusOf = new Map()
    },

    state() {
      const byPackage: Record<string, WeixinDispensed[]> = {}
      for (const [id, list] of dispensed) byPackage[String(id)] = list.map((d) => ({ ...d }))
      return {
        dispensed: byPackage,
        callbacks: callbacks.map((c) => ({ ...c })),
        customers: customers.map((c) => ({ ...c })),
      }
    },

    setServerUrl(url) {
      serverUrl = url
    },

    setUserStatus(userNum, status) {
      if (!world.users.some((u) => u.user_num === userNum)) throw new Error(`no agent ${userNum}`)
      statusOf.set(userNum, status)
    },
  }
}
