import { z } from 'zod'

/**
 * The built-in softphone's settings and the rules for marketing calls. No secret here: the SIP
 * password lives in main's vault.
 */

const wsUrl = z
  .string()
  .trim()
  .max(512)
  .refine((s) => {
    if (s === '') return true
    try {
      const u = new URL(s)
      return (
        (u.protocol === 'wss:' || u.protocol === 'ws:') && u.username === '' && u.password === ''
      )
    } catch {
      return false
    }
  }, '必须为空或以 wss:// / ws:// 开头的地址')

/** `HH:MM-HH:MM`; a window whose end is before its start runs across midnight */
export const callingWindowPattern = /^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-4]):[0-5][0-9]$/

export const softphoneSettingsSchema = z.object({
  enabled: z.boolean(),
  /** the PBX's SIP-over-WebSocket endpoint (RFC 7118), e.g. wss://pbx.example.com:8089/ws */
  wsUrl: wsUrl,
  /** the SIP domain the extension registers in */
  sipDomain: z
    .string()
    .trim()
    .max(253)
    .regex(/^$|^[A-Za-z0-9.-]+(:[0-9]{1,5})?$/, 'SIP 域名只能是主机名或 IP（可带端口）'),
  extension: z
    .string()
    .trim()
    .max(32)
    .regex(/^[A-Za-z0-9._-]*$/, '分机号只能包含字母、数字和 . _ -'),
  /** record every app-dialed call locally */
  record: z.boolean(),
  /** days a recording is kept; 30 is the minimum the MIIT's 2020 notice sets */
  retentionDays: z.number().int().min(1).max(3650),
  /** allowed calling windows, local time of `timeZone` */
  callingWindows: z.array(z.string().regex(callingWindowPattern, '时段格式为 HH:MM-HH:MM')).max(8),
  /** IANA zone; '' = the machine's own */
  timeZone: z
    .string()
    .max(64)
    .refine((tz) => {
      if (tz === '') return true
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: tz })
        return true
      } catch {
        return false
      }
    }, '时区无效'),
  /** dials of one number in 24 h from this desktop, across all packages */
  maxAttemptsPerDay: z.number().int().min(1).max(20),
  /** the chosen microphone's deviceId (enumerateDevices); '' = the system default */
  microphoneId: z.string().max(256),
  /** the chosen speaker's deviceId, applied with setSinkId; '' = the system default */
  speakerId: z.string().max(256),
  /** the PBX's echo extension the self-test calls; '' = skip that step */
  echoExtension: z
    .string()
    .trim()
    .max(32)
    .regex(/^[A-Za-z0-9.*#_-]*$/, '回声测试分机只能包含字母、数字和 . * # _ -'),
  /** projects where the next number is dialed by itself after a save (progressive mode) */
  progressiveProjects: z.array(z.number().int().positive()).max(500),
  /** the preview countdown before a progressive dial, in seconds */
  previewSeconds: z.number().int().min(2, '至少 2 秒').max(60, '最多 60 秒'),
})
export type SoftphoneSettings = z.infer<typeof softphoneSettingsSchema>
