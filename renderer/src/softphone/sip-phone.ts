import JsSIP from 'jssip'
import type { RTCSession } from 'jssip/lib/RTCSession'
import type { UA } from 'jssip/lib/UA'

/**
 * The SIP stack: one JsSIP user agent registered over WebSocket (RFC 7118) and at most one
 * outgoing call. JsSIP over SIP.js: one self-contained package with no transitive runtime
 * dependencies to audit in the renderer, a plain event API that maps one-to-one onto call states,
 * and measured here against Kamailio from headless Chromium (see README).
 */

export type Registration = 'off' | 'connecting' | 'registered' | 'unregistered' | 'failed'

export interface SipLogin {
  wsUrl: string
  uri: string
  authorizationUser: string
  password: string
}

export interface CallHandlers {
  /** the INVITE left (the dial key's effect on the wire) */
  onSent(at: Date): void
  onRinging(at: Date): void
  /** 200 OK received and media is being set up */
  onAnswered(at: Date): void
  /** the call is over: answered or not, with the final SIP status when there was one */
  onEnded(at: Date, info: { answered: boolean; status: number | null; cause: string }): void
  /** both directions as streams, for the recorder */
  onMedia?(local: MediaStream, remote: MediaStream): void
}

/** the audio devices chosen in the settings (enumerateDevices ids); '' = the system default */
export interface AudioDevices {
  microphoneId: string
  speakerId: string
}

/** what became of a call in progress when the phone came back after a network change */
export type Recovery = 'media-kept' | 'ice-restarted' | 'ice-restart-failed'

export class SipPhone {
  private ua: UA | null = null
  private session: RTCSession | null = null
  private readonly audio: HTMLAudioElement
  private devices: AudioDevices = { microphoneId: '', speakerId: '' }
  private lostConnection = false
  private readonly onNetworkChange = () => this.recover()
  registration: Registration = 'off'
  onRegistration: (state: Registration, cause?: string) => void = () => {}
  /** a call in progress met a reconnection: whether its media needed and got an ICE restart */
  onRecovery: (what: Recovery) => void = () => {}

  constructor() {
    this.audio = document.createElement('audio')
    this.audio.autoplay = true
  }

  /** getUserMedia's audio constraint for the chosen microphone */
  audioConstraint(): MediaTrackConstraints | true {
    const id = this.devices.microphoneId
    return id ? { deviceId: { exact: id } } : true
  }

  /**
   * Applies the chosen devices: the speaker at once (setSinkId on the remote audio), the
   * microphone to the next call and, during a call, by replacing the track being sent.
   */
  async setDevices(devices: AudioDevices): Promise<void> {
    const micChanged = devices.microphoneId !== this.devices.microphoneId
    this.devices = { ...devices }
    await this.audio.setSinkId(devices.speakerId)
    const pc = this.session?.connection
    if (!micChanged || !pc) return
    const stream = await navigator.mediaDevices.getUserMedia({ audio: this.audioConstraint() })
    const track = stream.getAudioTracks()[0]
    const sender = pc.getSenders().find((s) => s.track?.kind === 'audio')
    if (!track || !sender) return
    const old = sender.track
    await sender.replaceTrack(track)
    old?.stop()
  }

  /**
   * After a network change (the browser's `online`, a new connection type) the SIP socket is
   * reconnected at once instead of at JsSIP's next backoff step, or the registration refreshed
   * when the socket is still up (a half-open one then fails and reconnects).
   */
  recover(): void {
    const ua = this.ua
    if (!ua) return
    const transport = (ua as unknown as { transport: { connect(): void; isConnecting(): boolean } })
      .transport
    if (ua.isConnected()) ua.register()
    else if (!transport.isConnecting()) transport.connect()
  }

  /**
   * Registered again after the socket dropped: a call whose media stopped (ICE disconnected or
   * failed) gets an ICE restart by re-INVITE. A call whose media still flows is left alone: in
   * JsSIP a failed re-INVITE ends the call, and a PBX that lost the dialog's route would fail it.
   */
  private afterReconnect(): void {
    const s = this.session
    if (!s || !s.isEstablished()) return
    const ice = s.connection.iceConnectionState
    if (ice !== 'disconnected' && ice !== 'failed') return this.onRecovery('media-kept')
    let settled = false
    const settle = (what: Recovery) => {
      if (settled) return
      settled = true
      this.onRecovery(what)
    }
    const started = s.renegotiate({ rtcOfferConstraints: { iceRestart: true } }, () =>
      settle('ice-restarted'),
    )
    if (!started) settle('ice-restart-failed')
    // a failed re-INVITE ends the call in JsSIP
    else s.on('ended', () => settle('ice-restart-failed'))
  }

