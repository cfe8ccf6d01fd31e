import type { KeyValueCache } from '../db/ref-cache'

/**
 * Packages getphone said are called through ("此信息包已经 call 完"), kept in the database so
 * the packages page greys them after a restart too. Per connection profile and agent: another
 * server or agent may still have numbers in it. Forgotten when the server dispenses from the
 * package again (it was refilled) or a day after it said so (a list may be refilled overnight
 * and nobody would ask again otherwise).
 */
export const EXHAUSTED_FOR_MS = 24 * 3600_000

type Marks = Record<string, string>

/** a cache for tests and hosts without a database */
export function memoryCache(): KeyValueCache {
  const m = new Map<string, unknown>()
  return { get: (k) => m.get(k), put: (k, v) => void m.set(k, v) }
}

export class ExhaustedPackages {
  constructor(
    private readonly cache: KeyValueCache,
    private readonly profile: () => string | null,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private key(userId: number): string {
    return `exhausted-packages:${this.profile() ?? ''}|${userId}`
  }

  private read(userId: number): Marks {
    const v = this.cache.get(this.key(userId))
    if (!v || typeof v !== 'object' || Array.isArray(v)) return {}
    const out: Marks = {}
    const since = this.now().getTime() - EXHAUSTED_FOR_MS
    for (const [id, at] of Object.entries(v as Record<string, unknown>)) {
      if (typeof at === 'string' && Date.parse(at) > since) out[id] = at
    }
    return out
  }

  mark(userId: number, packageId: number): void {
    const marks = this.read(userId)
    if (marks[packageId] !== undefined) return
    this.cache.put(this.key(userId), { ...marks, [packageId]: this.now().toISOString() })
  }

  forget(userId: number, packageId: number): void {
    const marks = this.read(userId)
    if (marks[packageId] === undefined) return
    delete marks[packageId]
    this.cache.put(this.key(userId), marks)
  }

  has(userId: number, packageId: number): boolean {
    return this.read(userId)[packageId] !== undefined
  }

  /** the agent's called-through packages, as ids */
  list(userId: number): number[] {
    return Object.keys(this.read(userId)).map(Number)
  }
}
