import type { DataCenterClient } from '../../core/datacenter/client'
import type { RefCache } from '../db/ref-cache'
import { everyPage, ListedMap } from './listed-map'

export interface ConsultantResolverOptions {
  cache?: Pick<RefCache, 'get' | 'put'> | null
  now?: () => number
  /** a 工号 not in the map triggers a new listing only this long after the last one */
  minRefreshMs?: number
  pageSize?: number
}

/** What the Data Center knows of an agent's 工号. */
export type ConsultantLookup =
  { found: true; userGUID: string } | { found: false; reason: 'unknown' | 'disabled' }

/**
 * The Data Center consultant (置业顾问) an agent reports as: base_consultant_list (§4.1.5) lists
 * every consultant with its 账号 (userCode); the agent's 工号 is that 账号. The map keeps only
 * 工号 → userGUID (never the listed password), cached per Data Center appid (listed-map.ts). A
 * consultant listed as isDisabled 1 is kept as disabled, so the agent is told so instead of
 * the report failing at the Data Center later.
 */
export class ConsultantResolver {
  private readonly map: ListedMap

  constructor(opts: ConsultantResolverOptions = {}) {
    const pageSize = opts.pageSize ?? 200
    this.map = new ListedMap(
      'datacenter.consultants',
      async (dc, signal) => {
        const rows = await everyPage(
          async (page) =>
            (await dc.call('base_consultant_list', { page, pageSize }, signal ? { signal } : {}))
              .content,
        )
        const byCode: Record<string, string> = {}
        for (const c of rows) {
          const code = c.userCode.trim()
          // an enabled consultant wins over a disabled one with the same 账号 ('' = disabled)
          if (!code || byCode[code]) continue
          byCode[code] = c.isDisabled === 1 ? '' : c.userGUID
        }
        return byCode
      },
      opts,
    )
  }

  async resolve(
    dc: Pick<DataCenterClient, 'call'>,
    appid: string,
    userNum: string,
    signal?: AbortSignal,
  ): Promise<ConsultantLookup> {
    const guid = await this.map.lookup(dc, appid, userNum.trim(), signal)
    if (guid === null) return { found: false, reason: 'unknown' }
    if (guid === '') return { found: false, reason: 'disabled' }
    return { found: true, userGUID: guid }
  }

  /** The Data Center answered 4002 for the mapped consultant: list again before the next use. */
  invalidate(appid: string): void {
    this.map.invalidate(appid)
  }
}
