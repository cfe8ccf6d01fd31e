import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  CDP_DEFAULT_HOST_HEADER,
  CdpClient,
  cdpDisplayTags,
  type CdpTags,
} from '../../../electron/core/enrichment/cdp'
import { RemoteError } from '../../../electron/core/errors'
import { nodeHttpTransport, type HttpTransport } from '../../../electron/core/http/transport'
import { createCdpServerDef } from '../../../electron/sandbox/cdp'
import { SandboxServer } from '../../../electron/sandbox/framework'
import {
  createSeedWorld,
  SANDBOX_ENRICHMENT,
  type SeedPerson,
} from '../../../electron/sandbox/seed'

const world = createSeedWorld(1, '2026-11-22')
const people = [...world.people.values()]
const withTags = people.filter((p) => p.cdp !== undefined)
const withoutTags = people.filter((p) => p.cdp === undefined)
const project = world.projects[0]!
/** the CDP's own id for the project, which is not the weixin pro_id */
const cdpId = project.cdpProjectId!

let server: SandboxServer
let client: CdpClient

beforeAll(async () => {
  server = new SandboxServer(createCdpServerDef(world))
  await server.listen(0)
  client = new CdpClient({ baseUrl: server.url, hostHeader: SANDBOX_ENRICHMENT.cdpHost })
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

/** Serves one canned body through the real parser. */
function cannedTransport(body: unknown, status = 200): HttpTransport {
  return () =>
    Promise.resolve({
      status,
      headers: {},
      text: typeof body === 'string' ? body : JSON.stringify(body),
    })
}

describe('CdpClient against the sandbox', () => {
  it('returns the tags of a known number, sending the query and the Host header', async () => {
    expect(withTags.length).toBeGreaterThan(3)
    for (const person of withTags.slice(0, 4)) {
      const tags = await client.getTags({ projectId: cdpId, phone: person.phone })
      expect(tags).not.toBeNull()
      expect(tags!.user_phone).toBe(person.phone)
      expect(tags!.one_id).toBe(person.cdp!.oneId)
      expect(tags!.uid).toBe(person.cdp!.uid)
      expect(tags!.project_id).toBe(cdpId)
      expect(tags!.project_name).toBe(project.pro_name)
      expect(typeof tags!.id).toBe('number')
      expect(['是', '否']).toContain(tags!.cloud_ad)
    }
    const records = server.getRecords()
    expect(records).toHaveLength(4)
    const first = records[0]!
    expect(first.method).toBe('GET')
    expect(first.path).toBe('/9afc')
    expect(first.headers.host).toBe(SANDBOX_ENRICHMENT.cdpHost)
    expect(first.query).toEqual({
      project_id: cdpId,
      user_phone: withTags[0]!.phone,
    })
    expect(first.note).toMatchObject({ phone: withTags[0]!.phone, outcome: 'found' })
  })

  it('sends oneid when given; a oneid that is not the number’s has no tags', async () => {
    const person = withTags[1]!
    const tags = await client.getTags({
      projectId: '300',
      phone: person.phone,
      oneId: person.cdp!.oneId,
    })
    expect(tags?.one_id).toBe(person.cdp!.oneId)
    expect(server.getRecords()[0]!.query.oneid).toBe(person.cdp!.oneId)
    const other = await client.getTags({
      projectId: '300',
      phone: person.phone,
      oneId: 'f'.repeat(32),
    })
    expect(other).toBeNull()
  })

  it('the CDP’s project ids are its own: a weixin pro_id, or an id it lacks, has no tags', async () => {
    const person = withTags[0]!
    expect(cdpId).not.toBe(String(project.pro_id))
    expect(await client.getTags({ projectId: project.pro_id, phone: person.phone })).toBeNull()
    expect(await client.getTags({ projectId: '9999', phone: person.phone })).toBeNull()
    expect(server.getRecords().map((r) => r.note?.outcome)).toEqual([
      'unknown-project',
      'unknown-project',
    ])
    // the long-named project is not on the CDP at all
    expect(world.projects.filter((p) => !p.cdpProjectId).length).toBeGreaterThanOrEqual(1)
  })

  it('a number the platform has no tags for is null', async () => {
    expect(await client.getTags({ projectId: '300', phone: withoutTags[0]!.phone })).toBeNull()
    let unknown = '19900000000'
    while (world.people.has(unknown)) unknown = String(Number(unknown) + 1)
    expect(await client.getTags({ projectId: '300', phone: unknown })).toBeNull()
    expect(server.getRecords().map((r) => r.note?.outcome)).toEqual(['no-data', 'no-data'])
  })

  it('the default Host header is the documented value and the sandbox accepts it', async () => {
    expect(CDP_DEFAULT_HOST_HEADER).toBe(SANDBOX_ENRICHMENT.cdpHost)
    const plain = new CdpClient({ baseUrl: `${server.url}/` })
    const tags = await plain.getTags({ projectId: 300, phone: withTags[2]!.phone })
    expect(tags?.user_phone).toBe(withTags[2]!.phone)
  })

  it('a wrong Host header is answered 404 by the gateway: an http error', async () => {
    const wrong = new CdpClient({ baseUrl: server.url, hostHeader: 'other.ipaas.myqcloud.com' })
    const e = await rejection(wrong.getTags({ projectId: '300', phone: withTags[0]!.phone }))
    expect(e.kind).toBe('http')
    expect(e.status).toBe(404)
    expect(e.system).toBe('cdp')
    // Without the header, the URL's own host reaches the sandbox: also 404.
    const raw = await nodeHttpTransport('cdp', {
      method: 'GET',
      url: `${server.url}/9afc?project_id=300&user_phone=${withTags[0]!.phone}`,
    })
    expect(raw.status).toBe(404)
  })

  it('another path is a 404 too', async () => {
    const wrongPath = new CdpClient({ baseUrl: server.url, path: '/9afd' })
    const e = await rejection(wrongPath.getTags({ projectId: '300', phone: withTags[0]!.phone }))
    expect(e.kind).toBe('http')
    expect(e.status).toBe(404)
  })

  it.each([
    [{ projectId: '', phone: '13800138000' }, 'project_id'],
    [{ projectId: '30 0', phone: '13800138000' }, 'project_id'],
    [{ projectId: '300', phone: '1380013800' }, 'user_phone'],
    [{ projectId: '300', phone: '23800138000' }, 'user_phone'],
    [{ projectId: '300', phone: '138-0013-800' }, 'user_phone'],
    [{ projectId: '300', phone: '13800138000', oneId: 'a b' }, 'oneid'],
  ])('rejects %o locally, naming %s', async (query, field) => {
    const e = await rejection(client.getTags(query))
    expect(e.kind).toBe('invalid-request')
    expect(e.field).toBe(field)
    expect(e.message).toMatch(/[\u4e00-\u9fa5]/)
    expect(server.getRecords()).toHaveLength(0)
  })

  it.each([
    ['project_id', 40001, /project_id/],
    ['user_phone', 40001, /user_phone/],
  ])(
    'the server’s own error for a missing %s is a remote error with its code',
    async (drop, code, text) => {
      // Strips the parameter on the way out, to reach the server's check past the local one.
      const stripping: HttpTransport = (system, req) => {
        const url = new URL(req.url)
        url.searchParams.delete(drop)
        return nodeHttpTransport(system, { ...req, url: url.toString() })
      }
      const c = new CdpClient({ baseUrl: server.url, transport: stripping })
      const e = await rejection(c.getTags({ projectId: '300', phone: withTags[0]!.phone }))
      expect(e.kind).toBe('remote')
      expect(e.code).toBe(code)
      expect(e.message).toMatch(text)
      expect(e.message).toContain('缺少必填参数')
    },
  )

  it('a malformed phone reaching the server gets its format error', async () => {
    const rewriting: HttpTransport = (system, req) => {
      const url = new URL(req.url)
      url.searchParams.set('user_phone', '12345')
      return nodeHttpTransport(system, { ...req, url: url.toString() })
    }
    const c = new CdpClient({ baseUrl: server.url, transport: rewriting })
    const e = await rejection(c.getTags({ projectId: '300', phone: withTags[0]!.phone }))
    expect(e.kind).toBe('remote')
    expect(e.code).toBe(40002)
    expect(e.message).toContain('手机号格式错误')
  })
})

describe('CdpClient response reading', () => {
  const base = { baseUrl: 'http://127.0.0.1:9' }
  const phone = '18667159700'

  it('reads the document’s example (all strings) and the table’s int typing alike', async () => {
    const example = {
      error_code: 0,
      data: {
        id: '1',
        one_id: '00002154e803eb148f340543eb3fd85a',
        uid: '255a2fe45b2e4d268489f11b1b5685ad',
        user_name: '王',
        user_phone: phone,
        project_id: '242',
        project_name: '杭州亚运村运动员村',
        project_name_quarter: '',
        project_name_half: '',
        opinions_area: '',
        valid_wake_clue: '',
        valid_wake_pub_clue: '',
        cloud_ad: '',
        cloud_meet: '',
        cloud_counsel: '',
        other_project_owner: '否',
        cust_interval_action: '',
      },
    }
    const a = await new CdpClient({ ...base, transport: cannedTransport(example) }).getTags({
      projectId: 242,
      phone,
    })
    expect(a).toMatchObject({
      id: 1,
      project_id: '242',
      other_project_owner: '否',
      opinions_project: '',
    })
    const typed = {
      error_code: '0',
      data: { ...example.data, id: 7, project_id: 242, other_project_owner: 0 },
    }
    const b = await new CdpClient({ ...base, transport: cannedTransport(typed) }).getTags({
      projectId: 242,
      phone,
    })
    expect(b).toMatchObject({ id: 7, project_id: '242', other_project_owner: '0' })
  })

  it.each([[{ error_code: 0 }], [{ error_code: 0, data: {} }], [{ error_code: 0, data: [] }]])(
    'reads %o as no tags',
    async (body) => {
      const c = new CdpClient({ ...base, transport: cannedTransport(body) })
      expect(await c.getTags({ projectId: 1, phone })).toBeNull()
    },
  )

  it('a non-zero error_code without text still names the code', async () => {
    const c = new CdpClient({
      ...base,
      transport: cannedTransport({ error_code: 50010, data: null }),
    })
    const e = await rejection(c.getTags({ projectId: 1, phone }))
    expect(e.kind).toBe('remote')
    expect(e.code).toBe(50010)
    expect(e.message).toContain('50010')
  })

  it('tags about another number are a shape error', async () => {
    const body = { error_code: 0, data: { user_phone: '13900000000', one_id: 'x' } }
    const e = await rejection(
      new CdpClient({ ...base, transport: cannedTransport(body) }).getTags({ projectId: 1, phone }),
    )
    expect(e.kind).toBe('shape')
    expect(e.field).toBe('data.user_phone')
  })

  it('a value of the wrong type names its field', async () => {
    const body = { error_code: 0, data: { user_phone: phone, cloud_meet: { at: 1 } } }
    const e = await rejection(
      new CdpClient({ ...base, transport: cannedTransport(body) }).getTags({ projectId: 1, phone }),
    )
    expect(e.kind).toBe('shape')
    expect(e.field).toBe('data.cloud_meet')
  })
})

describe('cdpDisplayTags', () => {
  const empty = (): CdpTags => ({
    id: 1,
    one_id: '',
    uid: '',
    user_name: '',
    user_phone: '',
    project_id: '',
    project_name: '',
    project_name_quarter: '',
    project_name_half: '',
    opinions_area: '',
    opinions_project: '',
    valid_wake_clue: '',
    valid_wake_pub_clue: '',
    cloud_ad: '',
    cloud_meet: '',
    cloud_counsel: '',
    other_project_owner: '',
    cust_interval_action: '',
  })

  it('labels the non-empty tags in display order and skips the empty ones', () => {
    const tags = {
      ...empty(),
      cloud_meet: '2026-11-20 14:30:00',
      project_name_quarter: '万科东荟城',
      opinions_area: '  ',
      other_project_owner: '否',
      valid_wake_pub_clue: '是',
      cust_interval_action: '有过主动咨询',
    }
    expect(cdpDisplayTags(tags)).toEqual([
      { key: 'project_name_quarter', label: '近3个月到访楼盘', value: '万科东荟城' },
      { key: 'valid_wake_pub_clue', label: '可唤醒公客', value: '是' },
      { key: 'cloud_meet', label: '预约时间', value: '2026-11-20 14:30:00' },
      { key: 'other_project_owner', label: '其他楼盘业主', value: '否' },
      { key: 'cust_interval_action', label: '跟进间隙客户行为', value: '有过主动咨询' },
    ])
    expect(cdpDisplayTags(empty())).toEqual([])
  })

  it('covers every seeded person’s non-empty display fields', async () => {
    const person: SeedPerson = withTags[3]!
    const tags = await client.getTags({ projectId: cdpId, phone: person.phone })
    const shown = cdpDisplayTags(tags!)
    for (const item of shown) {
      expect(item.value.trim()).not.toBe('')
      expect(tags![item.key]).toBe(item.value)
    }
    expect(shown.map((t) => t.key)).toContain('cloud_ad')
    expect(shown.map((t) => t.key)).not.toContain('user_phone')
  })
})
