import type { Page } from 'playwright-core'

/**
 * The keys an agent presses on `page()`, counted (the figure the keyboard tests print); typed
 * text is not a key.
 */
export function keyCounter(page: () => Page) {
  let n = 0
  return {
    press: async (key: string) => {
      n++
      await page().keyboard.press(key)
    },
    type: (words: string) => page().keyboard.type(words),
    get count() {
      return n
    },
  }
}
