/**
 * How the referee reads a §4 request table. One row per field, as the document writes it:
 *
 * - 是否必须: `true` (是), `false` (否), or `{ unlessAny: [...] }` for the document's "否，X 不存在
 *   时必须" (required when every listed field is absent);
 * - 类型: String, int, datetime (`yyyy-MM-dd HH:mm:ss`, with `[.SSS]` where the row says so) or
 *   date (a datetime row whose format is `yyyy-MM-dd`);
 * - 长度: a maximum in characters for String and datetime. For int the column is a storage size
 *   (4, 10, 32), not a digit count: an int is any whole number within Java's int;
 * - allowed values where the row lists them, `multi` where it asks for several separated by `;`.
 *
 * The first failing row, in table order, decides: 1001 when a required field is absent, null or
 * a blank string, 1002 for a wrong type, too long, or a value not listed; 1004 when the data is
 * not an object at all.
 */

export type FieldType = 'String' | 'int' | 'datetime' | 'date'

export interface FieldRow {
  readonly name: string
  readonly required: boolean | { readonly unlessAny: readonly string[] }
  readonly type: FieldType
  readonly length?: number
  readonly values?: readonly (string | number)[]
  /** several of `values`, joined by this separator */
  readonly multi?: string
  /** datetime: `[.SSS]` allowed */
  readonly millis?: boolean
}

export type RequestTable = readonly FieldRow[]

type ValueOf<R extends FieldRow> = R['type'] extends 'int' ? number : string

/** The checked data of a table: required fields typed, the others possibly undefined. */
export type Checked<T extends RequestTable> = {
  [R in T[number] as R['name']]: R['required'] extends true ? ValueOf<R> : ValueOf<R> | undefined
}

export type FieldCheck =
  | { ok: true; data: Record<string, unknown> }
  | { ok: false; code: 1001 | 1002 | 1004; field: string }

const INT_MIN = -2_147_483_648
const INT_MAX = 2_147_483_647
const DATETIME_RE = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(\.\d{3})?$/
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/

function isCalendarDay(y: number, m: number, d: number): boolean {
  const t = new Date(Date.UTC(y, m - 1, d))
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d
}

function isDatetime(s: string, millis: boolean): boolean {
  const m = DATETIME_RE.exec(s)
  if (!m || (!millis && m[7] !== undefined)) return false
  const [y, mo, d, h, mi, se] = m.slice(1, 7).map(Number) as [number, number, number, ...number[]]
  return isCalendarDay(y, mo, d) && h! < 24 && mi! < 60 && se! < 60
}

function isDate(s: string): boolean {
  const m = DATE_RE.exec(s)
  return m !== null && isCalendarDay(Number(m[1]), Number(m[2]), Number(m[3]))
}

const chars = (s: string): number => [...s].length
const isBlank = (v: unknown): boolean => typeof v === 'string' && v.trim() === ''
const given = (v: unknown): boolean => v !== undefined && !isBlank(v)

function isRequired(row: FieldRow, data: Record<string, unknown>): boolean {
  if (typeof row.required === 'boolean') return row.required
  return row.required.unlessAny.every((f) => !given(data[f]))
}

/** true when the value fits the row (the value is present) */
function fits(row: FieldRow, v: unknown): boolean {
  if (row.type === 'int') {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < INT_MIN || v > INT_MAX) return false
    return !row.values || row.values.includes(v)
  }
  if (typeof v !== 'string') return false
  if (row.length !== undefined && chars(v) > row.length) return false
  if (row.type === 'datetime' && !isDatetime(v, row.millis === true)) return false
  if (row.type === 'date' && !isDate(v)) return false
  if (!row.values) return true
  const items = row.multi ? v.split(row.multi) : [v]
  return items.every((item) => row.values!.includes(item))
}

/** Checks request data against a table; only the table's fields come back, null ones dropped. */
export function checkFields(table: RequestTable, data: unknown): FieldCheck {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { ok: false, code: 1004, field: '' }
  }
  // null is "not given" to the Data Center's Java side, like an absent key
  const present = Object.fromEntries(Object.entries(data).filter(([, v]) => v !== null))
  const out: Record<string, unknown> = {}
  for (const row of table) {
    const v = present[row.name]
    if (!given(v)) {
      if (isRequired(row, present)) return { ok: false, code: 1001, field: row.name }
      // an optional blank string is still a value of its type (an empty remark, say)
      if (v === undefined) continue
    }
    if (!fits(row, v)) return { ok: false, code: 1002, field: row.name }
    out[row.name] = v
  }
  return { ok: true, data: out }
}
