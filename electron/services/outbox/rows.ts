import {
  outboxKinds,
  outboxStates,
  type OutboxItem,
  type OutboxKind,
  type OutboxState,
} from '../../../shared/domain'
import { TRAINING_PROFILE } from '../connections/profile-key'
import { editableFields } from './payloads'
import type { OutboxPayloads } from './types'

/** An outbox row as the store, the engine and delivery use it, and the renderer's view of it. */

export type OutboxError = NonNullable<OutboxItem['lastError']>

export interface OutboxRow<K extends OutboxKind = OutboxKind> {
  id: string
  seq: number
  kind: K
  phone: string
  title: string
  /** the connection profile it belongs to (connections/profile-key.ts) */
  profile: string
  payload: OutboxPayloads[K]
  state: OutboxState
  uncertain: boolean
  attempts: number
  /** Data Center steps: SIDs and results, persisted so a retry resumes where it stopped */
  steps: unknown
  result: unknown
  lastError: OutboxError | null
  /** epoch ms */
  createdAt: number
  lastAttemptAt: number | null
  nextAttemptAt: number | null
  deliveredAt: number | null
}

/** The table's columns, as SELECT and RETURNING list them. */
export const COLUMNS =
  'id, seq, kind, phone, title, payload, state, uncertain, attempts, steps, result, last_error, ' +
  'created_at, last_attempt_at, next_attempt_at, delivered_at, profile'

/** A row as SQLite returns it. */
export interface RawRow {
  id: string
  seq: number
  kind: string
  phone: string
  title: string
  payload: string
  state: string
  uncertain: number
  attempts: number
  steps: string | null
  result: string | null
  last_error: string | null
  created_at: number
  last_attempt_at: number | null
  next_attempt_at: number | null
  delivered_at: number | null
  profile: string
}

function parseJson(text: string | null): unknown {
  if (text === null) return null
  try {
    return JSON.parse(text) as unknown
  } catch {
    return null
  }
}

export function toRow(r: RawRow): OutboxRow {
  const kind = (outboxKinds as readonly string[]).includes(r.kind)
    ? (r.kind as OutboxKind)
    : 'weixin.savecallback'
  const state = (outboxStates as readonly string[]).includes(r.state)
    ? (r.state as OutboxState)
    : 'failed'
  return {
    id: r.id,
    seq: r.seq,
    kind,
    phone: r.phone,
    title: r.title,
    profile: r.profile,
    payload: parseJson(r.payload) as OutboxPayloads[OutboxKind],
    state,
    uncertain: r.uncertain !== 0,
    attempts: r.attempts,
    steps: parseJson(r.steps),
    result: parseJson(r.result),
    lastError: parseJson(r.last_error) as OutboxError | null,
    createdAt: r.created_at,
    lastAttemptAt: r.last_attempt_at,
    nextAttemptAt: r.next_attempt_at,
    deliveredAt: r.delivered_at,
  }
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString())

/**
 * The renderer's view of a row: times as ISO text, the editable fields as strings, and whether
 * it is training's and waits for another profile than `active` (null: none in use yet).
 */
export function toOutboxItem(row: OutboxRow, active: string | null = null): OutboxItem {
  const fields: Record<string, string> = {}
  const payload = (row.payload ?? {}) as Record<string, unknown>
  for (const [key, f] of Object.entries(editableFields[row.kind])) fields[key] = f.show(payload)
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    phone: row.phone,
    state: row.state,
    uncertain: row.uncertain,
    attempts: row.attempts,
    createdAt: new Date(row.createdAt).toISOString(),
    lastAttemptAt: iso(row.lastAttemptAt),
    nextAttemptAt: iso(row.nextAttemptAt),
    deliveredAt: iso(row.deliveredAt),
    lastError: row.lastError,
    fields,
    profile: row.profile === TRAINING_PROFILE ? 'training' : 'production',
    otherProfile: active !== null && row.profile !== active,
  }
}

export type OutboxSystem = 'weixin' | 'datacenter'

/**
 * The remote system a kind goes to. weixin has no idempotency key (an interrupted send may have
 * arrived); the Data Center's SIDs make a re-send safe.
 */
export function systemOf(kind: OutboxKind): OutboxSystem {
  return kind.startsWith('weixin.') ? 'weixin' : 'datacenter'
}
