import { onBeforeUnmount, onMounted } from 'vue'
import { isTypingTarget } from '../composables/input/useHotkeys'
import { useSessionStore } from '../stores/session'

/** A dialog, drawer or the key list is over the screen (Element Plus overlays are kept hidden). */
export function overlayOpen(): boolean {
  return Array.from(document.querySelectorAll<HTMLElement>('.el-overlay')).some(
    (el) => getComputedStyle(el).display !== 'none',
  )
}

export interface SoftphoneKeys {
  /** Alt+<letter> → action, also from inside a text field (the workspace's Alt keys do the same) */
  alt?: Record<string, () => void>
  /**
   * a plain key (0–9, *, #, Escape) taken before the workspace sees it, or null to leave it:
   * the DTMF keypad takes the digits only while it is open, so 1–9 pick results otherwise
   */
  plain?: (key: string, target: EventTarget | null) => boolean
}

/**
 * The softphone's keys, on the window in the capture phase: a key taken here is marked handled
 * (preventDefault) and the workspace's own key handler, which skips handled keys, never sees it.
 * Nothing is taken while the screen is locked or a dialog is open.
 */
export function useSoftphoneKeys(keys: SoftphoneKeys): void {
  const session = useSessionStore()
  function onKeydown(e: KeyboardEvent): void {
    if (e.isComposing || e.defaultPrevented || session.locked || overlayOpen()) return
    if (e.ctrlKey || e.metaKey) return
    if (e.altKey) {
      const key = e.code.startsWith('Key') ? e.code.slice(3).toLowerCase() : e.key.toLowerCase()
      const run = keys.alt?.[key]
      if (run) {
        e.preventDefault()
        run()
      }
      return
    }
    if (isTypingTarget(e.target)) return
    if (keys.plain?.(e.key, e.target)) e.preventDefault()
  }
  onMounted(() => window.addEventListener('keydown', onKeydown, true))
  onBeforeUnmount(() => window.removeEventListener('keydown', onKeydown, true))
}
