import type { SoftphoneService } from '../../../shared/ipc/contract'
import { softphoneOf } from '../../../shared/softphone-defaults'
import { maskPhone } from '../../../shared/values'
import { AppError } from '../../core/app-error'
import type { Recordings } from '../recording/recordings'
import type { Logger, SettingsStore, Vault } from '../ports'
import type { SessionState } from '../session/session-state'
import type { DialGate } from './dial-gate'
import { decideDial } from './dial-rules'

/**
 * The softphone's side in main: the rules for marketing calls (through the dial gate shared
 * with the URI handoff), the SIP login from settings and vault, and the call recordings.
 *
 * Why the SIP password reaches the renderer at all: SIP digest authentication (RFC 8760) is
 * computed by the SIP stack over each challenge's nonce, and the stack runs in the renderer
 * beside WebRTC. The password is handed over by `login` only, only while the softphone is on,
 * only to a logged-in agent; it is never logged and never stored by the renderer.
 */
export function createSoftphoneService(deps: {
  state: SessionState
  settings: SettingsStore
  vault: Vault
  gate: DialGate
  recordings: Recordings
  log: Logger
  /** supervisor mode is open for this session (the call log's), for playing recordings */
  isSupervisor?: () => boolean
  now?: () => Date
}): SoftphoneService {
  const { state, settings, vault, gate, recordings, log } = deps

  function requireRecording() {
    const s = softphoneOf(settings.get())
    if (!s.enabled || !s.record) throw new AppError('invalid-settings', '未开启通话录音')
  }

  return {
    async authorize({ phone }) {
      state.require()
      return gate.authorize(phone, 'softphone')
    },

    async preview({ phone }) {
      state.require()
      return gate.check(phone)
    },

    async login() {
      state.require()
      const s = softphoneOf(settings.get())
      if (!s.enabled || !s.wsUrl || !s.sipDomain || !s.extension) return null
      const password = await vault.get('softphone.password')
      if (password === null) return null
      log.info('softphone login handed to the SIP stack', { extension: s.extension })
      return {
        wsUrl: s.wsUrl,
        uri: `sip:${s.extension}@${s.sipDomain}`,
        authorizationUser: s.extension,
        password,
      }
    },

    async setPassword({ password }) {
      if (password === '') await vault.delete('softphone.password')
      else await vault.set('softphone.password', password)
      log.info('softphone password changed', { set: password !== '' })
      return null
    },

    async hasPassword() {
      return (await vault.get('softphone.password')) !== null
    },

    async recordingStart({ phone }) {
      state.require()
      requireRecording()
      const r = recordings.start(phone)
      log.info('call recording started', { phone: maskPhone(phone), file: r.file })
      return r
    },

    async recordingChunk({ id, data }) {
      state.require()
      recordings.append(id, Buffer.from(data, 'base64'))
      return null
    },

    async recordingStop({ id }) {
      state.require()
      const row = recordings.finish(id)
      log.info('call recording finished', { file: row.file, bytes: row.bytes })
      return { file: row.file, bytes: row.bytes, startedAt: row.startedAt, endedAt: row.endedAt }
    },

    async callingHours() {
      state.require()
      // the hours rule alone (no number): what the dial key would say about the time now
      const d = decideDial({
        phone: '',
        now: deps.now ? deps.now() : new Date(),
        rules: softphoneOf(settings.get()),
        isDnc: false,
        attemptsInLastDay: 0,
        oldestAttemptAt: null,
      })
      return d.allowed || d.reason !== 'hours'
        ? { open: true, message: null, opensAt: null }
        : { open: false, message: d.message, opensAt: d.opensAt }
    },

    async recordingOf({ phone, dialledAt, endedAt }) {
      state.require()
      const row = recordings.forCall(phone, dialledAt, endedAt)
      return row ? { id: row.id, file: row.file, bytes: row.bytes } : null
    },

    async recordingAudio({ id }) {
      state.require()
      if (!deps.isSupervisor?.()) {
        throw new AppError('forbidden', '播放录音需要主管模式，请先输入主管密码', {
          code: 'supervisor-required',
        })
      }
      const bytes = recordings.read(id)
      log.info('call recording played in supervisor mode', { id })
      return { mimeType: 'audio/webm', data: bytes.toString('base64') }
    },
  }
}

/** The URI handoff under the same rules: `calling.dial` asks the gate before opening a URI. */
export function withDialRules<T extends { dial(args: { phone: string }): Promise<unknown> }>(
  calling: T,
  gate: DialGate,
): T {
  return {
    ...calling,
    async dial(args: { phone: string }) {
      gate.require(args.phone, 'uri')
      return calling.dial(args)
    },
  }
}
