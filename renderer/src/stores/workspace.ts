import { defineStore } from 'pinia'
import { reactive, ref, watch } from 'vue'
import type {
  CallDraft,
  DispensedPhone,
  PackageRef,
  SaveCallbackInput,
  WriteReceipt,
} from '../../../shared/domain'
import { intents, type Intent } from '../../../shared/fields'
import { useApi } from '../api'
import {
  dialCall,
  emptyCallDraft,
  markDialled as startCall,
  markEnded as endCall,
  noCallTimes,
  savedFields,
} from './call-times'
import { useReachStore } from './reach'
import { useLatest } from '../composables/async/useLatest'
import { attempt, noticeOf, type Notice } from './notice'

export { intents, type Intent }

/** ready: a number is on screen; exhausted/expired: the package or project is done with */
export type Phase = 'idle' | 'loading' | 'ready' | 'exhausted' | 'expired' | 'error'

export interface SavedCall {
  ownerName: string
  phone: string
  callbackItem: string
  receipt: WriteReceipt
}

const emptyForm = emptyCallDraft

/** The calling loop: one package, its current number, the form, save → next number. */
export const useWorkspaceStore = defineStore('workspace', () => {
  const api = useApi()
  const pkg = ref<PackageRef | null>(null)
  const phone = ref<DispensedPhone | null>(null)
  const phase = ref<Phase>('idle')
  const phaseNotice = ref<Notice | null>(null)
  const reach = useReachStore()
  watch(phaseNotice, (n) => (reach.dispenseUnreachable = n?.kind === 'network'))
  const form = reactive(emptyForm())
  const call = reactive(noCallTimes())
  const saving = ref(false)
  const saveNotice = ref<Notice | null>(null)
  const lastSaved = ref<SavedCall | null>(null)
  /** the number this call put on the 勿扰 list (the agent may take it back until saving) */
  const dncMarked = ref<string | null>(null)
  /** every number asked for makes the earlier requests stale: a late answer is ignored */
  const latest = useLatest()
  /** the numbers main holds behind the one on screen, in order: the next shows without waiting */
  const ahead = ref<DispensedPhone[]>([])
  /** main's last getphone said the package is called through: after these, the end */
  const aheadEnds = ref(false)
  const latestAhead = useLatest()
  /** main fetches ahead while the agent reads the number: look again until one is there */
  const AHEAD_LOOK_MS = 150
  const AHEAD_LOOKS = 20

  async function refreshAhead(looks = AHEAD_LOOKS): Promise<void> {
    const target = pkg.value
    const current = phone.value
    if (!target || !current) return
    const isLatest = latestAhead.next()
    try {
      const held = await api.calling.held(target)
      if (!isLatest() || phone.value?.phoneId !== current.phoneId) return
      const at = held.phones.findIndex((p) => p.phoneId === current.phoneId)
      ahead.value = at < 0 ? [] : held.phones.slice(at + 1)
      aheadEnds.value = held.exhausted
      if (ahead.value.length === 0 && !held.exhausted && looks > 1) {
        setTimeout(() => {
          if (isLatest()) void refreshAhead(looks - 1)
        }, AHEAD_LOOK_MS)
      }
    } catch {
      // only a shortcut: without it the next number is asked for after the save
      ahead.value = []
      aheadEnds.value = false
    }
  }

  // ---- drafts: what is typed is kept in main, so leaving the screen or a restart loses nothing
  const DRAFT_DELAY_MS = 300
  let draftTimer: ReturnType<typeof setTimeout> | null = null
  /** a draft for the number on screen exists in main (typed, or restored) */
  let drafted = false
  /** the form as main has it (nothing for a new number, the restored draft, the last put) */
  let inMain = JSON.stringify(emptyForm())

  function draftNow(): void {
    if (draftTimer) clearTimeout(draftTimer)
    draftTimer = null
    const current = phone.value
    if (!current) return
    const draft: CallDraft = { ...form }
    inMain = JSON.stringify(draft)
    void attempt(() =>
      api.calling.putDraft({ packageId: current.packageId, phoneId: current.phoneId, draft }),
    )
  }

  watch(form, () => {
    // an emptied form after typing is put too: main then drops the draft
    if (!phone.value || JSON.stringify(form) === inMain) return
    drafted = true
    if (draftTimer) clearTimeout(draftTimer)
    draftTimer = setTimeout(draftNow, DRAFT_DELAY_MS)
  })

  function setForm(values: CallDraft): void {
    Object.assign(form, values)
    inMain = JSON.stringify(form)
  }

  /** the draft kept for the number on screen, unless the agent has typed meanwhile */
  async function restoreDraft(current: DispensedPhone, isLatest: () => boolean): Promise<void> {
    const at = { packageId: current.packageId, phoneId: current.phoneId }
    const draft = await api.calling.draft(at).catch(() => null)
    // (by id: phone.value is the reactive copy of `current`)
    if (!draft || !isLatest() || phone.value?.phoneId !== current.phoneId || drafted) return
    drafted = true
    setForm(draft)
  }

  function resetCall(): void {
    if (draftTimer) clearTimeout(draftTimer)
    draftTimer = null
    drafted = false
    setForm(emptyForm())
    Object.assign(call, noCallTimes())
    saveNotice.value = null
    dncMarked.value = null
  }

  // ---- a failed getphone is asked again by itself (the agent never presses 重试 for it):
  // soon at first, then every half minute at most, until a number comes
  const RETRY_MS = [2000, 4000, 8000, 15000, 30000]
  let retryTimer: ReturnType<typeof setTimeout> | null = null
  let retries = 0
  function stopRetry(): void {
    if (retryTimer) clearTimeout(retryTimer)
    retryTimer = null
  }
  function retryLater(): void {
    stopRetry()
    const wait = RETRY_MS[Math.min(retries, RETRY_MS.length - 1)]
    retries++
    retryTimer = setTimeout(() => {
      retryTimer = null
      if (phase.value === 'error') void fetchNumber(false)
    }, wait)
  }

  function fail(e: unknown): void {
    const notice = noticeOf(e)
    const code = notice.code
    phone.value = null
    phase.value =
      code === 'package-exhausted' ? 'exhausted' : code === 'project-expired' ? 'expired' : 'error'
    phaseNotice.value = notice
    if (phase.value === 'error') retryLater()
  }

  async function fetchNumber(first: boolean): Promise<void> {
    const target = pkg.value
    if (!target) return
    const isLatest = latest.next()
    latestAhead.drop()
    ahead.value = []
    aheadEnds.value = false
    phase.value = 'loading'
    phaseNotice.value = null
    phone.value = null
    try {
      // on opening, the number dispensed earlier and not yet saved comes first
      const current = first ? await api.calling.currentPhone(target) : null
      const next = current ?? (await api.calling.nextPhone(target))
      if (!isLatest()) return
      stopRetry()
      retries = 0
      phone.value = next
      phase.value = 'ready'
      // a number held before (another screen, a restart) may have a draft; a fresh one has none
      if (current) void restoreDraft(current, isLatest)
      void refreshAhead()
    } catch (e) {
      if (isLatest()) fail(e)
    }
  }

  async function open(projectId: number, packageId: number): Promise<void> {
    pkg.value = { projectId, packageId }
    lastSaved.value = null
    resetCall()
    await fetchNumber(true)
  }

  const reload = (): Promise<void> => fetchNumber(false)

  function pick(item: string): void {
    form.callbackItem = item
    if (saveNotice.value && 'key' in saveNotice.value) saveNotice.value = null
  }

  /**
   * The dial key: through the built-in softphone when it is registered (real call states drive
   * the timer, the SIP outcome preselects the disposition for the agent to confirm), otherwise
   * main opens the settings' tel:/sip: URI and the timer starts.
   */
  async function dial(): Promise<Notice | null> {
    const current = phone.value
    if (!current) return null
    return dialCall(
      current.phone,
      call,
      () => phone.value === current,
      (item) => {
        if (form.callbackItem === '') pick(item)
      },
    )
  }

  function markDialled(at = new Date()): void {
    startCall(call, at)
  }

  function markEnded(at = new Date()): void {
    endCall(call, at)
  }

  /** what is saved for the number on screen: the form and the call's times */
  function inputOf(target: PackageRef, current: DispensedPhone): SaveCallbackInput {
    return {
      ...target,
      phoneId: current.phoneId,
      phone: current.phone,
      ownerName: current.ownerName,
      ...savedFields(form, call),
    }
  }

  /**
   * Records the result and shows the next number at once. saveCallback answers once main has the
   * record on disk (delivery is the outbox's business), so nothing here waits for the network.
   */
  async function save(): Promise<boolean> {
    const current = phone.value
    if (saving.value || phase.value !== 'ready' || !current || !pkg.value) return false
    if (form.callbackItem !== '' && (ahead.value[0] || aheadEnds.value)) {
      return saveAndShowHeld(current)
    }
    if (form.callbackItem === '') {
      saveNotice.value = { key: 'work.pickFirst' }
      return false
    }
    markEnded()
    const input = inputOf(pkg.value, current)
    saving.value = true
    saveNotice.value = null
    try {
      const receipt = await api.calling.saveCallback(input)
      lastSaved.value = {
        ownerName: current.ownerName,
        phone: current.phone,
        callbackItem: input.callbackItem,
        receipt,
      }
    } catch (e) {
      saveNotice.value = noticeOf(e)
      return false
    } finally {
      saving.value = false
    }
    resetCall()
    await fetchNumber(false)
    return true
  }

  /**
   * The next number is one main already holds: it is on screen in the same frame as the Enter,
   * and the save goes on underneath. Should main refuse the save (a full disk), the call comes
   * back with what was typed and the reason, as long as the agent has not moved on.
   */
  async function saveAndShowHeld(current: DispensedPhone): Promise<boolean> {
    const target = pkg.value
    const next = ahead.value[0] ?? null
    if (!target) return false
    markEnded()
    const input = inputOf(target, current)
    const typed: CallDraft = { ...form }
    const times = { ...call }
    ahead.value = ahead.value.slice(1)
    const isLatest = latest.next()
    resetCall()
    phone.value = next
    if (next) {
      phase.value = 'ready'
      // after the frame that shows the number: a held number rarely has a draft
      setTimeout(() => void restoreDraft(next, isLatest), 0)
    } else {
      // the package is called through: its end, without asking again
      phase.value = 'exhausted'
      phaseNotice.value = null
    }
    try {
      const receipt = await api.calling.saveCallback(input)
      lastSaved.value = {
        ownerName: current.ownerName,
        phone: current.phone,
        callbackItem: input.callbackItem,
        receipt,
      }
    } catch (e) {
      const stillThere = next
        ? phone.value?.phoneId === next.phoneId && form.callbackItem === ''
        : phase.value === 'exhausted'
      if (stillThere) {
        latest.next()
        if (next) ahead.value = [next, ...ahead.value]
        phase.value = 'ready'
        resetCall()
        phone.value = current
        setForm(typed)
        Object.assign(call, times)
      }
      saveNotice.value = noticeOf(e)
      return false
    }
    void refreshAhead()
    return true
  }

  /**
   * 勿扰: main never dispenses the number again. The 勿扰 item is picked and the call stays on
   * screen, so a mistake can be taken back (undoDnc) before Enter records it.
   */
  async function markDnc(dncItem: string | undefined): Promise<boolean> {
    const current = phone.value
    if (!current || phase.value !== 'ready') return false
    try {
      await api.calling.markDnc({ phone: current.phone })
    } catch (e) {
      saveNotice.value = noticeOf(e)
      return false
    }
    dncMarked.value = current.phone
    if (dncItem) pick(dncItem)
    return true
  }

  /** takes back this call's 勿扰 (main allows it to the agent who marked it) */
  async function undoDnc(dncItem: string | undefined): Promise<boolean> {
    const marked = dncMarked.value
    if (!marked) return false
    const failed = await attempt(() => api.calling.undoDnc({ phone: marked }))
    if (failed) {
      saveNotice.value = failed
      return false
    }
    dncMarked.value = null
    if (dncItem && form.callbackItem === dncItem) form.callbackItem = ''
    return true
  }

  function close(): void {
    // leaving the screen: what was typed goes to main now, not after the delay
    if (draftTimer) draftNow()
    latest.drop()
    latestAhead.drop()
    ahead.value = []
    aheadEnds.value = false
    stopRetry()
    retries = 0
    pkg.value = null
    phone.value = null
    phase.value = 'idle'
    resetCall()
  }

  return {
    pkg,
    phone,
    ahead,
    phase,
    phaseNotice,
    form,
    call,
    saving,
    saveNotice,
    lastSaved,
    dncMarked,
    open,
    reload,
    pick,
    markDialled,
    markEnded,
    dial,
    save,
    markDnc,
    undoDnc,
    close,
  }
})
