import type { SandboxRequest, SandboxResponse, SandboxServerDef } from './framework'
import { fnv1a, personRng, type Rng } from './random'
import { SANDBOX_ENRICHMENT, type SeedPerson, type SeedWorld } from './seed'

/**
 * The CDP tag lookup double (cdp-customer-tags.md). GET only, behind what behaves like an ingress
 * gateway: a Host other than the configured one, or another path, is a 404 page.
 *
 * Answers (HTTP 200, JSON):
 * - tags: {error_code: 0, data: {…}} with every value a string, as in the document's example;
 * - no tags for the number (or an oneid that is not the number's): {error_code: 0, data: null};
 * - the same for a project_id the CDP does not have: its ids are its own (SeedProject's
 *   cdpProjectId), not weixin's pro_id; the app learns them from the connection profile;
 * - project_id or user_phone missing: {error_code: 40001, error_msg: '缺少必填参数 …'};
 * - user_phone not an 11-digit mobile: {error_code: 40002, error_msg: '手机号格式错误'}.
 */

export interface CdpServerOptions {
  hostHeader?: string
  path?: string
}

const ACTIONS = ['有过主动咨询', '有过主动预约', '主动+经纪人企微', '通过广告页面进行预约'] as const

export function createCdpServerDef(
  world: SeedWorld,
  opts: CdpServerOptions = {},
): SandboxServerDef {
  const host = (opts.hostHeader ?? SANDBOX_ENRICHMENT.cdpHost).toLowerCase()
  const path = opts.path ?? '/9afc'
  const people = [...world.people.values()].filter((p) => p.cdp !== undefined)
  const byPhone = new Map(people.map((p) => [p.phone, p]))
  const projectNames = new Map(
    world.projects.flatMap((p) => (p.cdpProjectId ? [[p.cdpProjectId, p.pro_name] as const] : [])),
  )

  const handle = (req: SandboxRequest): SandboxResponse => {
    const projectId = req.query.get('project_id')?.trim() ?? ''
    const phone = req.query.get('user_phone')?.trim() ?? ''
    const oneId = req.query.get('oneid')?.trim() ?? ''
    const note = { phone, projectId }
    if (String(req.headers.host ?? '').toLowerCase() !== host || req.path !== path) {
      return { ...notFound(), note: { ...note, outcome: 'no-route', host: req.headers.host } }
    }
    if (req.method !== 'GET') {
      return {
        status: 405,
        body: 'Method Not Allowed',
        contentType: 'text/plain; charset=utf-8',
        note: { ...note, outcome: 'method' },
      }
    }
    for (const [name, value] of [
      ['project_id', projectId],
      ['user_phone', phone],
    ] as const) {
      if (value === '') {
        return answer(
          { error_code: 40001, error_msg: `缺少必填参数 ${name}` },
          { ...note, outcome: 'missing' },
        )
      }
    }
    if (!/^1\d{10}$/.test(phone)) {
      return answer({ error_code: 40002, error_msg: '手机号格式错误' }, { ...note, outcome: 'bad' })
    }
    const projectName = projectNames.get(projectId)
    if (projectName === undefined) {
      return answer({ error_code: 0, data: null }, { ...note, outcome: 'unknown-project' })
    }
    const person = byPhone.get(phone)
    if (!person?.cdp || (oneId !== '' && oneId !== person.cdp.oneId)) {
      return answer({ error_code: 0, data: null }, { ...note, outcome: 'no-data' })
    }
    const data = tagsFor(world, person, projectId, projectName)
    return answer({ error_code: 0, data }, { ...note, outcome: 'found' })
  }

  return {
    name: 'cdp',
    keyOf: (req) => req.path,
    handle,
    // Keeps the envelope but breaks a value's type, so only a client that checks data notices.
    tamper: (res) => {
      const body = res.body as { data?: Record<string, unknown> | null } | string
      if (typeof body !== 'object' || body === null) return res
      if (body.data) return { ...res, body: { ...body, data: { ...body.data, user_phone: [0] } } }
      return { ...res, body: { ...body, error_code: 'ok' } }
    },
    reset: () => {},
    state: () => ({
      hostHeader: host,
      path,
      projects: [...projectNames].map(([id, name]) => ({ id, name })),
      phones: people.map((p) => ({
        phone: p.phone,
        oneId: p.cdp?.oneId,
        projectId: p.cdp?.projectId,
      })),
    }),
  }
}

/** The same tags every time for a person and a world. */
export function tagsFor(
  world: SeedWorld,
  person: SeedPerson,
  projectId: string,
  projectName: string,
): Record<string, string> {
  const rng = personRng(world.seed, person.phone, 'cdp')
  const names = world.projects.map((p) => p.pro_name)
  const visitedQuarter = pickSome(rng, names, rng.int(0, 2))
  const visitedHalf = [...new Set([...visitedQuarter, ...pickSome(rng, names, rng.int(0, 2))])]
  const meet = rng.chance(0.35) ? meetingTime(rng, world.today) : ''
  const owner = rng.chance(0.2) ? rng.pick(names) : '否'
  const cdp = person.cdp
  return {
    id: String(1 + (fnv1a(person.phone) % 900_000)),
    one_id: cdp?.oneId ?? '',
    uid: cdp?.uid ?? '',
    user_name: person.ownerName.slice(0, 1),
    user_phone: person.phone,
    project_id: projectId,
    project_name: projectName,
    project_name_quarter: visitedQuarter.join(','),
    project_name_half: visitedHalf.join(','),
    opinions_area: rng.chance(0.75) ? `${person.city}${person.region}` : '',
    opinions_project: rng.chance(0.5) ? rng.pick(names) : '',
    valid_wake_clue: rng.chance(0.3) ? '是' : '',
    valid_wake_pub_clue: rng.chance(0.3) ? '是' : '',
    cloud_ad: rng.chance(0.5) ? '是' : '否',
    cloud_meet: meet,
    cloud_counsel: rng.chance(0.4) ? '是' : '否',
    other_project_owner: owner,
    cust_interval_action: rng.chance(0.4) ? rng.pick(ACTIONS) : '',
  }
}

function meetingTime(rng: Rng, today: string): string {
  const at = new Date(`${today}T00:00:00Z`)
  at.setUTCDate(at.getUTCDate() - rng.int(0, 30))
  const day = at.toISOString().slice(0, 10)
  const hh = String(rng.int(9, 19)).padStart(2, '0')
  const mm = rng.pick(['00', '30'])
  return `${day} ${hh}:${mm}:00`
}

function pickSome(rng: Rng, items: readonly string[], n: number): string[] {
  const out = new Set<string>()
  while (out.size < Math.min(n, items.length)) out.add(rng.pick(items))
  return [...out]
}

function answer(body: unknown, note: Record<string, unknown>): SandboxResponse {
  return { status: 200, body, note }
}

function notFound(): SandboxResponse {
  return {
    status: 404,
    contentType: 'text/html; charset=utf-8',
    body:
      '<html><head><title>404 Not Found</title></head><body><center><h1>404 Not Found</h1>' +
      '</center><hr><center>nginx</center></body></html>',
  }
}
