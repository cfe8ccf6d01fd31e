import type { SQLInputValue } from 'node:sqlite'
import type { CallLogFilter } from '../../../shared/calllog'
import { CALL_LOG_FTS } from '../db/migrations'
import { localDayStart } from './local-time'
import type { CallLogScope } from './types'

/**
 * The WHERE clause of a call-log filter, and how its search is run.
 *
 * Every filter has an index ending in (created_at, id), the view's order, so the first page of
 * any filter is read off an index; search by part of a phone or name goes through a trigram
 * index or a narrow index, whichever the term suits (see searchOf and the migrations).
 */

export interface Where {
  sql: string
  params: SQLInputValue[]
}

export interface Search {
  column: 'phone' | 'owner_name'
  term: string
  /**
   * fts: through the trigram index; like: a LIKE on each row the other conditions reach; rows:
   * the matching rows first, from a scan of the (phone, owner_name) index (few matches)
   */
  mode: 'fts' | 'like' | 'rows'
}

/** Above this many matches in the whole log, a term is searched with LIKE (see searchOf). */
const FTS_MAX_MATCHES = 500
/** Below this many matches, a LIKE search fetches its rows before sorting them. */
const SPARSE_MATCHES = 500

/** Runs a `SELECT COUNT(*) AS n` with one parameter and returns n. */
export type CountQuery = (sql: string, param: string) => number

/**
 * How to search, by what the term matches in the whole log. A term of 3 characters or more
 * that matches few rows goes through the trigram index ('fts'); a term that matches many
 * ('like') is best found by walking the view's index, where matches come quickly, and counted
 * by scanning the narrow (phone, owner_name) index. Shorter terms cannot use trigrams.
 * countFts: null when this SQLite build has no trigram index.
 */
export function searchOf(filter: CallLogFilter, countFts: CountQuery | null): Search | null {
  const text = filter.search?.trim()
  if (!text) return null
  // a phone number is digits (typed with spaces or dashes, perhaps); a name never is
  const digits = /^[\d\s-]+$/.test(text) ? text.replace(/[\s-]/g, '') : null
  const column = digits !== null ? 'phone' : 'owner_name'
  const term = digits ?? text
  if (!term) return null
  let mode: Search['mode'] = 'like'
  if (countFts && [...term].length >= 3 && !/[%_\\]/.test(term)) {
    const n = countFts(
      `SELECT COUNT(*) AS n FROM (SELECT 1 FROM ${CALL_LOG_FTS} WHERE ${column} LIKE ?
       LIMIT ${FTS_MAX_MATCHES + 1})`,
      `%${term}%`,
    )
    if (n <= FTS_MAX_MATCHES) mode = 'fts'
  }
  return { column, term, mode }
}

/**
 * The search for reading a page, once the filter's total is known: few rows match a LIKE, and
 * walking the view's index for them would read the whole log.
 */
export function pageSearch(search: Search | null, total: number): Search | null {
  return search?.mode === 'like' && total < SPARSE_MATCHES ? { ...search, mode: 'rows' } : search
}

/** '%' and '_' are LIKE's wildcards; '\' escapes them (ESCAPE '\'). */
function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`)
}

/** the WHERE clause (over alias c) for a filter, a scope and the filter's search */
export function whereOf(filter: CallLogFilter, scope: CallLogScope, search: Search | null): Where {
  const parts: string[] = []
  const params: SQLInputValue[] = []
  const add = (sql: string, ...values: SQLInputValue[]): void => {
    parts.push(sql)
    params.push(...values)
  }
  if (scope !== 'all') add('c.user_num = ?', scope.userNum)
  const userNum = filter.userNum?.trim()
  if (userNum && (scope === 'all' || scope.userNum !== userNum)) add('c.user_num = ?', userNum)
  if (filter.from) add('c.created_at >= ?', localDayStart(filter.from))
  if (filter.to) add('c.created_at < ?', localDayStart(filter.to, 1))
  if (filter.projectId !== undefined) add('c.project_id = ?', filter.projectId)
  if (filter.packageId !== undefined) add('c.package_id = ?', filter.packageId)
  const result = filter.result?.trim()
  if (result) add('c.callback_item = ?', result)
  if (search) {
    const { column, term } = search
    switch (search.mode) {
      case 'fts':
        add(`c.id IN (SELECT row_id FROM ${CALL_LOG_FTS} WHERE ${column} LIKE ?)`, `%${term}%`)
        break
      case 'like':
        add(`c.${column} LIKE ? ESCAPE '\\'`, `%${likeEscape(term)}%`)
        break
      case 'rows':
        add(
          `c.rowid IN (SELECT rowid FROM call_log INDEXED BY call_log_search
             WHERE ${column} LIKE ? ESCAPE '\\')`,
          `%${likeEscape(term)}%`,
        )
        break
    }
  }
  return { sql: parts.length ? parts.join(' AND ') : '1', params }
}
