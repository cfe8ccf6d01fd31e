import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { UpdateStatus } from '../../../shared/updates'
import { useApi } from '../api'
import { noticeOf, type Notice } from './notice'

type Action = 'check' | 'download' | 'install'

/**
 * The app's own updates, as main's updater reports them (updates.status and the updateStatus
 * event). The banner shows only what the agent can act on; the settings show every state.
 */
export const useUpdatesStore = defineStore('updates', () => {
  const api = useApi()
  const status = ref<UpdateStatus | null>(null)
  const busy = ref<Action | null>(null)
  /** a call that failed outright, as opposed to the updater's own error */
  const callError = ref<Notice | null>(null)
  /** the banner's state the agent closed (shown again when the state changes) */
  const dismissed = ref<string | null>(null)
  let unsubscribe: (() => void) | null = null

  const bannerKey = computed(() => {
    const s = status.value
    if (!s) return null
    if (!['available', 'downloading', 'downloaded', 'error'].includes(s.state)) return null
    return `${s.state}:${s.available?.version ?? ''}:${s.error ?? ''}`
  })
  const showBanner = computed(() => bannerKey.value !== null && bannerKey.value !== dismissed.value)

  function apply(next: UpdateStatus): void {
    status.value = next
  }

  async function start(): Promise<void> {
    unsubscribe ??= api.on('updateStatus', apply)
    try {
      apply(await api.updates.status())
    } catch {
      // an older main without the updater: nothing to show
    }
  }

  function stop(): void {
    unsubscribe?.()
    unsubscribe = null
  }

  async function run(action: Action): Promise<void> {
    if (busy.value) return
    busy.value = action
    callError.value = null
    try {
      apply(await api.updates[action]())
    } catch (e) {
      callError.value = noticeOf(e)
    } finally {
      busy.value = null
    }
  }

  const check = (): Promise<void> => run('check')
  const download = (): Promise<void> => run('download')
  const install = (): Promise<void> => run('install')

  function dismiss(): void {
    dismissed.value = bannerKey.value
  }

  return {
    status,
    busy,
    callError,
    showBanner,
    start,
    stop,
    apply,
    check,
    download,
    install,
    dismiss,
  }
})
