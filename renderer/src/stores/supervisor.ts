import { defineStore } from 'pinia'
import { computed, ref, watch } from 'vue'
import type {
  ImportResult,
  ImportSummary,
  SupervisorStatus,
  TeamCoverage,
} from '../../../shared/calllog'
import { useApi } from '../api'
import { attempt, noticeOf, type Notice } from './notice'
import { useCallLogStore } from './calllog'
import { useSessionStore } from './session'

/**
 * 主管模式 on this machine: main holds it (for this session only) and keeps the password's hash;
 * the screen only knows whether it is set and open. Opening or closing it changes which rows the
 * call log shows, so the history and statistics load again.
 */
export const useSupervisorStore = defineStore('supervisor', () => {
  const api = useApi()
  const calllog = useCallLogStore()
  const status = ref<SupervisorStatus | null>(null)
  /** full numbers in the history list; off again whenever the mode closes */
  const revealPhones = ref(false)
  const importing = ref(false)
  const lastImport = ref<ImportResult | null>(null)
  const importError = ref<Notice | null>(null)
  /** several files, a folder or dropped files: each file's outcome */
  const lastSummary = ref<ImportSummary | null>(null)
  const coverage = ref<TeamCoverage | null>(null)

  const session = useSessionStore()

  // main closes the mode with the session (logout, another agent, expiry): so does the screen
  watch(
    () => session.info?.loggedInAt,
    () => {
      status.value = null
      revealPhones.value = false
      lastImport.value = null
      importError.value = null
      lastSummary.value = null
      coverage.value = null
    },
  )

  const unlocked = computed(() => status.value?.unlocked === true)
  const configured = computed(() => status.value?.configured === true)

  async function apply(next: SupervisorStatus): Promise<void> {
    const changed = next.unlocked !== unlocked.value
    status.value = next
    if (!changed) return
    if (!next.unlocked) {
      revealPhones.value = false
      lastImport.value = null
      importError.value = null
      lastSummary.value = null
      coverage.value = null
      if (calllog.form.userNum) calllog.setFilter({ userNum: '' })
    }
    calllog.invalidate()
    await calllog.loadAgents()
    if (next.unlocked) await loadCoverage()
  }

  async function refresh(): Promise<void> {
    try {
      await apply(await api.calllog.supervisorStatus())
    } catch {
      status.value = null
    }
  }

  /** main's notice names the field ('password': wrong) or the code ('not-configured') */
  function unlock(password: string): Promise<Notice | null> {
    return attempt(async () => apply(await api.calllog.supervisorUnlock({ password })))
  }

  /** Sets the first password, or changes it with the current one; the mode opens either way. */
  function setPassword(next: string, current?: string): Promise<Notice | null> {
    const input = current === undefined ? { next } : { current, next }
    return attempt(async () => apply(await api.calllog.setSupervisorPassword(input)))
  }

  function lock(): Promise<Notice | null> {
    return attempt(async () => apply(await api.calllog.supervisorLock()))
  }

  /** Main asks for the file; a null `file` in the result means the supervisor chose none. */
  async function importFile(): Promise<void> {
    if (importing.value) return
    importing.value = true
    lastImport.value = null
    importError.value = null
    try {
      const result = await api.calllog.importFile()
      lastImport.value = result
      // pause periods change the statistics too
      if (result.added > 0 || (result.pauses?.added ?? 0) > 0) {
        calllog.invalidate()
        await calllog.loadAgents()
      }
    } catch (e) {
      importError.value = noticeOf(e)
    } finally {
      importing.value = false
    }
  }

  function clearImport(): void {
    lastImport.value = null
    importError.value = null
    lastSummary.value = null
  }

  async function loadCoverage(): Promise<void> {
    if (!unlocked.value) {
      coverage.value = null
      return
    }
    try {
      coverage.value = await api.calllog.coverage()
    } catch {
      coverage.value = null
    }
  }

  /** The team's files: several at once, the files of a folder, or files dropped on the window. */
  async function importMany(run: () => Promise<ImportSummary | null>): Promise<void> {
    if (importing.value) return
    importing.value = true
    lastImport.value = null
    lastSummary.value = null
    importError.value = null
    try {
      const summary = await run()
      if (!summary) return
      lastSummary.value = summary
      if (summary.added > 0 || (summary.pauses?.added ?? 0) > 0) {
        calllog.invalidate()
        await calllog.loadAgents()
      }
      await loadCoverage()
    } catch (e) {
      importError.value = noticeOf(e)
    } finally {
      importing.value = false
    }
  }

  function importFiles(pick: 'files' | 'folder'): Promise<void> {
    return importMany(() => api.calllog.importFiles({ pick }))
  }

  function importDropped(files: readonly File[]): Promise<void> {
    return importMany(async () => {
      const wanted = files.filter((f) => /\.(csv|xlsx)$/i.test(f.name))
      if (wanted.length === 0) return null
      const encoded = await Promise.all(
        wanted.map(async (f) => ({ name: f.name, data: await base64Of(f) })),
      )
      return api.calllog.importDropped({ files: encoded })
    })
  }

  return {
    status,
    unlocked,
    configured,
    revealPhones,
    importing,
    lastImport,
    importError,
    refresh,
    unlock,
    setPassword,
    lock,
    importFile,
    clearImport,
    lastSummary,
    coverage,
    loadCoverage,
    importFiles,
    importDropped,
  }
})

/** A file's bytes as base64 (the browser's own encoder, via a data: URL). */
function base64Of(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader()
    reader.onload = () => {
      const url = String(reader.result)
      resolve(url.slice(url.indexOf(',') + 1))
    }
    reader.onerror = () => reject(reader.error ?? new Error('文件读取失败'))
    reader.readAsDataURL(file)
  })
}
