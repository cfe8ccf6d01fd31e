import { computed, onBeforeUnmount, ref, watch, type Ref } from 'vue'

export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000))
  const mm = String(Math.floor(total / 60)).padStart(2, '0')
  const ss = String(total % 60).padStart(2, '0')
  return `${mm}:${ss}`
}

/** mm:ss since the call was dialled, ticking while it runs and frozen once it ended. */
export function useCallTimer(dialledAt: Ref<string | null>, endedAt: Ref<string | null>) {
  const now = ref(Date.now())
  let tick: ReturnType<typeof setInterval> | undefined

  const running = computed(() => dialledAt.value !== null && endedAt.value === null)

  watch(
    running,
    (on) => {
      clearInterval(tick)
      tick = undefined
      now.value = Date.now()
      if (on) tick = setInterval(() => (now.value = Date.now()), 1000)
    },
    { immediate: true },
  )
  onBeforeUnmount(() => clearInterval(tick))

  const elapsed = computed(() => {
    if (!dialledAt.value) return 0
    const end = endedAt.value ? Date.parse(endedAt.value) : now.value
    return end - Date.parse(dialledAt.value)
  })

  return { running, elapsed, text: computed(() => formatDuration(elapsed.value)) }
}
