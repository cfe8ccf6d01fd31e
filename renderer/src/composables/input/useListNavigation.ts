import type { Ref } from 'vue'

/**
 * Up/Down move the focus between the items of a list (the items are buttons); Home/End jump.
 * From the search field, Down enters the list.
 */
export function useListNavigation(list: Ref<HTMLElement | null>) {
  const items = (): HTMLElement[] =>
    Array.from(list.value?.querySelectorAll<HTMLElement>('[data-nav-item]') ?? [])

  function focusAt(index: number): void {
    const all = items()
    if (all.length === 0) return
    all[Math.max(0, Math.min(all.length - 1, index))]?.focus()
  }

  function onListKeydown(e: KeyboardEvent): void {
    const all = items()
    const at = all.indexOf(document.activeElement as HTMLElement)
    const moves: Record<string, number> = {
      ArrowDown: at + 1,
      ArrowUp: at - 1,
      Home: 0,
      End: all.length - 1,
    }
    const target = moves[e.key]
    if (target === undefined) return
    e.preventDefault()
    focusAt(target)
  }

  return { onListKeydown, focusFirst: () => focusAt(0) }
}
