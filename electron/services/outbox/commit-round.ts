import type { Deliverer, OutboxConnections } from './delivery'
import type { Outcome, OutboxStore } from './outbox-store'
import { KINDS_OF, type Reachability } from './reachability'
import { systemOf, type OutboxRow, type OutboxSystem } from './rows'

export interface Claimed {
  row: OutboxRow
  system: OutboxSystem
  /** the one item sent to an offline system to see whether it is back */
  probe: boolean
}

export interface RoundInput {
  outcomes: readonly { id: string; outcome: Outcome }[]
  at: number
  /** the local queue has run dry: claim the next batch (when there are connections) */
  refill: boolean
  /** how many items may be claimed */
  room: number
  conns: OutboxConnections | null
  deliverer: Deliverer
  reach: Reachability
}

/**
 * One commit of the sync loop: the outcomes that came in are recorded and, on a refill, the next
 * batch is claimed (online systems first, then one probe per offline system that is due), all
 * in one transaction. Throws on a storage failure, with nothing committed.
 */
export function commitRound(
  store: OutboxStore,
  input: RoundInput,
): { applied: (OutboxRow | null)[]; claimed: Claimed[] } {
  const { outcomes, at: t, refill, conns, deliverer, reach } = input
  let applied: (OutboxRow | null)[] = []
  const claimed: Claimed[] = []
  const relaxed = outcomes.every((o) => o.outcome.type === 'delivered')
  store.transaction(
    () => {
      applied = outcomes.map((o) => store.applyOutcome(o.id, o.outcome, t))
      if (!conns || !refill) return
      const prepare = deliverer.prepare
        ? (row: OutboxRow) => deliverer.prepare?.(row, conns)
        : undefined
      // only the items of the connections' own profile: another profile's wait for theirs
      const profile = conns.profile
      let room = input.room
      const onlineKinds = reach.onlineKinds()
      if (onlineKinds.length > 0) {
        for (const row of store.claim({
          limit: room,
          kinds: onlineKinds,
          profile,
          now: t,
          prepare,
        })) {
          claimed.push({ row, system: systemOf(row.kind), probe: false })
        }
        room -= claimed.length
      }
      for (const s of reach.probesDue(t)) {
        if (room <= 0) break
        const [row] = store.claim({ limit: 1, kinds: KINDS_OF[s], profile, now: t, prepare })
        if (row) {
          claimed.push({ row, system: s, probe: true })
          room--
        }
      }
    },
    '保存同步进度失败',
    // Nothing claimed and only deliveries recorded: losing this commit to a power cut leaves
    // those rows 'sending', which the next start treats as maybe delivered (weixin: uncertain,
    // retried once; Data Center: the same SIDs, so 1013). Everything else — claims (the
    // 'sending' mark and the SIDs go to disk before any request), failures, retries with a new
    // SID — is fsynced.
    { relaxed: relaxed && !refill },
  )
  return { applied, claimed }
}
