import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { CallLogRow } from '../../../shared/calllog'
import { useApi } from '../api'
import { useLatest } from '../composables/async/useLatest'
import { noticeOf, type Notice } from './notice'
import { useProfileStore } from './profile'

/** One earlier contact with the number, from this desktop's log or the Data Center's. */
export interface StoryEntry {
  source: 'local' | 'datacenter'
  /** as the source gives it: an ISO time (local) or the Data Center's `yyyy-MM-dd HH:mm:ss` */
  time: string
  /** the outcome (local) or the follow-up category (Data Center) */
  what: string
  notes: string
  who: string
}

/** sortable text of either source's time: `yyyy-MM-dd HH:mm:ss` */
function sortKey(time: string): string {
  const t = Date.parse(time)
  if (!time.includes('T') || Number.isNaN(t)) return time
  const d = new Date(t)
  const p = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`
}

/**
 * This number's story before the call: what this desktop's call log and the Data Center's
 * follow-up history say about it, newest first, the name and gender the Data Center knows, and
 * any follow-up date still open. Also 今日待回访, the follow-ups due today. Nothing here is
 * awaited by the calling loop: the number shows first, its story fills in after.
 */
export const useStoryStore = defineStore('story', () => {
  const api = useApi()
  const profile = useProfileStore()
  const calls = ref<CallLogRow[]>([])
  const callsNotice = ref<Notice | null>(null)
  const latest = useLatest()

  async function load(phone: string): Promise<void> {
    const isLatest = latest.next()
    calls.value = []
    callsNotice.value = null
    try {
      const rows = await api.calling.story({ phone })
      if (isLatest()) calls.value = rows
    } catch (e) {
      if (isLatest()) callsNotice.value = noticeOf(e)
    }
  }

  function clear(): void {
    latest.drop()
    calls.value = []
    callsNotice.value = null
  }

  const dataCenter = computed(() => {
    const s = profile.sections.datacenter
    return s.status === 'ok' && s.section?.found ? s.section : null
  })
  const field = (label: string) => dataCenter.value?.fields.find((f) => f.label === label)?.value
  /** the real name the Data Center knows (the dispensed owner name is often just 李先生) */
  const knownName = computed(() => field('姓名') ?? null)
  /** 男 / 女 as the Data Center has it */
  const knownGender = computed(() => field('性别') ?? null)

  const entries = computed<StoryEntry[]>(() => {
    const local: StoryEntry[] = calls.value.map((r) => ({
      source: 'local',
      time: r.callTime,
      what: r.callbackItem,
      notes: r.notes,
      who: r.userName,
    }))
    const dc: StoryEntry[] = (dataCenter.value?.history ?? []).map((h) => ({
      source: 'datacenter',
      time: h.time,
      what: h.type,
      notes: h.content,
      who: '',
    }))
    return [...local, ...dc].sort((a, b) => sortKey(b.time).localeCompare(sortKey(a.time)))
  })

  /** the follow-up date the newest call set, unless a later call closed it */
  const openFollowUp = computed(() => {
    const newest = calls.value[0]
    return newest?.nextFollowDate
      ? { date: newest.nextFollowDate, content: newest.nextFollowContent ?? '' }
      : null
  })

  // ---- 今日待回访
  const due = ref<CallLogRow[]>([])
  const dueNotice = ref<Notice | null>(null)
  const dueLoading = ref(false)
  async function loadDue(): Promise<void> {
    dueLoading.value = true
    dueNotice.value = null
    try {
      due.value = await api.calling.dueToday()
    } catch (e) {
      dueNotice.value = noticeOf(e)
    } finally {
      dueLoading.value = false
    }
  }

  /** a due follow-up opened from 今日待回访: its calls here (its call: the dueCall store) */
  const opened = ref<{ phone: string; calls: CallLogRow[] } | null>(null)
  async function openDue(phone: string): Promise<Notice | null> {
    opened.value = { phone, calls: [] }
    try {
      const rows = await api.calling.story({ phone })
      if (opened.value?.phone === phone) opened.value = { phone, calls: rows }
      return null
    } catch (e) {
      return noticeOf(e)
    }
  }

  return {
    calls,
    callsNotice,
    load,
    clear,
    knownName,
    knownGender,
    entries,
    openFollowUp,
    due,
    dueNotice,
    dueLoading,
    loadDue,
    opened,
    openDue,
    sortKey,
  }
})
