import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { CallLogFilter, CallStats, OverdueFollowUps } from '../../../shared/calllog'
import { useApi } from '../api'
import { useLatest } from '../composables/async/useLatest'
import { attempt, noticeOf, type Notice } from './notice'

/**
 * The statistics of the call log under the history's filter (main aggregates them), the overdue
 * follow-ups under the same filter, and the 日报 (main writes the file).
 */
export const useCallStatsStore = defineStore('callStats', () => {
  const api = useApi()
  const stats = ref<CallStats | null>(null)
  const loading = ref(false)
  const error = ref<Notice | null>(null)
  const latest = useLatest()
  const overdue = ref<OverdueFollowUps | null>(null)
  const overdueError = ref<Notice | null>(null)
  const latestOverdue = useLatest()
  const reportFile = ref<string | null>(null)
  const reporting = ref(false)

  async function load(filter: CallLogFilter): Promise<void> {
    const isLatest = latest.next()
    loading.value = true
    void loadOverdue(filter)
    try {
      const answer = await api.calllog.stats(filter)
      if (!isLatest()) return
      stats.value = answer
      error.value = null
    } catch (e) {
      if (isLatest()) error.value = noticeOf(e)
    } finally {
      if (isLatest()) loading.value = false
    }
  }

  async function loadOverdue(filter: CallLogFilter): Promise<void> {
    const isLatest = latestOverdue.next()
    try {
      const answer = await api.calllog.overdueFollowUps({ filter })
      if (!isLatest()) return
      overdue.value = answer
      overdueError.value = null
    } catch (e) {
      if (isLatest()) overdueError.value = noticeOf(e)
    }
  }

  /** Main asks where to save; a null file means the supervisor chose none. */
  async function dailyReport(day?: string): Promise<Notice | null> {
    if (reporting.value) return null
    reporting.value = true
    reportFile.value = null
    try {
      return await attempt(async () => {
        reportFile.value = (await api.calllog.dailyReport(day ? { day } : {})).file
      })
    } finally {
      reporting.value = false
    }
  }

  function clear(): void {
    latest.drop()
    latestOverdue.drop()
    stats.value = null
    error.value = null
    loading.value = false
    overdue.value = null
    overdueError.value = null
    reportFile.value = null
  }

  return {
    stats,
    loading,
    error,
    overdue,
    overdueError,
    reportFile,
    reporting,
    load,
    dailyReport,
    clear,
  }
})
