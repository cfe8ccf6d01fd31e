import type { SandboxRequest, SandboxResponse, SandboxServerDef } from './framework'
import { personRng } from './random'
import { SANDBOX_ENRICHMENT, type SeedPerson, type SeedWorld } from './seed'

/**
 * The Miaosuan customer detail double (miaosuan-customer-detail.md). GET only.
 *
 * Answers (HTTP 200, JSON {code, msg, data}):
 * - the customer: code 0, msg 成功, with every field the document marks 必填 (role_types and
 *   global_status, which only its example shows, included); a value the customer lacks is
 *   '' for text and 0 for finance_project_id (no contract); community_name and room_number,
 *   which only the example shows, are left out when unknown;
 * - customer_id missing or not a positive integer: code 400;
 * - user_id header missing or not a positive integer: code 401;
 * - a user_id the sandbox does not know (only the follower account exists): code 403;
 * - a customer id nobody has: code 404, msg 客户不存在.
 */

const PATH = '/miaosuan/customer/detail'
const STATUS = ['意向', '定金', '量房', '设计', '预算', '合同', '施工', '交付', '丢单'] as const
const SOURCES = ['线上流量', '老客户介绍', '自然到店', '小区推广', '家装展会'] as const
const LAYOUTS = ['2室1厅', '3室2厅', '4室2厅', '5室2厅'] as const
const FOLLOWER = { id: SANDBOX_ENRICHMENT.miaosuanUserId, name: '金苹果' }

export function createMiaosuanServerDef(world: SeedWorld): SandboxServerDef {
  const byId = new Map<number, SeedPerson>()
  for (const p of world.people.values()) if (p.miaosuanId !== undefined) byId.set(p.miaosuanId, p)

  const fail = (code: number, msg: string, note: Record<string, unknown>): SandboxResponse => ({
    status: 200,
    body: { code, msg, data: null },
    note: { ...note, outcome: code },
  })

  const handle = (req: SandboxRequest): SandboxResponse => {
    const rawId = req.query.get('customer_id')?.trim() ?? ''
    const note: Record<string, unknown> = { customerId: rawId }
    if (req.path !== PATH) return { status: 404, body: { code: 404, msg: 'Not Found' }, note }
    if (req.method !== 'GET') {
      return {
        status: 405,
        body: 'Method Not Allowed',
        contentType: 'text/plain; charset=utf-8',
        note,
      }
    }
    const userHeader = req.headers.user_id
    const userId = typeof userHeader === 'string' ? userHeader.trim() : ''
    note.userId = userId
    if (!/^[1-9]\d*$/.test(userId)) return fail(401, '缺少请求头 user_id 或格式不正确', note)
    if (Number(userId) !== FOLLOWER.id) return fail(403, '用户不存在或无权查看客户', note)
    if (!/^[1-9]\d*$/.test(rawId)) return fail(400, '参数错误：customer_id 必须是正整数', note)
    const person = byId.get(Number(rawId))
    if (!person) return fail(404, '客户不存在', note)
    return {
      status: 200,
      body: { code: 0, msg: '成功', data: customerFor(world, person) },
      note: { ...note, phone: person.phone, outcome: 'found' },
    }
  }

  return {
    name: 'miaosuan',
    keyOf: (req) => req.path,
    handle,
    // Keeps the envelope but breaks status_id's type, so only a client checking data notices.
    tamper: (res) => {
      const body = res.body as { data?: Record<string, unknown> | null } | string
      if (typeof body !== 'object' || body === null) return res
      if (body.data) return { ...res, body: { ...body, data: { ...body.data, status_id: '定金' } } }
      return { ...res, body: { ...body, code: 'tampered' } }
    },
    reset: () => {},
    state: () => ({
      userId: FOLLOWER.id,
      customers: [...byId].map(([id, p]) => ({ id, phone: p.phone })),
    }),
  }
}

/** The detail for a person, the same every time for a world; absent values are absent keys. */
export function customerFor(world: SeedWorld, person: SeedPerson): Record<string, unknown> {
  const id = person.miaosuanId ?? 0
  const rng = personRng(world.seed, person.phone, 'miaosuan')
  const statusId = rng.int(1, 9)
  const finance = statusId >= 6 && statusId <= 8 ? 1 : 0
  const globalStatus = statusId === 9 ? 2 : statusId === 8 ? 3 : statusId >= 6 ? 1 : 0
  const sourceIndex = rng.int(0, SOURCES.length - 1)
  const project = rng.pick(world.projects)
  const building = rng.int(1, 20)
  const room = `${rng.int(2, 32)}${String(rng.int(1, 4)).padStart(2, '0')}`
  const updated = new Date(`${world.today}T00:00:00Z`)
  updated.setUTCDate(updated.getUTCDate() - rng.int(0, 60))
  const p2 = (n: number): string => String(n).padStart(2, '0')
  const updateTime =
    `${p2(updated.getUTCMonth() + 1)}-${p2(updated.getUTCDate())} ` +
    `${p2(rng.int(9, 20))}:${p2(rng.int(0, 59))}:${p2(rng.int(0, 59))}`
  const data: Record<string, unknown> = {
    id,
    status: STATUS[statusId - 1],
    global_status: globalStatus,
    finance_status: finance,
    customer_name: person.ownerName,
    customer_phone: person.phone,
    status_id: statusId,
    customer_source: SOURCES[sourceIndex],
    customer_source_id: sourceIndex + 1,
    follower_name: FOLLOWER.name,
    follower_id: FOLLOWER.id,
    update_time: updateTime,
    customer_type: rng.int(1, 3),
  }
  data.finance_project_id = finance === 1 ? 5000 + id : 0
  data.description = rng.chance(0.7) ? `${rng.pick(LAYOUTS)},大概${rng.int(70, 260)}平米` : ''
  data.customer_address = ''
  if (rng.chance(0.8)) {
    data.community_name = project.pro_name
    data.room_number = `${building}栋${room}`
    data.customer_address = `${person.city}${person.region}${project.pro_name}${building}栋${room}`
  }
  // the example sends 60.00: a budget in 万, two decimals
  data.customer_budget = rng.chance(0.75) ? rng.int(8, 80) : 0
  data.role_types = [
    {
      role_type: 0,
      role_name: '业务员',
      role_description: '负责客户跟进',
      users: [{ user_id: FOLLOWER.id, user_name: FOLLOWER.name, user_phone: '13800000038' }],
    },
    {
      role_type: 1,
      role_name: '设计师',
      role_description: '负责方案设计',
      users: statusId >= 4 ? [{ user_id: 41, user_name: '夏冰', user_phone: '13800000041' }] : null,
    },
    { role_type: 2, role_name: '财务人员', role_description: '负责合同与收款', users: null },
    { role_type: 3, role_name: '工程部经理', role_description: '负责工程统筹', users: null },
    { role_type: 4, role_name: '项目经理', role_description: '负责施工现场', users: null },
    { role_type: 5, role_name: '施工队长', role_description: '负责施工班组', users: null },
  ]
  return data
}
