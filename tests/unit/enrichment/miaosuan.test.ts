import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  MIAOSUAN_CUSTOMER_TYPE_NAMES,
  MIAOSUAN_STATUS_NAMES,
  MiaosuanClient,
  summariseMiaosuanCustomer,
} from '../../../electron/core/enrichment/miaosuan'
import { RemoteError } from '../../../electron/core/errors'
import { nodeHttpTransport, type HttpTransport } from '../../../electron/core/http/transport'
import { SandboxServer } from '../../../electron/sandbox/framework'
import { createMiaosuanServerDef, customerFor } from '../../../electron/sandbox/miaosuan'
import { createSeedWorld, SANDBOX_ENRICHMENT } from '../../../electron/sandbox/seed'

const world = createSeedWorld(1, '2026-11-22')
const customers = [...world.people.values()].filter((p) => p.miaosuanId !== undefined)
const userId = SANDBOX_ENRICHMENT.miaosuanUserId

let server: SandboxServer
let client: MiaosuanClient

beforeAll(async () => {
  server = new SandboxServer(createMiaosuanServerDef(world))
  await server.listen(0)
  client = new MiaosuanClient({ baseUrl: server.url, userId })
})
afterAll(async () => {
  await server.close()
})
beforeEach(() => server.reset())

async function rejection(p: Promise<unknown>): Promise<RemoteError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  )
  expect(e).toBeInstanceOf(RemoteError)
  return e as RemoteError
}

const canned =
  (body: unknown): HttpTransport =>
  () =>
    Promise.resolve({ status: 200, headers: {}, text: JSON.stringify(body) })

describe('MiaosuanClient against the sandbox', () => {
  it('returns a known customer with the status names, sending user_id as a header', async () => {
    expect(customers.length).toBeGreaterThan(3)
    for (const person of customers.slice(0, 5)) {
      const c = await client.getCustomer(person.miaosuanId!)
      expect(c.id).toBe(person.miaosuanId)
      expect(c.customer_phone).toBe(person.phone)
      expect(c.customer_name).toBe(person.ownerName)
      expect(c.status_id).toBeGreaterThanOrEqual(1)
      expect(c.statusName).toBe(MIAOSUAN_STATUS_NAMES[c.status_id!])
      expect(c.status).toBe(c.statusName)
      expect(c.customerTypeName).toBe(MIAOSUAN_CUSTOMER_TYPE_NAMES[c.customer_type!])
      expect(c.financeStatusName).toBe(c.finance_status === 1 ? '已录入合同' : '未录入合同')
      expect(c.follower_id).toBe(userId)
      expect(c.role_types?.every((r) => Array.isArray(r.users))).toBe(true)
    }
    const rec = server.getRecords()[0]!
    expect(rec.method).toBe('GET')
    expect(rec.path).toBe('/miaosuan/customer/detail')
    expect(rec.headers.user_id).toBe(String(userId))
    expect(rec.query).toEqual({ customer_id: String(customers[0]!.miaosuanId) })
    expect(rec.note).toMatchObject({
      customerId: String(customers[0]!.miaosuanId),
      outcome: 'found',
    })
  })

  it('accepts the id as a numeric string', async () => {
    const person = customers[1]!
    expect((await client.getCustomer(String(person.miaosuanId))).id).toBe(person.miaosuanId)
  })

  it('every field the document marks 必填 is in every answer, role_types and global_status too', async () => {
    // miaosuan-customer-detail.md's 响应参数 table (必填), plus the example's two extra fields
    const required = [
      'id',
      'status',
      'description',
      'customer_name',
      'customer_address',
      'customer_phone',
      'status_id',
      'customer_source',
      'customer_source_id',
      'customer_budget',
      'follower_name',
      'follower_id',
      'update_time',
      'customer_type',
      'finance_status',
      'finance_project_id',
      'role_types',
      'global_status',
    ]
    for (const person of customers) {
      const data = customerFor(world, person)
      for (const field of required)
        expect(field in data, `${person.miaosuanId} ${field}`).toBe(true)
    }
    const person = customers.find((p) => (customerFor(world, p).status_id as number) >= 4)!
    const c = await client.getCustomer(person.miaosuanId!)
    for (const field of required) expect(c).toHaveProperty(field)
    expect(c.globalStatusName).toMatch(/^(意向|成单|丢单|完工)$/)
    expect(c.role_types?.map((r) => r.role_name)).toEqual([
      '业务员',
      '设计师',
      '财务人员',
      '工程部经理',
      '项目经理',
      '施工队长',
    ])
    const shown = summariseMiaosuanCustomer(c)
    expect(shown).toContainEqual({ label: '总体状态', value: c.globalStatusName })
    expect(shown).toContainEqual({ label: '设计师', value: '夏冰' })
    // a role nobody holds (users: null) is not shown
    expect(shown.map((f) => f.label)).not.toContain('施工队长')
    const withBudget = customers.find((p) => (customerFor(world, p).customer_budget as number) > 0)!
    const b = await client.getCustomer(withBudget.miaosuanId!)
    expect(summariseMiaosuanCustomer(b)).toContainEqual({
      label: '预算',
      value: `${b.customer_budget} 万`,
    })
    // 必填 means present: an unknown budget arrives as 0 and is not shown as "0 万"
    const noBudget = customers.find((p) => customerFor(world, p).customer_budget === 0)
    if (noBudget) {
      const n = await client.getCustomer(noBudget.miaosuanId!)
      expect(summariseMiaosuanCustomer(n).map((f) => f.label)).not.toContain('预算')
    }
  })

  it('an unknown customer id is a remote error with Miaosuan’s code and text', async () => {
    const max = Math.max(...customers.map((p) => p.miaosuanId!))
    const e = await rejection(client.getCustomer(max + 1000))
    expect(e.kind).toBe('remote')
    expect(e.code).toBe(404)
    expect(e.message).toContain('客户不存在')
  })

  it.each([[0], [-3], [1.5], ['abc'], [''], ['12a']])(
    'rejects customer id %o locally',
    async (id) => {
      const e = await rejection(client.getCustomer(id))
      expect(e.kind).toBe('invalid-request')
      expect(e.field).toBe('customer_id')
      expect(server.getRecords()).toHaveLength(0)
    },
  )

  it('rejects a missing or malformed user id locally', async () => {
    for (const bad of [0, '', 'x38']) {
      const c = new MiaosuanClient({ baseUrl: server.url, userId: bad })
      const e = await rejection(c.getCustomer(customers[0]!.miaosuanId!))
      expect(e.kind).toBe('invalid-request')
      expect(e.field).toBe('user_id')
    }
    expect(server.getRecords()).toHaveLength(0)
  })

  it('a request without the user_id header is refused by the server', async () => {
    const stripping: HttpTransport = (system, req) => {
      const headers = { ...req.headers }
      delete headers.user_id
      return nodeHttpTransport(system, { ...req, headers })
    }
    const c = new MiaosuanClient({ baseUrl: server.url, userId, transport: stripping })
    const e = await rejection(c.getCustomer(customers[0]!.miaosuanId!))
    expect(e.kind).toBe('remote')
    expect(e.code).toBe(401)
    expect(e.message).toContain('user_id')
  })

  it('an unknown user is refused by the server', async () => {
    const c = new MiaosuanClient({ baseUrl: server.url, userId: userId + 1 })
    const e = await rejection(c.getCustomer(customers[0]!.miaosuanId!))
    expect(e.kind).toBe('remote')
    expect(e.code).toBe(403)
  })

  it('a malformed customer_id reaching the server gets its parameter error', async () => {
    const rewriting: HttpTransport = (system, req) =>
      nodeHttpTransport(system, {
        ...req,
        url: req.url.replace(/customer_id=\d+/, 'customer_id=abc'),
      })
    const c = new MiaosuanClient({ baseUrl: server.url, userId, transport: rewriting })
    const e = await rejection(c.getCustomer(1))
    expect(e.code).toBe(400)
    expect(e.message).toContain('customer_id')
  })
})

