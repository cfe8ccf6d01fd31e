import type { CallPackage, Project } from '../../../shared/domain'
import { intents, type Intent } from '../../../shared/fields'
import type { KeyValueCache } from '../db/ref-cache'

/** Whose rows a call-log read sees: one agent's, or (supervisor mode) every row on the machine. */
export type CallLogScope = { userNum: string } | 'all'

/** One call as the calling service records it; the store adds the id and the time. */
export interface NewCallLogRow {
  userNum: string
  userName: string
  machineNo: string
  projectId: number
  projectName: string
  packageId: number
  packageName: string
  phone: string
  ownerName: string
  /** ISO times; null when unknown */
  dispensedAt: string | null
  dialledAt: string | null
  /** the built-in phone's 200 OK; absent or null: not answered, or dialled another way */
  answeredAt?: string | null
  endedAt: string | null
  callbackItem: string
  /** 客户意向 A–E as saved with the callback; absent: not known */
  intent?: Intent | null
  notes: string
  nextFollowDate: string | null
  nextFollowContent: string | null
  /** the 勿扰 list already holds the number (marked during the call) */
  dnc?: boolean
  /**
   * Saved to customer already. When absent the store looks for a save-to-customer of this
   * phone in the outbox since the number was dispensed (the agent may save the customer first).
   */
  savedToCustomer?: boolean
  /** the savecallback outbox item whose state is the row's sync state; null: none */
  outboxId: string | null
}

// in a file of its own so the schema's migrations can use it without importing this one
export { DNC_SKIP_NOTES } from './dnc-skip'

const INTENTS = new Set<string>(intents)

/** 'A'…'E', or null for anything else (an old row, a file without the column). */
export function intentOrNull(value: unknown): Intent | null {
  if (typeof value !== 'string') return null
  const v = value.trim().toUpperCase()
  return INTENTS.has(v) ? (v as Intent) : null
}

/** A 勿扰 number dispensed again and skipped without a call (callbackItem: 要求勿扰). */
export type DncSkipRow = Omit<
  NewCallLogRow,
  | 'dialledAt'
  | 'answeredAt'
  | 'endedAt'
  | 'notes'
  | 'nextFollowDate'
  | 'nextFollowContent'
  | 'dnc'
  | 'savedToCustomer'
  | 'intent'
>

/** What the calling and customer services need of the call log. */
export interface CallLogWriter {
  /**
   * Runs fn in one database transaction (nesting with the outbox's own), so a call's outbox
   * items and its call-log row commit together or not at all. Never hold it across an await.
   */
  transaction<T>(fn: () => T): T
  /** records a call; returns the row id */
  record(row: NewCallLogRow): string
  /** the agent's newest row for the phone is marked saved to customer; false when none */
  markSavedToCustomer(userNum: string, phone: string): boolean
  /** the agent's newest row for the phone is marked 勿扰; false when none */
  markDnc(userNum: string, phone: string): boolean
  /** a skipped 勿扰 number: a row with dnc = true and callback item 要求勿扰 */
  recordDncSkip(row: DncSkipRow): string
}

/** Whole seconds from dial to hang-up, or null when either time is missing or out of order. */
export function durationSeconds(dialledAt: string | null, endedAt: string | null): number | null {
  if (!dialledAt || !endedAt) return null
  const a = Date.parse(dialledAt)
  const b = Date.parse(endedAt)
  if (Number.isNaN(a) || Number.isNaN(b) || b < a) return null
  return Math.round((b - a) / 1000)
}

/** An ISO time from the renderer, normalised; null when absent or not a time. */
export function isoOrNull(value: string | null | undefined): string | null {
  if (!value) return null
  const t = Date.parse(value)
  return Number.isNaN(t) ? null : new Date(t).toISOString()
}

/**
 * A package's name from the catalog's cache (`packages:${userId}:${projectId}`, written by the
 * catalog service whenever the agent opens a project), or '' when it was never loaded.
 */
export function packageNameFromCache(
  cache: KeyValueCache | undefined,
  userId: number,
  projectId: number,
  packageId: number,
): string {
  if (!cache) return ''
  let list: unknown
  try {
    list = cache.get(`packages:${userId}:${projectId}`)
  } catch {
    // a cache read failing must not fail a save
    return ''
  }
  if (!Array.isArray(list)) return ''
  const hit = (list as Partial<CallPackage>[]).find((p) => p?.id === packageId)
  return typeof hit?.name === 'string' ? hit.name : ''
}

/** A project's name from the catalog's cache (`projects:${userId}`), or '' when unknown. */
export function projectNameFromCache(
  cache: KeyValueCache | undefined,
  userId: number,
  projectId: number,
): string {
  if (!cache) return ''
  let list: unknown
  try {
    list = cache.get(`projects:${userId}`)
  } catch {
    return ''
  }
  if (!Array.isArray(list)) return ''
  const hit = (list as Partial<Project>[]).find((p) => p?.id === projectId)
  return typeof hit?.name === 'string' ? hit.name : ''
}
