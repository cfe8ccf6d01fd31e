import { defineStore } from 'pinia'
import { reactive, ref } from 'vue'
import type {
  DispensedPhone,
  PackageRef,
  SaveCallbackInput,
  WriteReceipt,
} from '../../../shared/domain'
import { intents, type Intent } from '../../../shared/fields'
import { useApi } from '../api'
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

const emptyForm = () => ({
  callbackItem: '',
  notes: '',
  nextFollowDate: '',
  nextFollowContent: '',
  intent: 'C' as Intent,
})

/** The calling loop: one package, its current number, the form, save → next number. */
export const useWorkspaceStore = defineStore('workspace', () => {
  const api = useApi()
  const pkg = ref<PackageRef | null>(null)
  const phone = ref<DispensedPhone | null>(null)
  const phase = ref<Phase>('idle')
  const phaseNotice = ref<Notice | null>(null)
  const form = reactive(emptyForm())
  const call = reactive({ dialledAt: null as string | null, endedAt: null as string | null })
  const saving = ref(false)
  const saveNotice = ref<Notice | null>(null)
  const lastSaved = ref<SavedCall | null>(null)
  /** every number asked for makes the earlier requests stale: a late answer is ignored */
  const latest = useLatest()

  function resetCall(): void {
    Object.assign(form, emptyForm())
    call.dialledAt = null
    call.endedAt = null
    saveNotice.value = null
  }

  function fail(e: unknown): void {
    const notice = noticeOf(e)
    const code = notice.code
    phone.value = null
    phase.value =
      code === 'package-exhausted' ? 'exhausted' : code === 'project-expired' ? 'expired' : 'error'
    phaseNotice.value = notice
  }

  async function fetchNumber(first: boolean): Promise<void> {
    const target = pkg.value
    if (!target) return
    const isLatest = latest.next()
    phase.value = 'loading'
    phaseNotice.value = null
    phone.value = null
    try {
      // on opening, the number dispensed earlier and not yet saved comes first
      const current = first ? await api.calling.currentPhone(target) : null
      const next = current ?? (await api.calling.nextPhone(target))
      if (!isLatest()) return
      phone.value = next
      phase.value = 'ready'
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

  function markDialled(at = new Date()): void {
    call.dialledAt = at.toISOString()
    call.endedAt = null
  }

  /** click-to-dial: main opens the settings' tel:/sip: URI; the call timer starts */
  async function dial(): Promise<Notice | null> {
    const current = phone.value
    if (!current) return null
    const failed = await attempt(() => api.calling.dial({ phone: current.phone }))
    if (!failed && phone.value === current) markDialled()
    return failed
  }

  function markEnded(at = new Date()): void {
    if (call.dialledAt && !call.endedAt) call.endedAt = at.toISOString()
  }

  /**
   * Records the result and shows the next number at once. saveCallback answers once main has the
   * record on disk (delivery is the outbox's business), so nothing here waits for the network.
   */
  async function save(): Promise<boolean> {
    const current = phone.value
    if (saving.value || phase.value !== 'ready' || !current || !pkg.value) return false
    if (form.callbackItem === '') {
      saveNotice.value = { key: 'work.pickFirst' }
      return false
    }
    markEnded()
    const input: SaveCallbackInput = {
      ...pkg.value,
      phoneId: current.phoneId,
      phone: current.phone,
      ownerName: current.ownerName,
      callbackItem: form.callbackItem,
      notes: form.notes.trim(),
      intent: form.intent,
      ...(form.nextFollowDate ? { nextFollowDate: form.nextFollowDate } : {}),
      ...(form.nextFollowContent.trim()
        ? { nextFollowContent: form.nextFollowContent.trim() }
        : {}),
      ...(call.dialledAt ? { dialledAt: call.dialledAt } : {}),
      ...(call.endedAt ? { endedAt: call.endedAt } : {}),
    }
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

  /** 勿扰: main never dispenses the number again; the call is then closed like any other. */
  async function markDnc(dncItem: string | undefined): Promise<boolean> {
    const current = phone.value
    if (!current || phase.value !== 'ready') return false
    try {
      await api.calling.markDnc({ phone: current.phone })
    } catch (e) {
      saveNotice.value = noticeOf(e)
      return false
    }
    if (dncItem) form.callbackItem = dncItem
    if (form.callbackItem !== '') return save()
    resetCall()
    await fetchNumber(false)
    return true
  }

  function close(): void {
    latest.drop()
    pkg.value = null
    phone.value = null
    phase.value = 'idle'
    resetCall()
  }

  return {
    pkg,
    phone,
    phase,
    phaseNotice,
    form,
    call,
    saving,
    saveNotice,
    lastSaved,
    open,
    reload,
    pick,
    markDialled,
    markEnded,
    dial,
    save,
    markDnc,
    close,
  }
})
