import type { SipPhone } from './sip-phone'

export type EchoResult =
  | { ok: true; packets: number }
  | {
      ok: false
      reason: 'not-registered' | 'in-call' | 'rejected' | 'no-webrtc' | 'no-audio'
      /** the SIP status of a refused call, when there was one */
      status?: number | null
      /** JsSIP's cause of the call's end */
      cause?: string
    }

/** how long the echo extension has to answer, and then to send audio back */
const ANSWER_MS = 15_000
const AUDIO_MS = 8_000

async function inboundAudioPackets(pc: RTCPeerConnection): Promise<number> {
  let packets = 0
  ;(await pc.getStats()).forEach((r: { type: string; kind?: string; packetsReceived?: number }) => {
    if (r.type === 'inbound-rtp' && r.kind === 'audio') packets += r.packetsReceived ?? 0
  })
  return packets
}

/**
 * The self-test's last step: a call to the PBX's echo extension, passed once audio comes back
 * (WebRTC stats: inbound audio packets > 0), then hung up. The call is not the agent's: no dial
 * rules, no call log, no recording.
 */
export function echoCall(phone: SipPhone, target: string): Promise<EchoResult> {
  return new Promise((resolve) => {
    let done = false
    let poll: ReturnType<typeof setInterval> | undefined
    const finish = (r: EchoResult) => {
      if (done) return
      done = true
      clearInterval(poll)
      clearTimeout(noAudio)
      resolve(r)
      phone.hangup()
    }
    let noAudio: ReturnType<typeof setTimeout> | undefined
    const session = phone.call(
      target,
      {
        onSent: () => {},
        onRinging: () => {},
        onAnswered: () => {
          noAudio = setTimeout(() => finish({ ok: false, reason: 'no-audio' }), AUDIO_MS)
          poll = setInterval(() => {
            void inboundAudioPackets(session.connection).then((packets) => {
              if (packets > 0) finish({ ok: true, packets })
            })
          }, 250)
        },
        onEnded: (_at, info) =>
          finish({
            ok: false,
            // answered (2xx) with media the browser cannot take: plain RTP, no DTLS-SRTP/ICE
            reason:
              info.cause === 'Bad Media Description' || (info.status ?? 0) / 100 === 2
                ? 'no-webrtc'
                : 'rejected',
            status: info.status,
            cause: info.cause,
          }),
      },
      ANSWER_MS,
    )
  })
}
