import { defineStore } from 'pinia'
import { computed, reactive, ref } from 'vue'
import { outcomeOf, type CallOutcome } from '../../../shared/softphone-outcome'
import { useApi } from '../api'
import { attempt, noticeOf, type Notice } from '../stores/notice'
import { CallRecorder, toBase64 } from './recorder'
import { echoCall, type EchoResult } from './echo-call'
import { SipPhone, type AudioDevices, type Recovery, type Registration } from './sip-phone'

export type CallState = 'idle' | 'calling' | 'ringing' | 'answered' | 'ended'

export interface DialTimes {
  onDialled(at: Date): void
  /** the callee answered (200 OK): the call log's 接通时间 */
  onAnswered?(at: Date): void
  onEnded(at: Date, outcome: CallOutcome): void
}

/**
 * The built-in softphone as the screens see it: registration, the call's state, mute/hold, and
 * the recording. The SIP login comes from main (softphone.login) and is handed straight to the
 * SIP stack; it is never kept in the store.
 */
export const useSoftphoneStore = defineStore('softphone', () => {
  const api = useApi()
  let phone: SipPhone | null = null
  /** the PBX's SIP domain, from the last login (the password itself is not kept) */
  let domain = ''
  let recordCalls = false
  const registration = ref<Registration>('off')
  const registrationCause = ref<string | null>(null)
  const state = ref<CallState>('idle')
  const muted = ref(false)
  const held = ref(false)
  /** the DTMF keypad: while on, the digit keys send tones instead of picking a disposition */
  const keypad = ref(false)
  /** the DTMF tones sent in this call, shown on the keypad */
  const tones = ref('')
  /** a call in progress met a reconnection: what became of it */
  const recovery = ref<Recovery | null>(null)
  const lastOutcome = ref<CallOutcome | null>(null)
  const lastStatus = ref<number | null>(null)
  const recordingFile = ref<string | null>(null)
  const times = reactive({ sentAt: null as string | null, answeredAt: null as string | null })

  const ready = computed(() => registration.value === 'registered')
  const inCall = computed(
    () => state.value === 'calling' || state.value === 'ringing' || state.value === 'answered',
  )

  /** (re)connects from the settings; returns a notice when the phone could not register */
  async function connect(): Promise<Notice | null> {
    try {
      const login = await api.softphone.login()
      if (!login) {
        disconnect()
        return null
      }
      domain = login.uri.slice(login.uri.indexOf('@') + 1)
      const settings = (await api.settings.get()).softphone
      recordCalls = settings?.record ?? false
      phone ??= new SipPhone()
      phone.onRegistration = (s, cause) => {
        registration.value = s
        registrationCause.value = cause ?? null
      }
      phone.onRecovery = (what) => (recovery.value = what)
      // a device gone since it was chosen: the system default serves until it is back
      if (settings) await applyDevices(settings).catch(() => undefined)
      await phone.start(login)
      return null
    } catch (e) {
      return noticeOf(e)
    }
  }

  function disconnect(): void {
    phone?.stop()
    registration.value = 'off'
  }

  /**
   * Dials through the PBX after main's rules allow it. Resolves once the INVITE is on its way;
   * the call's times come through `times` (dialled when the INVITE leaves, ended at the end).
   */
  async function dial(number: string, cb: DialTimes): Promise<void> {
    const p = phone
    if (!p || !ready.value) throw new Error('softphone not registered')
    // the dial key during a call does nothing, as on a desk phone: asking main would spend one
    // of the number's attempts, and the call's state and times would be reset under it
    if (inCall.value) return
    const decision = await api.softphone.authorize({ phone: number })
    if (!decision.allowed)
      throw Object.assign(new Error(decision.message), { code: decision.reason })
    let recorder: CallRecorder | null = null
    let recordingId: string | null = null
    state.value = 'calling'
    muted.value = false
    held.value = false
    lastOutcome.value = null
    lastStatus.value = null
    recordingFile.value = null
    tones.value = ''
    recovery.value = null
    times.sentAt = null
    times.answeredAt = null
    p.call(`sip:${number}@${domain}`, {
      onSent: (at) => {
        times.sentAt = at.toISOString()
        cb.onDialled(at)
      },
      onRinging: () => {
        if (state.value === 'calling') state.value = 'ringing'
      },
      onAnswered: (at) => {
        times.answeredAt = at.toISOString()
        state.value = 'answered'
        cb.onAnswered?.(at)
      },
      onMedia: (local, remote) => {
        if (!recordCalls || recorder) return
        recorder = new CallRecorder(async (chunk) => {
          if (recordingId)
            await api.softphone.recordingChunk({ id: recordingId, data: toBase64(chunk) })
        })
        void api.softphone.recordingStart({ phone: number }).then((r) => {
          recordingId = r.id
          recordingFile.value = r.file
          recorder?.start(local, remote)
        })
      },
      onEnded: (at, info) => {
        const outcome = outcomeOf({
          answered: info.answered,
          status: info.status,
          noAnswerTimeout: !info.answered && info.status === null,
        })
        state.value = 'ended'
        keypad.value = false
        lastOutcome.value = outcome
        lastStatus.value = info.status
        cb.onEnded(at, outcome)
        const r = recorder
        const id = recordingId
        if (r && id) void r.stop().then(() => api.softphone.recordingStop({ id }))
      },
    })
  }

  function hangup(): void {
    phone?.hangup()
  }
  function toggleMute(): void {
    if (!inCall.value) return
    muted.value = !muted.value
    phone?.setMuted(muted.value)
  }
  function toggleHold(): void {
    if (state.value !== 'answered') return
    held.value = !held.value
    phone?.setHeld(held.value)
  }
  function dtmf(tone: string): void {
    if (state.value !== 'answered' || !/^[0-9*#]$/.test(tone)) return
    phone?.dtmf(tone)
    tones.value = (tones.value + tone).slice(-24)
  }
  function toggleKeypad(): void {
    keypad.value = state.value === 'answered' ? !keypad.value : false
  }
  /** back to idle once the agent has saved the call */
  function reset(): void {
    if (!inCall.value) state.value = 'idle'
  }
  const connection = () => phone?.connection ?? null

  /** the chosen microphone and speaker, to the phone now (a call in progress included) */
  async function applyDevices(devices: AudioDevices): Promise<void> {
    phone ??= new SipPhone()
    await phone.setDevices(devices)
  }
  /** the self-test's call to the PBX's echo extension; refused while a call is on */
  async function testEcho(extension: string): Promise<EchoResult> {
    if (!phone || !ready.value) return { ok: false, reason: 'not-registered' }
    if (inCall.value) return { ok: false, reason: 'in-call' }
    return echoCall(phone, `sip:${extension}@${domain}`)
  }

  /**
   * A call-log row's recording as an object URL for an <audio> (supervisor mode: main refuses
   * otherwise); null when the call has none. The caller revokes the URL.
   */
  async function recordingUrl(row: {
    phone: string
    dialledAt: string
    endedAt: string | null
  }): Promise<{ url: string; file: string } | null> {
    const found = await api.softphone.recordingOf(row)
    if (!found) return null
    const audio = await api.softphone.recordingAudio({ id: found.id })
    const bytes = Uint8Array.from(atob(audio.data), (c) => c.charCodeAt(0))
    const url = URL.createObjectURL(new Blob([bytes], { type: audio.mimeType }))
    return { url, file: found.file }
  }

  /** calling hours now: null while open, else why not and when it opens (main decides) */
  const closedNotice = ref<string | null>(null)
  /** when calling opens again (ISO), for the banner's wording in another language */
  const closedOpensAt = ref<string | null>(null)
  async function checkCallingHours(): Promise<void> {
    try {
      const h = await api.softphone.callingHours()
      closedNotice.value = h.open ? null : h.message
      closedOpensAt.value = h.open ? null : h.opensAt
    } catch {
      // a courtesy: the dial key still gets main's answer
      closedNotice.value = null
      closedOpensAt.value = null
    }
  }

  /** whether the vault holds the SIP password (the settings screen never sees it) */
  const passwordSet = ref(false)
  async function loadPassword(): Promise<Notice | null> {
    return attempt(async () => {
      passwordSet.value = await api.softphone.hasPassword()
    })
  }
  /** into main's vault; '' deletes it */
  async function setPassword(password: string): Promise<Notice | null> {
    return attempt(async () => {
      await api.softphone.setPassword({ password })
      passwordSet.value = password !== ''
    })
  }

  return {
    registration,
    registrationCause,
    state,
    muted,
    held,
    keypad,
    toggleKeypad,
    tones,
    recovery,
    applyDevices,
    testEcho,
    lastOutcome,
    lastStatus,
    recordingFile,
    times,
    ready,
    inCall,
    connect,
    disconnect,
    dial,
    hangup,
    toggleMute,
    toggleHold,
    dtmf,
    reset,
    connection,
    passwordSet,
    recordingUrl,
    closedNotice,
    closedOpensAt,
    checkCallingHours,
    loadPassword,
    setPassword,
  }
})
