import { onBeforeUnmount, onMounted } from 'vue'
import { isTypingTarget } from '../input/useHotkeys'

/**
 * PageDown / PageUp turn a list's pages wherever the focus is, but in a text field or a dialog
 * (`enabled` is asked on each key: false while the lock or a panel is over the screen).
 */
export function usePageKeys(turn: (delta: 1 | -1) => void, enabled: () => boolean): void {
  function onKeydown(e: KeyboardEvent): void {
    if (e.key !== 'PageDown' && e.key !== 'PageUp') return
    if (e.defaultPrevented || isTypingTarget(e.target) || !enabled()) return
    if (e.target instanceof HTMLElement && e.target.closest('[role=dialog]')) return
    e.preventDefault()
    turn(e.key === 'PageDown' ? 1 : -1)
  }
  onMounted(() => window.addEventListener('keydown', onKeydown))
  onBeforeUnmount(() => window.removeEventListener('keydown', onKeydown))
}
