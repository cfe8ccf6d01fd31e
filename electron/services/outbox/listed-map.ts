import type { DataCenterClient } from '../../core/datacenter/client'
import type { RefCache } from '../db/ref-cache'

/**
 * A name → Data Center GUID map built from a paged base-data list (§4.1), kept per Data Center
 * appid in memory and in ref_cache, so delivery does not list it each time. A name not in the map
 * lists it again, at most once per minRefreshMs; invalidate() forces the next lookup to list it
 * (the Data Center answered that one of its GUIDs is unknown). Concurrent listings of one appid
 * share one request.
 */

interface ListedEntries {
  fetchedAt: number
  byName: Record<string, string>
}

export type Lister = (
  dc: Pick<DataCenterClient, 'call'>,
  signal?: AbortSignal,
) => Promise<Record<string, string>>

export interface ListedMapOptions {
  cache?: Pick<RefCache, 'get' | 'put'> | null
  now?: () => number
  minRefreshMs?: number
}

export class ListedMap {
  private readonly cache: Pick<RefCache, 'get' | 'put'> | null
  private readonly now: () => number
  private readonly minRefreshMs: number
  private readonly maps = new Map<string, ListedEntries>()
  private readonly refreshing = new Map<string, Promise<ListedEntries>>()
  private readonly stale = new Set<string>()

  constructor(
    /** the ref_cache key prefix: `${prefix}:${appid}` */
    private readonly prefix: string,
    private readonly lister: Lister,
    opts: ListedMapOptions = {},
  ) {
    this.cache = opts.cache ?? null
    this.now = opts.now ?? Date.now
    this.minRefreshMs = opts.minRefreshMs ?? 30_000
  }

  private cached(appid: string): ListedEntries | null {
    const inMemory = this.maps.get(appid)
    if (inMemory) return inMemory
    const v = this.cache?.get(`${this.prefix}:${appid}`) as ListedEntries | undefined
    if (v && typeof v.fetchedAt === 'number' && v.byName && typeof v.byName === 'object') {
      this.maps.set(appid, v)
      return v
    }
    return null
  }

  /** The value for a name (an empty string is a value), or null when the list has no such name. */
  async lookup(
    dc: Pick<DataCenterClient, 'call'>,
    appid: string,
    name: string,
    signal?: AbortSignal,
  ): Promise<string | null> {
    const map = this.stale.has(appid) ? null : this.cached(appid)
    const hit = map?.byName[name]
    if (hit !== undefined) return hit
    if (map && this.now() - map.fetchedAt < this.minRefreshMs) return null
    const fresh = await this.refresh(dc, appid, signal)
    this.stale.delete(appid)
    return fresh.byName[name] ?? null
  }

  invalidate(appid: string): void {
    this.stale.add(appid)
  }

  private refresh(
    dc: Pick<DataCenterClient, 'call'>,
    appid: string,
    signal?: AbortSignal,
  ): Promise<ListedEntries> {
    let p = this.refreshing.get(appid)
    if (!p) {
      p = this.lister(dc, signal)
        .then((byName) => ({ fetchedAt: this.now(), byName }))
        .finally(() => this.refreshing.delete(appid))
      this.refreshing.set(appid, p)
    }
    return p.then((map) => {
      this.maps.set(appid, map)
      try {
        this.cache?.put(`${this.prefix}:${appid}`, map)
      } catch {
        // a cache that cannot be written only costs a listing next time
      }
      return map
    })
  }
}

/** Reads every page of a paged list (a bound of 100 pages, in case a server keeps going). */
export async function everyPage<T>(
  page: (n: number) => Promise<{ totalPage: number; list: T[] }>,
): Promise<T[]> {
  const out: T[] = []
  let total = 1
  for (let n = 1; n <= total && n <= 100; n++) {
    const r = await page(n)
    total = r.totalPage
    out.push(...r.list)
  }
  return out
}
