/** Reference data kept for offline work (the database's ref_cache table, or memory in tests). */
export interface KeyValueCache {
  get(key: string): unknown
  put(key: string, value: unknown): void
}

export class MemoryKeyValueCache implements KeyValueCache {
  private map = new Map<string, string>()
  get(key: string): unknown {
    const v = this.map.get(key)
    return v === undefined ? undefined : (JSON.parse(v) as unknown)
  }
  put(key: string, value: unknown): void {
    this.map.set(key, JSON.stringify(value))
  }
}
