import type { DataCenterClient } from '../../core/datacenter/client'
import type { RefCache } from '../db/ref-cache'
import { everyPage, ListedMap } from './listed-map'

export interface ProjectResolverOptions {
  cache?: Pick<RefCache, 'get' | 'put'> | null
  now?: () => number
  /** a name not in the map triggers a new listing only this long after the last one */
  minRefreshMs?: number
  pageSize?: number
}

/**
 * Maps a weixin project to the Data Center's projGUID by exact name (surrounding spaces aside),
 * from base_project_list, cached per Data Center appid (listed-map.ts). Where several projects
 * share a name, a valid (status 1) last-level (ifEnd 1) one wins.
 */
export class ProjectResolver {
  private readonly map: ListedMap

  constructor(opts: ProjectResolverOptions = {}) {
    const pageSize = opts.pageSize ?? 200
    this.map = new ListedMap(
      'datacenter.projects',
      async (dc, signal) => {
        const rows = await everyPage(
          async (page) =>
            (await dc.call('base_project_list', { page, pageSize }, signal ? { signal } : {}))
              .content,
        )
        const byName: Record<string, string> = {}
        const rank: Record<string, number> = {}
        for (const p of rows) {
          const name = p.projName.trim()
          const r = (p.status === 1 ? 2 : 0) + (p.ifEnd === 1 ? 1 : 0)
          if (name && (rank[name] === undefined || r > rank[name])) {
            byName[name] = p.projGUID
            rank[name] = r
          }
        }
        return byName
      },
      opts,
    )
  }

  /** The projGUID for a name, or null when the Data Center has no such project. */
  async resolve(
    dc: Pick<DataCenterClient, 'call'>,
    appid: string,
    name: string,
    signal?: AbortSignal,
  ): Promise<string | null> {
    return (await this.map.lookup(dc, appid, name.trim(), signal)) || null
  }

  /** The map is wrong (the Data Center answered 4001 for one of its projGUIDs): list again. */
  invalidate(appid: string): void {
    this.map.invalidate(appid)
  }
}
