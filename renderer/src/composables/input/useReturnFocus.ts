import { nextTick, onBeforeUnmount, readonly, ref, watch } from 'vue'

/** How long after an overlay closes a focus it hands back (its trigger) is taken back. */
const RECLAIM_MS = 1000

const requests = ref(0)

/**
 * Anything outside the calling screen (the header's status select, a dialog) asks for the focus
 * back on the call: the next digit or Enter then works the call, not that control.
 */
export function returnToCall(): void {
  requests.value++
}
export const callFocusRequests = readonly(requests)

/**
 * Focus goes home when an overlay (dialog, drawer, the key list) closes or a request comes.
 * Element Plus hands the focus back to the overlay's trigger only after its close transition,
 * so a focus landing outside `home`'s container shortly after is taken back as well.
 */
export function useReturnFocus(
  overlayOpen: () => boolean,
  home: () => HTMLElement | null | undefined,
): void {
  let until = 0

  function goHome(): void {
    until = Date.now() + RECLAIM_MS
    void nextTick(() => home()?.focus())
  }

  function onFocusIn(e: FocusEvent): void {
    if (Date.now() > until || overlayOpen()) return
    const el = home()
    if (!el || e.target === el) return
    el.focus()
  }
  // the agent's own click goes where it was aimed
  const onPointerDown = (): void => void (until = 0)

  watch(overlayOpen, (open, was) => {
    if (was && !open) goHome()
  })
  watch(callFocusRequests, goHome)
  window.addEventListener('focusin', onFocusIn)
  window.addEventListener('pointerdown', onPointerDown, true)
  onBeforeUnmount(() => {
    window.removeEventListener('focusin', onFocusIn)
    window.removeEventListener('pointerdown', onPointerDown, true)
  })
}
