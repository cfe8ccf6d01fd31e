import type { DataCenterClient } from '../../core/datacenter/client'
import type { RefCache } from '../db/ref-cache'

interface ProjectMap {
  fetchedAt: number
  byName: Record<string, string>
}

export interface ProjectResolverOptions {
  cache?: Pick<RefCache, 'get' | 'put'> | null
  now?: () => number
  /** a name not in the map triggers a new listing only this long after the last one */
  minRefreshMs?: number
  pageSize?: number
}

/**
 * Maps a weixin project to the Data Center's projGUID by exact name (surrounding spaces aside),
 * from base_project_list. The map is cached in ref_cache (per Data Center appid), so delivery
 * works without listing projects each time; an unknown name lists them again, at most once per
 * minRefreshMs. Where several projects share a name, a valid (status 1) last-level (ifEnd 1) one
 * wins.
 */
export class ProjectResolver {
  private readonly cache: Pick<RefCache, 'get' | 'put'> | null
  private readonly now: () => number
  private readonly minRefreshMs: number
  private readonly pageSize: number
  private readonly maps = new Map<string, ProjectMap>()
  private readonly refreshing = new Map<string, Promise<ProjectMap>>()
  /** maps found wrong (a projGUID the Data Center did not know): listed again before use */
  private readonly stale = new Set<string>()

  constructor(opts: ProjectResolverOptions = {}) {
    this.cache = opts.cache ?? null
    this.now = opts.now ?? Date.now
    this.minRefreshMs = opts.minRefreshMs ?? 30_000
    this.pageSize = opts.pageSize ?? 200
  }

  private key(appid: string): string {
    return `datacenter.projects:${appid}`
  }

  private cached(appid: string): ProjectMap | null {
    const inMemory = this.maps.get(appid)
    if (inMemory) return inMemory
    const v = this.cache?.get(this.key(appid)) as ProjectMap | undefined
    if (v && typeof v.fetchedAt === 'number' && v.byName && typeof v.byName === 'object') {
      this.maps.set(appid, v)
      return v
    }
    return null
  }

  /** The projGUID for a name, or null when the Data Center has no such project. */
  async resolve(
    dc: Pick<DataCenterClient, 'call'>,
    appid: string,
    name: string,
    signal?: AbortSignal,
  ): Promise<string | null> {
    const wanted = name.trim()
    const map = this.stale.has(appid) ? null : this.cached(appid)
    const hit = map?.byName[wanted]
    if (hit) return hit
    if (map && this.now() - map.fetchedAt < this.minRefreshMs) return null
    const fresh = await this.refresh(dc, appid, signal)
    this.stale.delete(appid)
    return fresh.byName[wanted] ?? null
  }

  /** The map is wrong (the Data Center answered 4001 for one of its projGUIDs): list again. */
  invalidate(appid: string): void {
    this.stale.add(appid)
  }

  private refresh(
    dc: Pick<DataCenterClient, 'call'>,
    appid: string,
    signal?: AbortSignal,
  ): Promise<ProjectMap> {
    let p = this.refreshing.get(appid)
    if (!p) {
      p = this.list(dc, signal).finally(() => this.refreshing.delete(appid))
      this.refreshing.set(appid, p)
    }
    return p.then((map) => {
      this.maps.set(appid, map)
      try {
        this.cache?.put(this.key(appid), map)
      } catch {
        // a cache that cannot be written only costs a listing next time
      }
      return map
    })
  }

  private async list(
    dc: Pick<DataCenterClient, 'call'>,
    signal?: AbortSignal,
  ): Promise<ProjectMap> {
    const byName: Record<string, string> = {}
    const rank: Record<string, number> = {}
    let page = 1
    let total = 1
    // a bound, in case a server keeps answering with more pages
    while (page <= total && page <= 100) {
      const { content } = await dc.call(
        'base_project_list',
        { page, pageSize: this.pageSize },
        signal ? { signal } : {},
      )
      total = content.totalPage
      for (const p of content.list) {
        const name = p.projName.trim()
        const r = (p.status === 1 ? 2 : 0) + (p.ifEnd === 1 ? 1 : 0)
        if (name && (rank[name] === undefined || r > rank[name])) {
          byName[name] = p.projGUID
          rank[name] = r
        }
      }
      page++
    }
    return { fetchedAt: this.now(), byName }
  }
}
