import type { CallLogRow } from '../../../shared/calllog'
import { outboxStates } from '../../../shared/domain'
import { intentOrNull } from './types'

/**
 * How a call-log row is read: the selected columns and the order of the view, and the row
 * arrays node:sqlite returns (cheaper than its row objects) turned into CallLogRow objects.
 *
 * A row's sync state is its savecallback's outbox state, joined at read time; when the outbox
 * has purged the item, the state it had then (kept by a trigger).
 */

const COLUMNS = `c.id, c.user_num, c.user_name, c.machine_no, c.project_id, c.project_name,
  c.package_id, c.package_name, c.phone, c.owner_name, c.dispensed_at, c.dialled_at, c.ended_at,
  c.duration_s, c.callback_item, c.notes, c.next_follow_date, c.next_follow_content,
  c.saved_to_customer, c.dnc,
  CASE WHEN c.outbox_id IS NULL THEN COALESCE(c.sync_state, 'local')
    ELSE COALESCE((SELECT o.state FROM outbox o WHERE o.id = c.outbox_id), c.sync_state, 'local')
  END AS sync,
  c.created_at, c.intent, c.profile,`
// the outbox is looked up only for rows that still have an item there (not for old or
// imported rows): an export reads every row

// the recording (softphone) is the one that started while the call was on: answered after the
// dial, before the end (5 s for the two clocks); only app-dialled rows look it up
const RECORDING = `CASE WHEN c.dialled_at IS NULL THEN NULL ELSE (SELECT r.file FROM call_recording r
    WHERE r.phone = c.phone AND r.started_at >= c.dialled_at
      AND r.started_at <= strftime('%Y-%m-%dT%H:%M:%fZ', COALESCE(c.ended_at, c.dialled_at), '+5 seconds')
    ORDER BY r.started_at DESC LIMIT 1) END`

export const SELECT_COLUMNS = `${COLUMNS} ${RECORDING} AS recording_file, c.answered_at`

/**
 * SELECT_COLUMNS where the database has no recordings: the lookup would find nothing, and over
 * every row of an export it costs an index search and a time computed per row.
 */
export const SELECT_COLUMNS_NO_RECORDINGS = `${COLUMNS} NULL AS recording_file, c.answered_at`

export const FROM = 'call_log c'
/** the view's order, which every filter's index ends in */
export const ORDER = 'ORDER BY c.created_at DESC, c.id DESC'

const SYNC_STATES = new Set<string>([...outboxStates, 'imported', 'local'])

/** A row as SELECT_COLUMNS reads it with setReturnArrays(true). */
export type RawRow = [
  id: string,
  userNum: string,
  userName: string,
  machineNo: string,
  projectId: number | null,
  projectName: string | null,
  packageId: number | null,
  packageName: string | null,
  phone: string,
  ownerName: string | null,
  dispensedAt: string | null,
  dialledAt: string | null,
  endedAt: string | null,
  durationS: number | null,
  callbackItem: string | null,
  notes: string | null,
  nextFollowDate: string | null,
  nextFollowContent: string | null,
  saved: number,
  dnc: number,
  sync: string,
  createdAt: string,
  intent: string | null,
  profile: string,
  recordingFile: string | null,
  answeredAt: string | null,
]

type Fields = { [K in keyof CallLogRow]-?: (r: RawRow) => CallLogRow[K] }

/**
 * One field of toRow's object straight from the array: an export reads 100,000 rows and needs
 * only their cells, not an object per row. Each is toRow(r)[field] (a test holds them equal).
 */
export const rawField: Fields = {
  id: (r) => r[0],
  userNum: (r) => r[1],
  userName: (r) => r[2],
  machineNo: (r) => r[3],
  projectId: (r) => r[4] ?? 0,
  projectName: (r) => r[5] ?? '',
  packageId: (r) => r[6] ?? 0,
  packageName: (r) => r[7] ?? '',
  phone: (r) => r[8],
  ownerName: (r) => r[9] ?? '',
  callTime: (r) => r[11] ?? r[21],
  dispensedAt: (r) => r[10],
  dialledAt: (r) => r[11],
  answeredAt: (r) => r[25],
  endedAt: (r) => r[12],
  durationS: (r) => r[13],
  callbackItem: (r) => r[14] ?? '',
  intent: (r) => intentOrNull(r[22]),
  profile: (r) => (r[23] === 'training' ? 'training' : 'production'),
  notes: (r) => r[15] ?? '',
  nextFollowDate: (r) => r[16],
  nextFollowContent: (r) => r[17],
  savedToCustomer: (r) => r[18] !== 0,
  dnc: (r) => r[19] !== 0,
  syncState: (r) => (SYNC_STATES.has(r[20]) ? r[20] : 'local') as CallLogRow['syncState'],
  createdAt: (r) => r[21],
  recordingFile: (r) => r[24],
}

/** A batch of an export: row objects, or the arrays SELECT_COLUMNS reads (see rawField). */
export type RowBatch = readonly CallLogRow[] | readonly RawRow[]

/** The batch holds arrays (rawField reads them), not row objects. */
export function isRawBatch(batch: RowBatch): batch is readonly RawRow[] {
  return Array.isArray(batch[0])
}

/** A field's reader for rows of either form. */
export function fieldOf<K extends keyof CallLogRow>(
  field: K,
  raw: boolean,
): (row: CallLogRow | RawRow) => CallLogRow[K] {
  if (raw) return rawField[field] as (row: CallLogRow | RawRow) => CallLogRow[K]
  return (row) => (row as CallLogRow)[field]
}

export function toRow(r: RawRow): CallLogRow {
  return {
    id: r[0],
    userNum: r[1],
    userName: r[2],
    machineNo: r[3],
    projectId: r[4] ?? 0,
    projectName: r[5] ?? '',
    packageId: r[6] ?? 0,
    packageName: r[7] ?? '',
    phone: r[8],
    ownerName: r[9] ?? '',
    callTime: r[11] ?? r[21],
    dispensedAt: r[10],
    dialledAt: r[11],
    answeredAt: r[25],
    endedAt: r[12],
    durationS: r[13],
    callbackItem: r[14] ?? '',
    intent: intentOrNull(r[22]),
    profile: r[23] === 'training' ? 'training' : 'production',
    notes: r[15] ?? '',
    nextFollowDate: r[16],
    nextFollowContent: r[17],
    savedToCustomer: r[18] !== 0,
    dnc: r[19] !== 0,
    syncState: (SYNC_STATES.has(r[20]) ? r[20] : 'local') as CallLogRow['syncState'],
    createdAt: r[21],
    recordingFile: r[24],
  }
}