describe('MiaosuanClient response reading', () => {
  const base = { baseUrl: 'http://127.0.0.1:1', userId: 38 }
  const example = {
    code: 0,
    msg: '成功',
    data: {
      id: 1,
      status: '定金',
      global_status: 0,
      finance_status: 0,
      finance_project_id: 1,
      description: '4室2厅,大概380平米',
      community_name: '小区名称',
      room_number: '门牌号',
      customer_name: '张先生111',
      customer_address: '上海绿城10号1002',
      customer_phone: '15612341234',
      status_id: 2,
      customer_source: '线上流量',
      customer_source_id: 1,
      customer_budget: 60.0,
      customer_type: 1,
      follower_name: '金苹果',
      follower_id: 38,
      update_time: '03-09 14:56:50',
      role_types: [
        { role_type: 0, role_name: '业务员', role_description: '角色说明', users: null },
        {
          role_type: 1,
          role_name: '设计师',
          role_description: '角色说明',
          users: [{ user_id: 3, user_name: '夏冰', user_phone: '18616632553' }],
        },
      ],
    },
  }

  it('reads the document’s example', async () => {
    const c = await new MiaosuanClient({ ...base, transport: canned(example) }).getCustomer(1)
    expect(c).toMatchObject({
      id: 1,
      statusName: '定金',
      customerTypeName: '意愿较强',
      financeStatusName: '未录入合同',
      globalStatusName: '意向',
      customer_budget: 60,
    })
    expect(c.role_types?.[0]?.users).toEqual([])
    expect(c.role_types?.[1]?.users[0]?.user_name).toBe('夏冰')
  })

  it.each([
    [{ status_id: 10 }, 'data.status_id'],
    [{ status_id: '定金' }, 'data.status_id'],
    [{ customer_type: 4 }, 'data.customer_type'],
    [{ finance_status: 2 }, 'data.finance_status'],
    [{ customer_budget: 'lots' }, 'data.customer_budget'],
  ])('an undocumented value %o is a shape error naming %s', async (patch, field) => {
    const body = { ...example, data: { ...example.data, ...patch } }
    const e = await rejection(
      new MiaosuanClient({ ...base, transport: canned(body) }).getCustomer(1),
    )
    expect(e.kind).toBe('shape')
    expect(e.field).toBe(field)
  })

  it('maps every documented status', async () => {
    for (const [id, name] of Object.entries(MIAOSUAN_STATUS_NAMES)) {
      const body = { code: 0, msg: '成功', data: { id: 5, status_id: Number(id) } }
      const c = await new MiaosuanClient({ ...base, transport: canned(body) }).getCustomer(5)
      expect(c.statusName).toBe(name)
    }
  })

  it('a detail for another customer, or none at all, is a shape error', async () => {
    const other = await rejection(
      new MiaosuanClient({ ...base, transport: canned(example) }).getCustomer(2),
    )
    expect(other.field).toBe('data.id')
    const none = await rejection(
      new MiaosuanClient({
        ...base,
        transport: canned({ code: 0, msg: '成功', data: null }),
      }).getCustomer(1),
    )
    expect(none.kind).toBe('shape')
    expect(none.field).toBe('data')
  })

  it('a non-zero code without text names the code', async () => {
    const e = await rejection(
      new MiaosuanClient({ ...base, transport: canned({ code: 500 }) }).getCustomer(1),
    )
    expect(e.kind).toBe('remote')
    expect(e.code).toBe(500)
    expect(e.message).toContain('500')
  })
})
