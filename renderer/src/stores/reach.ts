import { defineStore } from 'pinia'
import { computed, onBeforeUnmount, onMounted, ref } from 'vue'
import { useApi } from '../api'
import { useSessionStore } from './session'
import { useSyncStore } from './sync'

/** How often the call server is asked while its reach matters (login screen, offline). */
export const REACH_PROBE_MS = 10_000

/**
 * One status for "can the call server be reached", from every piece of evidence: the reach
 * probe (main asks the server; before login too), the outbox's sends, a getphone that failed on
 * the network, an offline login. The header, the login screen and 离线工作中 all read this.
 */
export const useReachStore = defineStore('reach', () => {
  const api = useApi()
  const sync = useSyncStore()
  const session = useSessionStore()
  /** the last probe's answer; null before the first or when it could not be asked */
  const probed = ref<boolean | null>(null)
  /**
   * The workspace's last getphone failed on the network. The workspace reports it (rather than
   * this store reading the workspace) so the login screen does not load the workspace and its
   * SIP stack.
   */
  const dispenseUnreachable = ref(false)

  async function probe(): Promise<void> {
    try {
      probed.value = (await api.calling.reach()).online
    } catch {
      probed.value = null
    }
  }

  /** the outbox has delivered something since this session began */
  const heardSinceLogin = computed(() => {
    const at = sync.status?.lastSuccessAt
    const since = session.info?.loggedInAt
    return !!at && !!since && at >= since
  })
  /** logged in from the cache and no answer from the server since */
  const offlineSession = computed(
    () =>
      session.info?.offline === true &&
      probed.value !== true &&
      !(heardSinceLogin.value && sync.status?.online === true),
  )
  const offline = computed(
    () =>
      probed.value === false ||
      sync.status?.online === false ||
      dispenseUnreachable.value ||
      offlineSession.value,
  )

  return { probed, probe, dispenseUnreachable, offline, offlineSession }
})

/**
 * Asks the server now and every REACH_PROBE_MS while `when()` holds, for as long as the
 * component is mounted.
 */
export function useReachProbe(when: () => boolean = () => true): void {
  const reach = useReachStore()
  let timer: ReturnType<typeof setInterval> | null = null
  onMounted(() => {
    void reach.probe()
    timer = setInterval(() => {
      if (when()) void reach.probe()
    }, REACH_PROBE_MS)
  })
  onBeforeUnmount(() => {
    if (timer) clearInterval(timer)
  })
}
