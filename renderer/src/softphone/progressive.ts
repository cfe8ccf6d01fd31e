import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { useApi } from '../api'

export type ProgressivePhase = 'idle' | 'countdown' | 'paused' | 'skipped' | 'refused' | 'dialed'

const TICK_MS = 200

/**
 * Progressive mode's preview: after a save, the next number is dialed by itself once a visible
 * countdown runs out. The agent can pause it (and resume) or skip this number. Before counting,
 * main's dial rules are asked without spending a dial (softphone.preview): a refused number
 * (勿扰, outside the calling hours, attempt cap) is never counted down, and the reason is shown.
 */
export const useProgressiveStore = defineStore('softphone-progressive', () => {
  const api = useApi()
  const phase = ref<ProgressivePhase>('idle')
  const phone = ref<string | null>(null)
  const remainingMs = ref(0)
  const reason = ref<string | null>(null)
  let timer: ReturnType<typeof setInterval> | undefined
  let last = 0
  let dialer: (() => void) | null = null
  /** bumps on every start/cancel: an answer for an older number is dropped */
  let generation = 0
  /** paused by a dialog over the call, not by the agent: resumes when it closes */
  let heldByScreen = false

  const seconds = computed(() => Math.ceil(remainingMs.value / 1000))

  function stopTimer(): void {
    clearInterval(timer)
    timer = undefined
  }

  function tick(): void {
    const now = performance.now()
    remainingMs.value = Math.max(0, remainingMs.value - (now - last))
    last = now
    if (remainingMs.value > 0) return
    stopTimer()
    phase.value = 'dialed'
    dialer?.()
  }

  function run(): void {
    last = performance.now()
    stopTimer()
    timer = setInterval(tick, TICK_MS)
  }

  /** a new number after a save: ask the rules, then count down and dial */
  async function start(number: string, previewSeconds: number, dial: () => void): Promise<void> {
    cancel()
    const mine = ++generation
    phone.value = number
    const decision = await api.softphone.preview({ phone: number })
    if (mine !== generation) return
    if (!decision.allowed) {
      phase.value = 'refused'
      reason.value = decision.message
      return
    }
    dialer = dial
    remainingMs.value = previewSeconds * 1000
    phase.value = 'countdown'
    run()
  }

  function togglePause(): void {
    heldByScreen = false
    if (phase.value === 'countdown') {
      tick()
      stopTimer()
      if (phase.value === 'countdown') phase.value = 'paused'
    } else if (phase.value === 'paused') {
      phase.value = 'countdown'
      run()
    }
  }

  /**
   * A dialog or panel is over the call (the agent is busy there, the call's keys are not
   * live): the countdown waits, and goes on when it closes, unless the agent paused it.
   */
  function hold(held: boolean): void {
    if (held && phase.value === 'countdown') {
      togglePause()
      heldByScreen = true
    } else if (!held && heldByScreen) {
      heldByScreen = false
      if (phase.value === 'paused') togglePause()
    }
  }

  function skip(): void {
    if (phase.value !== 'countdown' && phase.value !== 'paused') return
    stopTimer()
    phase.value = 'skipped'
  }

  /** the number went, the agent dialed, or the screen closed: nothing more happens by itself */
  function cancel(): void {
    generation++
    heldByScreen = false
    stopTimer()
    dialer = null
    phase.value = 'idle'
    phone.value = null
    reason.value = null
  }

  return { phase, phone, seconds, reason, start, togglePause, hold, skip, cancel }
})
