import { z } from 'zod'
import { DC_MISSING_FIELD } from './codes'

/**
 * The building blocks of the request schemas (requests.ts): a String with the table's 长度 as
 * its maximum in characters (code points), required Strings where blank counts as missing, ints
 * within Java's int, closed value lists and the documented time formats.
 */

const INT_MIN = -2_147_483_648
const INT_MAX = 2_147_483_647
/** marks an issue as "missing" (1001) rather than "wrong" (1002) */
export const MISSING = { dc: DC_MISSING_FIELD }

const charCount = (s: string): number => {
  let n = 0
  for (const _ of s) n++
  return n
}

/** String with the table's 长度 as its maximum, in characters. */
export const str = (max: number) =>
  z
    .string({ error: '应为字符串' })
    .refine((s) => charCount(s) <= max, { error: `长度不能超过 ${max}` })

/** A required String: absent, null or blank counts as missing. */
export const reqStr = (max: number) =>
  z
    .string({ error: '应为字符串' })
    .refine((s) => s.trim() !== '', { error: '不能为空', params: MISSING, abort: true })
    .refine((s) => charCount(s) <= max, { error: `长度不能超过 ${max}` })

export const int = () =>
  z
    .number({ error: '应为整数' })
    .int({ error: '应为整数' })
    .min(INT_MIN, { error: '超出 int 范围' })
    .max(INT_MAX, { error: '超出 int 范围' })

// The casts only narrow the static type to the listed values; the refine does the checking.
export const intIn = <const T extends readonly number[]>(values: T) =>
  z
    .number({ error: '应为整数' })
    .int({ error: '应为整数' })
    .refine((v) => values.includes(v), {
      error: `取值应为 ${values.join('、')}`,
    }) as unknown as z.ZodType<T[number], T[number]>

export const strIn = <const T extends readonly string[]>(values: T, max: number) =>
  reqStr(max).refine((v) => values.includes(v), {
    error: `取值应为 ${values.join('、')}`,
  }) as unknown as z.ZodType<T[number], T[number]>

const DATETIME_RE = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(\.\d{3})?$/
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/

function validDate(y: number, m: number, d: number): boolean {
  const t = new Date(Date.UTC(y, m - 1, d))
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d
}

function isDateTime(s: string, allowMillis: boolean): boolean {
  const m = DATETIME_RE.exec(s)
  if (!m || (!allowMillis && m[7] !== undefined)) return false
  const [y, mo, d, h, mi, se] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ]
  return validDate(y, mo, d) && h < 24 && mi < 60 && se < 60
}

export function isDate(s: string): boolean {
  const m = DATE_RE.exec(s)
  return m !== null && validDate(Number(m[1]), Number(m[2]), Number(m[3]))
}

/** `yyyy-MM-dd HH:mm:ss`, with `[.SSS]` where the table allows it. */
export const datetime = (max: number, allowMillis = false) =>
  str(max).refine((s) => isDateTime(s, allowMillis), {
    error: `格式应为 yyyy-MM-dd HH:mm:ss${allowMillis ? '[.SSS]' : ''}`,
  })
export const reqDatetime = (max: number, allowMillis = false) =>
  reqStr(max).refine((s) => isDateTime(s, allowMillis), {
    error: `格式应为 yyyy-MM-dd HH:mm:ss${allowMillis ? '[.SSS]' : ''}`,
  })

export const GENDERS = [1, 2] as const
export const LEAD_GENDERS = [0, 1, 2] as const
export const CERT_TYPES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 9999] as const
export const CST_WILLS = ['A', 'B', 'C', 'D', 'E'] as const
/** cst_follow_update followType (跟进方式): 1 主动电访 … 7 其它 */
export const FOLLOW_TYPE_VALUES = [1, 2, 3, 4, 5, 6, 7] as const
