import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { ExportProgress, ExportRequest } from '../../../shared/calllog'
import { useApi } from '../api'
import { noticeOf, type Notice } from './notice'

/** form: choosing; starting: main's save dialog is open; then main's progress events */
export type ExportPhase = 'form' | 'starting' | 'running' | 'done' | 'cancelled' | 'failed'

/**
 * One export at a time: main asks where to save, answers a job id and then reports through
 * exportProgress. The job outlives the dialog: closing it leaves the export running, and the
 * history's export button shows how far it is.
 */
export const useCallLogExportStore = defineStore('calllogExport', () => {
  const api = useApi()
  const phase = ref<ExportPhase>('form')
  const jobId = ref<string | null>(null)
  const progress = ref<ExportProgress | null>(null)
  /** main refused to start (invalid columns, supervisor mode needed, storage) */
  const error = ref<Notice | null>(null)
  const cancelling = ref(false)
  /** events that came before the job id did */
  const early = new Map<string, ExportProgress>()

  const active = computed(() => phase.value === 'starting' || phase.value === 'running')
  const percent = computed(() => {
    const p = progress.value
    if (!p || p.total === 0) return phase.value === 'done' ? 100 : 0
    return Math.min(100, Math.round((p.done / p.total) * 100))
  })

  function apply(event: ExportProgress): void {
    if (event.jobId !== jobId.value) {
      if (phase.value === 'starting') early.set(event.jobId, event)
      return
    }
    progress.value = event
    phase.value = event.state
    if (event.state !== 'running') cancelling.value = false
  }

  api.on('exportProgress', apply)

  async function start(request: ExportRequest): Promise<void> {
    if (active.value) return
    phase.value = 'starting'
    error.value = null
    progress.value = null
    jobId.value = null
    early.clear()
    try {
      const answer = await api.calllog.export(request)
      if (answer.jobId === null) {
        // the save dialog was cancelled: back to the form, nothing to say
        phase.value = 'form'
        return
      }
      jobId.value = answer.jobId
      phase.value = 'running'
      progress.value = {
        jobId: answer.jobId,
        state: 'running',
        done: 0,
        total: 0,
        file: null,
        message: null,
      }
      const first = early.get(answer.jobId)
      early.clear()
      if (first) apply(first)
    } catch (e) {
      phase.value = 'form'
      error.value = noticeOf(e)
    }
  }

  async function cancel(): Promise<void> {
    if (phase.value !== 'running' || !jobId.value) return
    cancelling.value = true
    try {
      await api.calllog.cancelExport({ jobId: jobId.value })
    } catch (e) {
      cancelling.value = false
      error.value = noticeOf(e)
    }
  }

  /** Back to the form after an export has ended. */
  function reset(): void {
    if (active.value) return
    phase.value = 'form'
    progress.value = null
    jobId.value = null
    error.value = null
  }

  return { phase, jobId, progress, error, cancelling, active, percent, apply, start, cancel, reset }
})