  /** connects and registers; resolves once registered, rejects on failure */
  start(login: SipLogin): Promise<void> {
    this.stop()
    const ua = new JsSIP.UA({
      sockets: [new JsSIP.WebSocketInterface(login.wsUrl)],
      uri: login.uri,
      authorization_user: login.authorizationUser,
      password: login.password,
      register: true,
      // re-register by itself after a network change: JsSIP reconnects the socket with backoff
      connection_recovery_min_interval: 2,
      connection_recovery_max_interval: 30,
      session_timers: false,
    })
    this.ua = ua
    const set = (s: Registration, cause?: string) => {
      this.registration = s
      this.onRegistration(s, cause)
    }
    set('connecting')
    window.addEventListener('online', this.onNetworkChange)
    connectionInfo()?.addEventListener('change', this.onNetworkChange)
    return new Promise((resolve, reject) => {
      ua.on('registered', () => {
        set('registered')
        resolve()
        if (this.lostConnection) {
          this.lostConnection = false
          this.afterReconnect()
        }
      })
      // unregistered because the socket closed: JsSIP is reconnecting, and registers again
      ua.on('unregistered', () => set(ua.isConnected() ? 'unregistered' : 'connecting'))
      ua.on('disconnected', () => {
        if (this.ua !== ua) return
        this.lostConnection = true
        set('connecting')
      })
      ua.on('registrationFailed', (e: { cause?: string }) => {
        set('failed', e.cause)
        reject(new Error(e.cause ?? 'registration failed'))
      })
      ua.start()
    })
  }

  stop(): void {
    window.removeEventListener('online', this.onNetworkChange)
    connectionInfo()?.removeEventListener('change', this.onNetworkChange)
    this.session = null
    const ua = this.ua
    this.ua = null
    ua?.stop()
    if (this.registration !== 'off') {
      this.registration = 'off'
      this.onRegistration('off')
    }
  }

  get inCall(): boolean {
    return this.session !== null
  }

  call(target: string, h: CallHandlers, noAnswerMs = 45_000): RTCSession {
    const ua = this.ua
    if (!ua || this.registration !== 'registered') throw new Error('not registered')
    if (this.session) throw new Error('already in a call')
    let answered = false
    const session = ua.call(target, {
      mediaConstraints: { audio: this.audioConstraint(), video: false },
      pcConfig: { iceServers: [] },
      rtcOfferConstraints: { offerToReceiveAudio: true, offerToReceiveVideo: false },
      eventHandlers: {
        sending: () => h.onSent(new Date()),
        progress: () => h.onRinging(new Date()),
        accepted: () => {
          answered = true
          clearTimeout(noAnswer)
          h.onAnswered(new Date())
        },
        ended: (e: { cause?: string }) => finish(e.cause ?? 'ended', null),
        failed: (e) => {
          const status =
            e.message && 'status_code' in e.message ? Number(e.message.status_code) : null
          finish(e.cause ?? 'failed', status)
        },
      },
    })
    this.session = session
    const finish = (cause: string, status: number | null) => {
      clearTimeout(noAnswer)
      if (this.session === session) this.session = null
      this.audio.srcObject = null
      h.onEnded(new Date(), { answered, status, cause })
    }
    const noAnswer = setTimeout(() => {
      if (!answered && this.session === session) session.terminate({ status_code: 487 })
    }, noAnswerMs)
    session.connection.addEventListener('track', (ev: RTCTrackEvent) => {
      const remote = ev.streams[0] ?? new MediaStream([ev.track])
      this.audio.srcObject = remote
      const local = new MediaStream(
        session.connection
          .getSenders()
          .map((s) => s.track)
          .filter((t): t is MediaStreamTrack => t !== null),
      )
      h.onMedia?.(local, remote)
    })
    return session
  }

  hangup(): void {
    const s = this.session
    if (s && !s.isEnded()) s.terminate()
  }

  setMuted(on: boolean): void {
    if (!this.session) return
    if (on) this.session.mute({ audio: true })
    else this.session.unmute({ audio: true })
  }

  setHeld(on: boolean): void {
    if (!this.session) return
    if (on) this.session.hold()
    else this.session.unhold()
  }

  dtmf(tone: string): void {
    // RFC 2833 is not negotiated by every PBX; SIP INFO reaches Kamailio-routed peers either way
    this.session?.sendDTMF(tone, { transportType: JsSIP.C.DTMF_TRANSPORT.INFO })
  }

  /** the call's RTCPeerConnection, for stats (audio flowing both ways) */
  get connection(): RTCPeerConnection | null {
    return this.session?.connection ?? null
  }
}

/** the Network Information API where the browser has it (Chromium: yes) */
function connectionInfo(): EventTarget | null {
  return (navigator as Navigator & { connection?: EventTarget }).connection ?? null
}
