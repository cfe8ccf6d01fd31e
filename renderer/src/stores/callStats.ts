import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { CallLogFilter, CallStats } from '../../../shared/calllog'
import { useApi } from '../api'
import { useLatest } from '../composables/async/useLatest'
import { noticeOf, type Notice } from './notice'

/** The statistics of the call log under the history's filter (main aggregates them). */
export const useCallStatsStore = defineStore('callStats', () => {
  const api = useApi()
  const stats = ref<CallStats | null>(null)
  const loading = ref(false)
  const error = ref<Notice | null>(null)
  const latest = useLatest()

  async function load(filter: CallLogFilter): Promise<void> {
    const isLatest = latest.next()
    loading.value = true
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

  function clear(): void {
    latest.drop()
    stats.value = null
    error.value = null
    loading.value = false
  }

  return { stats, loading, error, load, clear }
})
