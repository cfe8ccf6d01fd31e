import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { CallLogFilter, CallStats } from '../../../shared/calllog'
import { messageOf, useApi } from '../api'

/** The statistics of the call log under the history's filter (main aggregates them). */
export const useCallStatsStore = defineStore('callStats', () => {
  const api = useApi()
  const stats = ref<CallStats | null>(null)
  const loading = ref(false)
  const error = ref<string | null>(null)
  let seq = 0

  async function load(filter: CallLogFilter): Promise<void> {
    const mine = ++seq
    loading.value = true
    try {
      const answer = await api.calllog.stats(filter)
      if (mine !== seq) return
      stats.value = answer
      error.value = null
    } catch (e) {
      if (mine === seq) error.value = messageOf(e)
    } finally {
      if (mine === seq) loading.value = false
    }
  }

  function clear(): void {
    seq++
    stats.value = null
    error.value = null
    loading.value = false
  }

  return { stats, loading, error, load, clear }
})
