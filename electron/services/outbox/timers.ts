/** The engine's clock hooks: real timers in the app, a fake clock in the engine tests. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

// A zero delay is setImmediate: setTimeout(0) waits at least 1 ms, which would cap a busy flush
// at about one round per millisecond.
export const realTimers: Timers = {
  setTimeout: (fn, ms) => (ms <= 0 ? { immediate: setImmediate(fn) } : setTimeout(fn, ms)),
  clearTimeout: (h) => {
    if (h && typeof h === 'object' && 'immediate' in h) {
      clearImmediate((h as { immediate: NodeJS.Immediate }).immediate)
    } else clearTimeout(h as ReturnType<typeof setTimeout>)
  },
}
