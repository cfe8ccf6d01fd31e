import type { Handlers, ProjectRow } from './handler-kit'
import type { Roster } from './roster'

/**
 * The base-data reads (§4.1): projects (4.1.3), consultants (4.1.5) and which consultant works
 * in which project (4.1.4). Each lists its rows 20 a page (at most 500), oldest first; syncTime
 * returns the rows created (or, for projects, modified) after it.
 */

interface Paging {
  page?: number | undefined
  pageSize?: number | undefined
  syncTime?: string | undefined
}

function pageOf<T>(rows: readonly T[], d: Paging, timeOf: (row: T) => string): object {
  const pageSize = Math.min(Math.max(d.pageSize ?? 20, 1), 500)
  const page = Math.max(d.page ?? 1, 1)
  const since = d.syncTime?.slice(0, 19)
  const picked = since ? rows.filter((r) => timeOf(r) > since) : rows
  const totalPage = Math.ceil(picked.length / pageSize)
  const list = picked.slice((page - 1) * pageSize, page * pageSize)
  return {
    totalPage,
    page,
    ...(list.length > 0 ? { list, lastSyncTime: timeOf(list[list.length - 1]!) } : {}),
  }
}

export function baseDataHandlers(
  projectRows: readonly ProjectRow[],
  roster: Roster,
): Pick<Handlers, 'base_project_list' | 'base_consultant_list' | 'base_consultantProj_list'> {
  return {
    base_project_list: (d) => pageOf(projectRows, d, (r) => r.lastModifyTime),
    // §4.1.5 lists the password as required: the sandbox sends a mask, never a real one
    base_consultant_list: (d) =>
      pageOf(
        roster.consultants.map((c) => ({ ...c, password: '******' })),
        d,
        (r) => r.createdOn,
      ),
    base_consultantProj_list: (d) => pageOf(roster.projects, d, (r) => r.createdOn),
  }
}
