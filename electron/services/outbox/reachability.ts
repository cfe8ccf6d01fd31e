import { outboxKinds, type OutboxKind } from '../../../shared/domain'
import { systemOf, type OutboxSystem } from './rows'

/**
 * Online/offline, per remote system: a refused, timed-out or unresolvable request marks the
 * system offline; while offline only one item at a time goes to it (a probe), spaced by its own
 * jittered back-off, instead of every due item failing in turn. Any answer from the system marks
 * it online again.
 */

const SYSTEMS: readonly OutboxSystem[] = ['weixin', 'datacenter']

export const KINDS_OF: Record<OutboxSystem, OutboxKind[]> = {
  weixin: outboxKinds.filter((k) => systemOf(k) === 'weixin'),
  datacenter: outboxKinds.filter((k) => systemOf(k) === 'datacenter'),
}

interface SystemState {
  offline: boolean
  /** when the next probe may go, while offline */
  probeAt: number
  probeFailures: number
  probing: boolean
}

export class Reachability {
  private readonly systems: Record<OutboxSystem, SystemState> = {
    weixin: { offline: false, probeAt: 0, probeFailures: 0, probing: false },
    datacenter: { offline: false, probeAt: 0, probeFailures: 0, probing: false },
  }

  /** probeDelay(n): the wait before the next probe after n failed ones */
  constructor(
    private readonly probeDelay: (n: number) => number,
    private readonly now: () => number,
  ) {}

  get online(): boolean {
    return SYSTEMS.every((s) => !this.systems[s].offline)
  }

  isOffline(system: OutboxSystem): boolean {
    return this.systems[system].offline
  }

  /** The kinds whose system is online: claimed as many as there is room for. */
  onlineKinds(): OutboxKind[] {
    return SYSTEMS.filter((s) => !this.systems[s].offline).flatMap((s) => KINDS_OF[s])
  }

  /** Offline systems whose next probe is due at t (and none is under way). */
  probesDue(t: number): OutboxSystem[] {
    return SYSTEMS.filter((s) => {
      const st = this.systems[s]
      return st.offline && !st.probing && st.probeAt <= t
    })
  }

  /** The earliest future probe time, or +∞. */
  nextProbeAfter(t: number): number {
    let wake = Number.POSITIVE_INFINITY
    for (const s of SYSTEMS) {
      const st = this.systems[s]
      if (st.offline && !st.probing && st.probeAt > t) wake = Math.min(wake, st.probeAt)
    }
    return wake
  }

  setProbing(system: OutboxSystem, probing: boolean): void {
    this.systems[system].probing = probing
  }

  /** Flush: offline systems are probed at once. */
  probeNow(): void {
    for (const s of SYSTEMS) this.systems[s].probeAt = 0
  }

  /**
   * What a finished send told about its system. Returns the change, if any: 'back-online', or
   * 'went-offline'.
   */
  note(
    system: OutboxSystem,
    reach: 'online' | 'offline' | undefined,
    probe: boolean,
  ): 'back-online' | 'went-offline' | null {
    const st = this.systems[system]
    if (reach === 'online') {
      st.probeFailures = 0
      if (!st.offline) return null
      st.offline = false
      return 'back-online'
    }
    if (reach !== 'offline') return null
    // sends that were already under way when the system went away say nothing new
    if (st.offline && !probe) return null
    st.probeFailures++
    st.probeAt = this.now() + this.probeDelay(st.probeFailures)
    if (st.offline) return null
    st.offline = true
    return 'went-offline'
  }
}
