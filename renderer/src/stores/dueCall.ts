import { defineStore } from 'pinia'
import { reactive, ref } from 'vue'
import type { CallLogRow } from '../../../shared/calllog'
import { useApi } from '../api'
import {
  dialCall,
  emptyCallDraft,
  markEnded as endCall,
  noCallTimes,
  savedFields,
} from './call-times'
import { noticeOf, type Notice } from './notice'
import { useStoryStore } from './story'

/**
 * Calling a follow-up due today (今日待回访): the number was not dispensed now, so it has its own
 * form and save (calling.saveFollowUp), beside the dispensed number the workspace holds, which
 * stays as it was. A saved follow-up leaves today's list.
 */
export const useDueCallStore = defineStore('dueCall', () => {
  const api = useApi()
  const story = useStoryStore()
  const row = ref<CallLogRow | null>(null)
  const form = reactive(emptyCallDraft())
  const call = reactive(noCallTimes())
  const saving = ref(false)
  const notice = ref<Notice | null>(null)
  /** the follow-up saved last, for the ✓ line */
  const saved = ref<{ ownerName: string; phone: string; callbackItem: string } | null>(null)

  function start(next: CallLogRow | null): void {
    row.value = next
    Object.assign(form, emptyCallDraft())
    Object.assign(call, noCallTimes())
    notice.value = null
  }

  function pick(item: string): void {
    form.callbackItem = item
    notice.value = null
  }

  function markEnded(at = new Date()): void {
    endCall(call, at)
  }

  /** through the built-in phone when it is registered, else main's tel:/sip: URI */
  async function dial(): Promise<void> {
    const current = row.value
    if (!current) return
    notice.value = await dialCall(
      current.phone,
      call,
      () => row.value?.id === current.id,
      (item) => {
        if (form.callbackItem === '') pick(item)
      },
    )
  }

  /** saves the result once; the follow-up leaves today's list and the form is cleared */
  async function save(): Promise<boolean> {
    const current = row.value
    if (!current || saving.value) return false
    if (form.callbackItem === '') {
      notice.value = { key: 'work.pickFirst' }
      return false
    }
    markEnded()
    saving.value = true
    notice.value = null
    try {
      await api.calling.saveFollowUp({ followUpOf: current.id, ...savedFields(form, call) })
    } catch (e) {
      const n = noticeOf(e)
      // saved already (a second window, an answer lost on the way): it is off the list either way
      if (n.code === 'follow-up-closed') void story.loadDue()
      notice.value = n
      return false
    } finally {
      saving.value = false
    }
    saved.value = {
      ownerName: current.ownerName,
      phone: current.phone,
      callbackItem: form.callbackItem,
    }
    story.due = story.due.filter((r) => r.id !== current.id)
    start(null)
    return true
  }

  return { row, form, call, saving, notice, saved, start, pick, markEnded, dial, save }
})
