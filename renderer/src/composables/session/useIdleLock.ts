import { onBeforeUnmount, onMounted } from 'vue'
import { useSessionStore } from '../../stores/session'
import { useSettingsStore } from '../../stores/settings'
import { useWorkspaceStore } from '../../stores/workspace'

const ACTIVITY = ['keydown', 'mousedown', 'mousemove', 'wheel', 'touchstart'] as const
const CHECK_EVERY_MS = 5_000

/**
 * Locks the desk after settings.idleLockMinutes without keyboard or mouse input (0: never).
 * Not during a call: an agent listening for minutes is not away.
 */
export function useIdleLock(): void {
  const session = useSessionStore()
  const settings = useSettingsStore()
  const workspace = useWorkspaceStore()
  let last = Date.now()
  let timer: ReturnType<typeof setInterval> | undefined

  const touch = (): void => {
    last = Date.now()
  }

  function check(): void {
    const minutes = settings.idleLockMinutes
    if (minutes <= 0 || !session.loggedIn || session.locked) return touch()
    if (workspace.call.dialledAt && !workspace.call.endedAt) return touch()
    if (Date.now() - last >= minutes * 60_000) void session.lock()
  }

  onMounted(() => {
    touch()
    for (const name of ACTIVITY) window.addEventListener(name, touch, { passive: true })
    timer = setInterval(check, CHECK_EVERY_MS)
  })
  onBeforeUnmount(() => {
    for (const name of ACTIVITY) window.removeEventListener(name, touch)
    clearInterval(timer)
  })
}
