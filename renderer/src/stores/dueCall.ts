import { defineStore } from 'pinia'
import { reactive, ref } from 'vue'
import type { CallLogRow } from '../../../shared/calllog'
import type { CallDraft } from '../../../shared/domain'
import type { Intent } from '../../../shared/fields'
import { suggestedItem } from '../../../shared/softphone-outcome'
import { useApi } from '../api'
import { useSoftphoneStore } from '../softphone/store'
import { useCatalogStore } from './catalog'
import { attempt, noticeOf, type Notice } from './notice'
import { useStoryStore } from './story'

const emptyForm = (): CallDraft => ({
  callbackItem: '',
  notes: '',
  nextFollowDate: '',
  nextFollowContent: '',
  intent: 'C' as Intent,
})

/**
 * Calling a follow-up due today (今日待回访): the number was not dispensed now, so it has its own
 * form and save (calling.saveFollowUp), beside the dispensed number the workspace holds, which
 * stays as it was. A saved follow-up leaves today's list.
 */
export const useDueCallStore = defineStore('dueCall', () => {
  const api = useApi()
  const story = useStoryStore()
  const row = ref<CallLogRow | null>(null)
  const form = reactive(emptyForm())
  const call = reactive({ dialledAt: null as string | null, endedAt: null as string | null })
  const saving = ref(false)
  const notice = ref<Notice | null>(null)
  /** the follow-up saved last, for the ✓ line */
  const saved = ref<{ ownerName: string; phone: string; callbackItem: string } | null>(null)

  function start(next: CallLogRow | null): void {
    row.value = next
    Object.assign(form, emptyForm())
    call.dialledAt = null
    call.endedAt = null
    notice.value = null
  }

  function pick(item: string): void {
    form.callbackItem = item
    notice.value = null
  }

  function markEnded(at = new Date()): void {
    if (call.dialledAt && !call.endedAt) call.endedAt = at.toISOString()
  }

  /** through the built-in phone when it is registered, else main's tel:/sip: URI */
  async function dial(): Promise<void> {
    const current = row.value
    if (!current) return
    const softphone = useSoftphoneStore()
    const mine = () => row.value?.id === current.id
    if (softphone.ready) {
      notice.value = await attempt(() =>
        softphone.dial(current.phone, {
          onDialled: (at) => {
            if (!mine()) return
            call.dialledAt = at.toISOString()
            call.endedAt = null
          },
          onEnded: (at, outcome) => {
            if (!mine()) return
            markEnded(at)
            const names = useCatalogStore().callbackItems.map((i) => i.name)
            const item = suggestedItem(outcome, names)
            if (item && form.callbackItem === '') pick(item)
          },
        }),
      )
      return
    }
    const failed = await attempt(() => api.calling.dial({ phone: current.phone }))
    notice.value = failed
    if (!failed && mine()) {
      call.dialledAt = new Date().toISOString()
      call.endedAt = null
    }
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
      await api.calling.saveFollowUp({
        followUpOf: current.id,
        callbackItem: form.callbackItem,
        notes: form.notes.trim(),
        intent: form.intent,
        ...(form.nextFollowDate ? { nextFollowDate: form.nextFollowDate } : {}),
        ...(form.nextFollowContent.trim()
          ? { nextFollowContent: form.nextFollowContent.trim() }
          : {}),
        ...(call.dialledAt ? { dialledAt: call.dialledAt } : {}),
        ...(call.endedAt ? { endedAt: call.endedAt } : {}),
      })
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
