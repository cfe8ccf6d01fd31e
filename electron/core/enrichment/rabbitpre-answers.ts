import type { RabbitpreProfile } from './rabbitpre-profile'

/**
 * The last good answer per looked-up number, per account (server and companyId), kept in memory
 * for the life of the app. Rabbitpre allows one request a second per account, and every desktop
 * of the call center shares the account: when a colleague's lookups keep the server answering
 * 操作频繁 past the client's back-off, the 360 panel shows the last answer it had, with its time,
 * instead of the server's refusal.
 */

export interface RabbitpreAnswer {
  profiles: RabbitpreProfile[]
  /** epoch ms the server gave it */
  at: number
}

const MAX_ENTRIES = 2_000
const accounts = new Map<string, Map<string, RabbitpreAnswer>>()

export class RabbitpreAnswers {
  constructor(private readonly entries: Map<string, RabbitpreAnswer>) {}

  get(key: string): RabbitpreAnswer | null {
    return this.entries.get(key) ?? null
  }

  put(key: string, answer: RabbitpreAnswer): void {
    // newest last: the oldest go first when the map is full
    this.entries.delete(key)
    this.entries.set(key, answer)
    while (this.entries.size > MAX_ENTRIES) {
      const oldest = this.entries.keys().next().value
      if (oldest === undefined) break
      this.entries.delete(oldest)
    }
  }
}

/** The answers of one account (the same key as its rate gate). */
export function rabbitpreAnswers(accountKey: string): RabbitpreAnswers {
  let entries = accounts.get(accountKey)
  if (!entries) {
    entries = new Map()
    accounts.set(accountKey, entries)
  }
  return new RabbitpreAnswers(entries)
}
