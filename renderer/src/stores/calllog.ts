import { defineStore } from 'pinia'
import { computed, reactive, ref } from 'vue'
import type { CallLogFilter, CallLogRow } from '../../../shared/calllog'
import { useApi } from '../api'
import { useLatest } from '../composables/async/useLatest'
import { noticeOf, type Notice } from './notice'

/** What the filter bar edits; `applied` turns it into the contract's filter. */
export interface FilterForm {
  /** [from, to], yyyy-MM-dd, inclusive */
  range: [string, string] | null
  userNum: string
  projectId: number | null
  packageId: number | null
  result: string
  search: string
}

const emptyForm = (): FilterForm => ({
  range: null,
  userNum: '',
  projectId: null,
  packageId: null,
  result: '',
  search: '',
})

export const pageSizes = [20, 50, 100, 200] as const
/** pages kept for going back and forth (the next page is fetched ahead) */
const CACHE_PAGES = 8

interface Page {
  rows: CallLogRow[]
  total: number
}

/**
 * The history's filter and the current page. Paging is main's (a query per page, never the whole
 * log): the page on screen stays until the next one is there, answers to superseded requests are
 * dropped, and the following page is fetched ahead so "next" is instant.
 */
export const useCallLogStore = defineStore('calllog', () => {
  const api = useApi()
  const form = reactive<FilterForm>(emptyForm())
  const page = ref(1)
  const pageSize = ref<number>(50)
  const rows = ref<CallLogRow[]>([])
  const total = ref(0)
  const loading = ref(false)
  const loaded = ref(false)
  const error = ref<Notice | null>(null)
  const agents = ref<{ userNum: string; userName: string }[]>([])
  /** bumps when the rows may have changed without the filter changing (import, supervisor) */
  const dataVersion = ref(0)
  const cache = new Map<string, Page>()
  const inflight = new Map<string, Promise<Page>>()
  const latest = useLatest()
  /** whose call log the state above is */
  let owner: string | null = null

  const applied = computed<CallLogFilter>(() => {
    const f: CallLogFilter = {}
    if (form.range) {
      f.from = form.range[0]
      f.to = form.range[1]
    }
    if (form.userNum) f.userNum = form.userNum
    if (form.projectId) f.projectId = form.projectId
    if (form.projectId && form.packageId) f.packageId = form.packageId
    if (form.result) f.result = form.result
    const search = form.search.trim()
    if (search) f.search = search
    return f
  })
  const filterKey = computed(() => JSON.stringify(applied.value))
  const hasFilter = computed(() => filterKey.value !== '{}')
  const pageCount = computed(() => Math.max(1, Math.ceil(total.value / pageSize.value)))

  const keyOf = (p: number): string => JSON.stringify([filterKey.value, p, pageSize.value])

  function remember(key: string, value: Page): void {
    cache.delete(key)
    cache.set(key, value)
    while (cache.size > CACHE_PAGES) cache.delete(cache.keys().next().value as string)
  }

  /** one request per page at a time: "next" during its prefetch waits for that answer */
  function fetchPage(p: number): Promise<Page> {
    const key = keyOf(p)
    const hit = cache.get(key)
    if (hit) return Promise.resolve(hit)
    let request = inflight.get(key)
    if (!request) {
      request = api.calllog
        .query({ filter: applied.value, page: p, pageSize: pageSize.value })
        .then((answer) => {
          if (inflight.get(key) === request) remember(key, answer)
          return answer
        })
        .finally(() => {
          if (inflight.get(key) === request) inflight.delete(key)
        })
      inflight.set(key, request)
    }
    return request
  }

  /** The current page; resolves when it (or a newer request) is settled. */
  async function load(): Promise<void> {
    const isLatest = latest.next()
    loading.value = true
    try {
      const answer = await fetchPage(page.value)
      if (!isLatest()) return
      rows.value = answer.rows
      total.value = answer.total
      error.value = null
      loaded.value = true
      // the page may no longer exist (fewer rows since): go to the last one
      if (page.value > pageCount.value) {
        page.value = pageCount.value
        return load()
      }
      if (page.value < pageCount.value) void prefetch(page.value + 1)
    } catch (e) {
      if (isLatest()) error.value = noticeOf(e)
    } finally {
      if (isLatest()) loading.value = false
    }
  }

  async function prefetch(p: number): Promise<void> {
    try {
      await fetchPage(p)
    } catch {
      // only a head start: the real request reports its own failure
    }
  }

  function setFilter(patch: Partial<FilterForm>): void {
    if ('projectId' in patch && patch.projectId !== form.projectId) form.packageId = null
    Object.assign(form, patch)
    page.value = 1
  }

  function resetFilter(): void {
    Object.assign(form, emptyForm())
    page.value = 1
  }

  function setPage(p: number): void {
    page.value = Math.min(Math.max(1, Math.trunc(p)), pageCount.value)
  }

  function setPageSize(size: number): void {
    pageSize.value = size
    page.value = 1
  }

  /**
   * A call-log screen opens for this agent: another agent's filter and rows (an earlier login on
   * this machine) are dropped before anything is shown. True when that happened.
   */
  function openFor(userNum: string): boolean {
    clearCache()
    if (owner === userNum) return false
    owner = userNum
    Object.assign(form, emptyForm())
    page.value = 1
    rows.value = []
    total.value = 0
    loaded.value = false
    error.value = null
    agents.value = []
    return true
  }

  /** Forget the pages fetched so far (the screen opens again: calls were saved meanwhile). */
  function clearCache(): void {
    cache.clear()
    inflight.clear()
  }

  /** New data on main's side: forget the cached pages and tell the screens. */
  function invalidate(): void {
    clearCache()
    dataVersion.value++
  }

  async function loadAgents(): Promise<void> {
    try {
      agents.value = await api.calllog.agents()
    } catch {
      agents.value = []
    }
  }

  return {
    form,
    page,
    pageSize,
    rows,
    total,
    loading,
    loaded,
    error,
    agents,
    dataVersion,
    applied,
    filterKey,
    hasFilter,
    pageCount,
    load,
    setFilter,
    resetFilter,
    setPage,
    setPageSize,
    openFor,
    clearCache,
    invalidate,
    loadAgents,
  }
})
