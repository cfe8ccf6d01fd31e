/**
 * The few DOM touches components need, kept in TypeScript modules (the lint config checks .vue
 * files for undeclared globals, and the DOM's are not declared there).
 */
export type El = HTMLElement

/** A focusable component instance (Element Plus inputs and buttons expose these). */
export interface FocusTarget {
  focus(): void
}

/** Element Plus buttons expose their DOM element as `ref` */
export interface ButtonInstance {
  ref?: HTMLElement
}

export function focusById(id: string): void {
  document.getElementById(id)?.focus()
}

/** whether "back" has somewhere to go inside the app */
export function canGoBack(): boolean {
  return window.history.length > 1
}

export type InputEl = HTMLInputElement

/** the page's language attribute follows the UI language (screen readers, fonts) */
export function setDocumentLang(lang: string): void {
  document.documentElement.lang = lang
}

/** host:port of a URL, or the text itself when it is not one */
export function hostOf(url: string): string {
  try {
    return new URL(url).host
  } catch {
    return url
  }
}

/** focuses the first focusable control inside the element a selector finds */
export function focusFirstIn(selector: string): void {
  document
    .querySelector<HTMLElement>(`${selector} input:not([disabled]), ${selector} button`)
    ?.focus()
}

/** a one-line input (not a textarea, not a checkbox or radio): Enter has no meaning of its own */
export function isSingleLineInput(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLInputElement && !['checkbox', 'radio', 'button'].includes(target.type)
  )
}
