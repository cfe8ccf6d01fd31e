import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { DiagnosticsResult } from '../../../shared/updates'
import { useApi } from '../api'
import { noticeOf, type Notice } from './notice'

/** 导出诊断信息: main writes the bundle where the agent chooses and answers the path. */
export const useDiagnosticsStore = defineStore('diagnostics', () => {
  const api = useApi()
  const busy = ref(false)
  /** a null `file`: the agent closed the save dialog */
  const result = ref<DiagnosticsResult | null>(null)
  const error = ref<Notice | null>(null)

  async function exportBundle(): Promise<void> {
    busy.value = true
    result.value = null
    error.value = null
    try {
      result.value = await api.diagnostics.export()
    } catch (e) {
      error.value = noticeOf(e)
    } finally {
      busy.value = false
    }
  }

  return { busy, result, error, exportBundle }
})
