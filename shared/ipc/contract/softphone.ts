import { z } from 'zod'
import { mobileSchema } from '../../domain'
import { none } from './common'

/** the built-in softphone: the rules for marketing calls, its login and local recordings */
const dialDecision = z.discriminatedUnion('allowed', [
  z.object({ allowed: z.literal(true) }),
  z.object({
    allowed: z.literal(false),
    reason: z.enum(['dnc', 'hours', 'attempts']),
    message: z.string(),
    opensAt: z.string().nullable(),
  }),
])

export const softphoneMethods = {
  /** whether this number may be dialed now (勿扰, calling hours, attempts); an allowed dial counts */
  authorize: { args: z.tuple([z.object({ phone: mobileSchema })]), ret: dialDecision },
  /** the same decision without counting a dial: progressive mode asks it before its countdown */
  preview: { args: z.tuple([z.object({ phone: mobileSchema })]), ret: dialDecision },
  /**
   * The SIP stack's login: the one answer that carries the SIP password to the renderer (the
   * SIP digest is computed there); null when the softphone is off or not configured.
   */
  login: {
    args: none,
    ret: z
      .object({
        wsUrl: z.string(),
        uri: z.string(),
        authorizationUser: z.string(),
        password: z.string(),
      })
      .nullable(),
  },
  /** stores the agent's SIP password in the vault; '' deletes it */
  setPassword: { args: z.tuple([z.object({ password: z.string().max(128) })]), ret: z.null() },
  hasPassword: { args: none, ret: z.boolean() },
  recordingStart: {
    args: z.tuple([z.object({ phone: mobileSchema })]),
    ret: z.object({ id: z.string(), file: z.string() }),
  },
  /** one MediaRecorder slice, base64 (the web bridge speaks JSON) */
  recordingChunk: {
    args: z.tuple([z.object({ id: z.uuid(), data: z.base64().max(1_400_000) })]),
    ret: z.null(),
  },
  recordingStop: {
    args: z.tuple([z.object({ id: z.uuid() })]),
    ret: z.object({
      file: z.string(),
      bytes: z.number().int(),
      startedAt: z.string(),
      endedAt: z.string().nullable(),
    }),
  },
  /** the recording of a call-log row: the one that started while that call was on */
  recordingOf: {
    args: z.tuple([
      z.object({
        phone: z.string().max(32),
        dialledAt: z.string().max(40),
        endedAt: z.string().max(40).nullable(),
      }),
    ]),
    ret: z.object({ id: z.string(), file: z.string(), bytes: z.number().int() }).nullable(),
  },
  /** whether calling is open now under the calling hours, and when it opens again if not */
  callingHours: {
    args: none,
    ret: z.object({
      open: z.boolean(),
      message: z.string().nullable(),
      opensAt: z.string().nullable(),
    }),
  },
  /** a recording's bytes (Opus in WebM, base64) for the supervisor's player */
  recordingAudio: {
    args: z.tuple([z.object({ id: z.uuid() })]),
    ret: z.object({ mimeType: z.string(), data: z.string() }),
  },
} as const
