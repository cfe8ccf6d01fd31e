/**
 * Every key of the calling screen, in one list: the controls show theirs and the `?` overlay
 * lists them all. `label` is an i18n key under `keys.`.
 */
export interface KeyBinding {
  keys: string
  label: string
}

export const FOLLOW_UP_DAYS = [1, 3, 7] as const

export const callKeys: KeyBinding[] = [
  { keys: '1–9', label: 'pick' },
  { keys: 'Enter', label: 'save' },
  { keys: 'Ctrl+Enter', label: 'saveAnywhere' },
  { keys: 'A–E', label: 'intent' },
  { keys: 'Alt+N', label: 'notes' },
  { keys: 'Alt+1 / Alt+3 / Alt+7', label: 'followIn' },
  { keys: 'Alt+F', label: 'followDate' },
  { keys: 'Alt+G', label: 'followContent' },
  { keys: 'Esc', label: 'backToCall' },
  { keys: 'Alt+D', label: 'dial' },
  { keys: 'Alt+H', label: 'hangUp' },
  { keys: 'Alt+M', label: 'mute' },
  { keys: 'Alt+J', label: 'hold' },
  { keys: 'Alt+T', label: 'keypad' },
  { keys: '0–9 / * / #', label: 'dtmf' },
  { keys: 'Alt+V', label: 'audioDevices' },
  { keys: 'Alt+Y', label: 'selfTest' },
  { keys: 'Alt+P', label: 'progressivePause' },
  { keys: 'Alt+X', label: 'progressiveSkip' },
  { keys: 'Alt+C', label: 'copy' },
  { keys: 'Alt+K', label: 'customer' },
  { keys: 'Alt+W', label: 'dnc' },
  { keys: 'Alt+Z', label: 'undoDnc' },
  { keys: 'Alt+S', label: 'sync' },
  { keys: 'Alt+R', label: 'dueToday' },
  { keys: '?', label: 'help' },
]
