import { onBeforeUnmount, onMounted } from 'vue'

export interface HotkeyHandlers {
  /** 1-9: pick the n-th item */
  digit?: (n: number) => void
  /** Enter where Enter has no meaning of its own (not in a text field, not on a button) */
  enter?: () => void
  /** Ctrl+Enter (⌘+Enter): also from inside a text field */
  submit?: () => void
  /** Alt+<letter or digit>, by lower-case letter or digit; also from inside a text field */
  alt?: Record<string, () => void>
  /** a plain letter (by lower case) where the agent is not typing */
  letter?: Record<string, () => void>
  /** `?`: the list of keys */
  help?: () => void
  /** Esc from a text field: back to the call (the field keeps what was typed) */
  escape?: (target: HTMLElement) => void
}

const TEXT_INPUT_TYPES = new Set([
  'text',
  'search',
  'password',
  'email',
  'tel',
  'url',
  'number',
  'date',
  'datetime-local',
  'month',
  'time',
  'week',
])

/** The agent is typing: digits and Enter belong to the field. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  if (target.isContentEditable) return true
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true
  if (target instanceof HTMLInputElement) return TEXT_INPUT_TYPES.has(target.type)
  return false
}

/** Enter already does something here (activates the button or link). */
function ownsEnter(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  return target.closest('button, a[href], summary, [role="button"], [role="menuitem"]') !== null
}

/**
 * Keyboard shortcuts of a screen, on the window while the component is mounted. `enabled` is
 * asked on each key: false while a dialog, the lock or the sync panel is over the screen.
 */
export function useHotkeys(handlers: HotkeyHandlers, enabled: () => boolean = () => true): void {
  function onKeydown(e: KeyboardEvent): void {
    // an IME candidate is being chosen: Enter and digits are the IME's
    if (e.isComposing || e.keyCode === 229 || e.defaultPrevented || !enabled()) return
    const ctrl = e.ctrlKey || e.metaKey
    if (e.key === 'Enter' && ctrl && !e.altKey && handlers.submit) {
      e.preventDefault()
      handlers.submit()
      return
    }
    if (e.altKey && !ctrl && handlers.alt) {
      const run = handlers.alt[e.key.toLowerCase()] ?? handlers.alt[codeKey(e.code)]
      if (run) {
        e.preventDefault()
        run()
      }
      return
    }
    if (ctrl || e.altKey) return
    if (isTypingTarget(e.target)) {
      if (e.key === 'Escape' && handlers.escape && e.target instanceof HTMLElement) {
        handlers.escape(e.target)
      }
      return
    }
    const letter = handlers.letter?.[e.key.length === 1 ? e.key.toLowerCase() : '']
    if (e.key === '?' && handlers.help) {
      e.preventDefault()
      handlers.help()
    } else if (letter) {
      e.preventDefault()
      letter()
    } else if (/^[1-9]$/.test(e.key) && handlers.digit) {
      e.preventDefault()
      handlers.digit(Number(e.key))
    } else if (e.key === 'Enter' && !e.shiftKey && handlers.enter && !ownsEnter(e.target)) {
      e.preventDefault()
      handlers.enter()
    }
  }

  onMounted(() => window.addEventListener('keydown', onKeydown))
  onBeforeUnmount(() => window.removeEventListener('keydown', onKeydown))
}

/** Alt+letter on macOS types a symbol: fall back to the physical key (KeyD → d, Digit3 → 3). */
function codeKey(code: string): string {
  if (code.startsWith('Key')) return code.slice(3).toLowerCase()
  return code.startsWith('Digit') ? code.slice(5) : ''
}
