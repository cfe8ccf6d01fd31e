import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { softphoneOf } from '../../../shared/softphone-defaults'
import { useSettingsStore } from '../stores/settings'
import type { EchoResult } from './echo-call'
import { useSoftphoneStore } from './store'

export type SelfTestStep = 'microphone' | 'speaker' | 'registration' | 'echo'
export type StepState = 'waiting' | 'running' | 'pass' | 'fail' | 'skip'

export interface StepResult {
  step: SelfTestStep
  state: StepState
  /** the message under softphone.selfTest.result, and its values */
  key: string | null
  params: Record<string, string | number>
}

const STEPS: SelfTestStep[] = ['microphone', 'speaker', 'registration', 'echo']
/** how long the microphone is listened to, and the peak level (0–1) that counts as sound */
const LISTEN_MS = 2000
const SOUND = 0.02
const TONE_MS = 1000

const errorName = (e: unknown) => (e instanceof Error ? e.name || e.message : String(e))

/**
 * The phone's self-test, before the shift (the header asks for one until it has run this
 * session) and on demand (Alt+Y, the header's button, the settings): the microphone's level
 * through a WebAudio analyser, a tone on the chosen speaker, the registration, and a call to the
 * PBX's echo extension where one is configured. Each line passes or fails with its reason.
 */
export const useSelfTestStore = defineStore('softphone-self-test', () => {
  const open = ref(false)
  const running = ref(false)
  /** the microphone's live level, 0–1, while it is listened to */
  const level = ref(0)
  const results = ref<StepResult[]>([])
  const ranAt = ref<Date | null>(null)
  const passed = computed(
    () => results.value.length > 0 && results.value.every((r) => r.state !== 'fail'),
  )

  function set(step: SelfTestStep, state: StepState, key: string | null = null, params = {}) {
    results.value = results.value.map((r) => (r.step === step ? { step, state, key, params } : r))
  }

  async function microphone(deviceId: string): Promise<void> {
    let stream: MediaStream
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        audio: deviceId ? { deviceId: { exact: deviceId } } : true,
      })
    } catch (e) {
      const name = errorName(e)
      if (name === 'NotAllowedError') return set('microphone', 'fail', 'micDenied')
      if (name === 'NotFoundError' || name === 'OverconstrainedError')
        return set('microphone', 'fail', 'micMissing')
      return set('microphone', 'fail', 'micError', { error: name })
    }
    const ctx = new AudioContext()
    try {
      const analyser = ctx.createAnalyser()
      analyser.fftSize = 1024
      ctx.createMediaStreamSource(stream).connect(analyser)
      const samples = new Float32Array(analyser.fftSize)
      let peak = 0
      const until = performance.now() + LISTEN_MS
      while (performance.now() < until) {
        await new Promise((r) => setTimeout(r, 50))
        analyser.getFloatTimeDomainData(samples)
        let sum = 0
        for (const v of samples) sum += v * v
        level.value = Math.min(1, Math.sqrt(sum / samples.length) * 4)
        peak = Math.max(peak, level.value)
      }
      level.value = 0
      if (peak >= SOUND) set('microphone', 'pass', 'micOk', { level: Math.round(peak * 100) })
      else set('microphone', 'fail', 'micSilent')
    } finally {
      stream.getTracks().forEach((t) => t.stop())
      await ctx.close()
    }
  }

  async function speaker(sinkId: string): Promise<void> {
    const ctx = new AudioContext()
    const audio = document.createElement('audio')
    try {
      const osc = ctx.createOscillator()
      osc.frequency.value = 440
      const out = ctx.createMediaStreamDestination()
      osc.connect(out)
      osc.start()
      audio.srcObject = out.stream
      await audio.setSinkId(sinkId)
      await audio.play()
      await new Promise((r) => setTimeout(r, TONE_MS))
      set('speaker', 'pass', 'speakerOk')
    } catch (e) {
      const name = errorName(e)
      if (name === 'NotFoundError') set('speaker', 'fail', 'speakerMissing')
      else set('speaker', 'fail', 'speakerError', { error: name })
    } finally {
      audio.pause()
      audio.srcObject = null
      await ctx.close()
    }
  }

  function registration(): void {
    const phone = useSoftphoneStore()
    if (phone.registration === 'off') return set('registration', 'fail', 'phoneOff')
    if (phone.ready) return set('registration', 'pass', 'registered')
    set('registration', 'fail', 'notRegistered', {
      state: phone.registration,
      cause: phone.registrationCause ?? '',
    })
  }

  async function echo(extension: string): Promise<void> {
    if (extension === '') return set('echo', 'skip', 'echoSkipped')
    const r: EchoResult = await useSoftphoneStore().testEcho(extension)
    if (r.ok) return set('echo', 'pass', 'echoOk', { packets: r.packets })
    const key = {
      'not-registered': 'echoNotRegistered',
      'in-call': 'echoInCall',
      rejected: 'echoRejected',
      'no-webrtc': 'echoNoWebrtc',
      'no-audio': 'echoNoAudio',
    }[r.reason]
    set('echo', r.reason === 'in-call' ? 'skip' : 'fail', key, {
      status: r.status ?? '—',
      cause: r.cause ?? '',
    })
  }

  async function run(): Promise<void> {
    if (running.value) return
    open.value = true
    running.value = true
    const s = softphoneOf(useSettingsStore().settings ?? {})
    results.value = STEPS.map((step) => ({ step, state: 'waiting', key: null, params: {} }))
    try {
      set('microphone', 'running')
      await microphone(s.microphoneId)
      set('speaker', 'running')
      await speaker(s.speakerId)
      registration()
      set('echo', 'running')
      await echo(s.echoExtension)
    } finally {
      running.value = false
      ranAt.value = new Date()
    }
  }

  return { open, running, level, results, ranAt, passed, run }
})
