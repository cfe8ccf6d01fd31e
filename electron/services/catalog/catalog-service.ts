import type { Project } from '../../../shared/domain'
import type { CatalogService } from '../../../shared/ipc/contract'
import type { WeixinProject } from '../../core/weixin/schemas'
import { z } from 'zod'
import { localDay } from '../../core/time'
import {
  callbackItemSchema,
  callPackageSchema,
  enumOptionSchema,
  projectSchema,
} from '../../../shared/domain'
import { isRemoteError } from '../../core/errors'
import type { ConnectionManager } from '../connections/connections'
import type { KeyValueCache } from '../db/ref-cache'
import type { ProjectDirectory } from './project-directory'
import type { SessionState } from '../session/session-state'
import type { ExhaustedPackages } from '../calling/exhausted-store'

export interface CatalogServiceDeps {
  connections: ConnectionManager
  state: SessionState
  projects: ProjectDirectory
  /** the last good answer of each list, for working while the server is unreachable */
  cache: KeyValueCache
  /** called-through packages, as the calling service records them */
  exhausted?: ExhaustedPackages
  now?: () => Date
}

/**
 * Calls the server and keeps the answer; when the server cannot be reached, answers from the
 * last kept copy (and only then: a business error is never papered over).
 */
async function withCache<T>(
  cache: KeyValueCache,
  key: string,
  schema: z.ZodType<T>,
  load: () => Promise<T>,
): Promise<T> {
  try {
    const value = await load()
    cache.put(key, value)
    return value
  } catch (e) {
    if (isRemoteError(e) && e.kind === 'network') {
      const kept = schema.safeParse(cache.get(key))
      if (kept.success) return kept.data
    }
    throw e
  }
}

/** yyyy-MM-dd of a moment in the machine's local time zone (the agent's calendar day) */
export function projectStatus(
  p: { startDate: string; endDate: string },
  today: string,
): Project['status'] {
  if (p.endDate < today) return 'expired'
  if (p.startDate > today) return 'upcoming'
  return 'current'
}

const statusOrder: Record<Project['status'], number> = { current: 0, upcoming: 1, expired: 2 }

/** Current projects first (ending soonest first), then upcoming, then expired. */
export function toProjects(raw: WeixinProject[], today: string): Project[] {
  return raw
    .map((p) => {
      const dates = { startDate: p.start_date, endDate: p.end_date }
      return { id: p.pro_id, name: p.pro_name, ...dates, status: projectStatus(dates, today) }
    })
    .sort(
      (a, b) =>
        statusOrder[a.status] - statusOrder[b.status] ||
        (a.status === 'expired'
          ? b.endDate.localeCompare(a.endDate)
          : a.endDate.localeCompare(b.endDate)) ||
        a.name.localeCompare(b.name, 'zh-CN'),
    )
}

/** Projects, packages and the enums. The enums change rarely: fetched once per connection. */
export function createCatalogService(deps: CatalogServiceDeps): CatalogService {
  const { connections, state, cache } = deps
  const now = deps.now ?? (() => new Date())
  const once = new Map<string, Promise<unknown>>()
  connections.onChange(() => once.clear())

  function cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    let p = once.get(key) as Promise<T> | undefined
    if (!p) {
      p = load()
      once.set(key, p)
      // a failure is not cached: the next call asks again
      p.catch(() => once.delete(key))
    }
    return p
  }

  return {
    async projects() {
      const user = state.require()
      const conns = await connections.get()
      const projects = await withCache(
        cache,
        `projects:${user.userId}`,
        z.array(projectSchema),
        async () =>
          toProjects(await conns.weixin.getProjects({ user_id: user.userId }), localDay(now())),
      )
      deps.projects.remember(projects)
      return projects
    },

    async packages({ projectId }) {
      const user = state.require()
      const conns = await connections.get()
      return withCache(
        cache,
        `packages:${user.userId}:${projectId}`,
        z.array(callPackageSchema),
        async () => {
          const raw = await conns.weixin.getPackages({ user_id: user.userId, pro_id: projectId })
          return raw.map((p) => ({ id: p.package_id, name: p.package_name, projectId }))
        },
      )
    },

    async callbackItems() {
      state.require()
      const conns = await connections.get()
      return cached('callback', () =>
        withCache(cache, 'callbackItems', z.array(callbackItemSchema), async () =>
          (await conns.weixin.getCallbackItems()).map((i) => ({
            index: i.index,
            name: i.item_name,
          })),
        ),
      )
    },

    async customerTypes() {
      state.require()
      const conns = await connections.get()
      return cached('customerTypes', () =>
        withCache(cache, 'customerTypes', z.array(enumOptionSchema), () =>
          conns.weixin.getCustomerTypes(),
        ),
      )
    },

    async exhaustedPackages() {
      const user = state.require()
      return deps.exhausted?.list(user.userId) ?? []
    },

    async genderTypes() {
      state.require()
      const conns = await connections.get()
      return cached('genderTypes', () =>
        withCache(cache, 'genderTypes', z.array(enumOptionSchema), () =>
          conns.weixin.getGenderTypes(),
        ),
      )
    },
  }
}
