import type { StatementSync } from 'node:sqlite'
import type { AppDatabase } from './database'

/** Reference data kept for offline work: the shape the services use (RefCache, or a Map-backed fake in tests). */
export interface KeyValueCache {
  get(key: string): unknown
  put(key: string, value: unknown): void
}

export interface CachedValue<T> {
  value: T
  /** ISO time of the put */
  updatedAt: string
}

/**
 * Reference data (projects, packages, callback items, enums, the Data Center project map) kept
 * as JSON by key, so an agent can keep working from cache while offline. A cache: a value that
 * no longer parses is treated as absent, and a failed put is reported but never fatal to the
 * caller's main job (see put's return).
 */
export class RefCache implements KeyValueCache {
  private readonly getStmt: StatementSync
  private readonly putStmt: StatementSync
  private readonly delStmt: StatementSync

  constructor(
    private readonly db: AppDatabase,
    private readonly now: () => Date = () => new Date(),
  ) {
    const c = db.connection
    this.getStmt = c.prepare('SELECT json, updated_at FROM ref_cache WHERE key = ?')
    this.putStmt = c.prepare(
      `INSERT INTO ref_cache (key, json, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET json = excluded.json, updated_at = excluded.updated_at`,
    )
    this.delStmt = c.prepare('DELETE FROM ref_cache WHERE key = ?')
  }

  /** The value stored under key, or undefined (the KeyValueCache shape the services use). */
  get(key: string): unknown {
    return this.entry(key)?.value
  }

  /**
   * The value under key with the time it was stored, or null. With `parse` (e.g. a zod schema's
   * parse), a value that fails it is treated as absent: an older version may have written
   * another shape.
   */
  entry<T = unknown>(key: string, parse?: (value: unknown) => T): CachedValue<T> | null {
    let row: { json: string; updated_at: string } | undefined
    try {
      row = this.getStmt.get(key) as typeof row
    } catch (e) {
      throw this.db.storageError(e, '读取本地缓存失败')
    }
    if (!row) return null
    try {
      const raw = JSON.parse(row.json) as unknown
      return { value: parse ? parse(raw) : (raw as T), updatedAt: row.updated_at }
    } catch {
      return null
    }
  }

  /** Stores value as JSON; throws AppError 'storage' when the write fails. */
  put(key: string, value: unknown): void {
    const json = JSON.stringify(value)
    if (json === undefined) throw new TypeError('RefCache.put: value is not JSON')
    try {
      this.putStmt.run(key, json, this.now().toISOString())
    } catch (e) {
      throw this.db.storageError(e, '写入本地缓存失败')
    }
  }

  delete(key: string): void {
    try {
      this.delStmt.run(key)
    } catch (e) {
      throw this.db.storageError(e, '写入本地缓存失败')
    }
  }
}
