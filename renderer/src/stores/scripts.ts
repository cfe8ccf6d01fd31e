import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { ProjectScript, ProjectScripts } from '../../../shared/connection-profile'
import type { Project } from '../../../shared/domain'
import { useApi } from '../api'
import { noticeOf, type Notice } from './notice'

export type { ProjectScript }

/**
 * The projects' 话术 and 卖点: shown read-only to agents on the calling screen; written by a
 * supervisor in supervisor mode (projects page) and put into the connection profile they hand
 * out, which brings them to every agent's desktop on import.
 */
export const useScriptsStore = defineStore('scripts', () => {
  const api = useApi()
  const all = ref<ProjectScripts>({})
  const loaded = ref(false)
  const notice = ref<Notice | null>(null)
  /** the project whose script the supervisor is editing */
  const editing = ref<Project | null>(null)

  async function load(): Promise<void> {
    notice.value = null
    try {
      all.value = await api.settings.scripts()
      loaded.value = true
    } catch (e) {
      notice.value = noticeOf(e)
    }
  }

  /** a project's script: keyed by its id, or by its name as a profile may key it */
  function forProject(p: Pick<Project, 'id' | 'name'> | undefined): ProjectScript | null {
    if (!p) return null
    return all.value[String(p.id)] ?? all.value[p.name.trim()] ?? null
  }

  /** saves one project's script (under its id; a name-keyed entry for it is folded in) */
  async function save(
    p: Pick<Project, 'id' | 'name'>,
    script: ProjectScript,
  ): Promise<Notice | null> {
    const next = { ...all.value }
    delete next[p.name.trim()]
    if (script.script.trim() === '' && script.sellingPoints.length === 0) delete next[String(p.id)]
    else next[String(p.id)] = script
    try {
      all.value = await api.settings.saveScripts({ scripts: next })
      return null
    } catch (e) {
      return noticeOf(e)
    }
  }

  /** the profile they hand out (its text), with these scripts in it, saved where they choose */
  async function exportInto(text: string): Promise<{ file: string } | { notice: Notice }> {
    try {
      return await api.settings.exportScripts({ text })
    } catch (e) {
      return { notice: noticeOf(e) }
    }
  }

  return { all, loaded, notice, editing, load, forProject, save, exportInto }
})
