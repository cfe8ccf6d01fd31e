import type { SoftphoneSettings } from './softphone-settings'

/**
 * The softphone's defaults and the two readings of its settings everyone needs. Zod-free: the
 * renderer's settings screen imports it (the schema stays in softphone-settings.ts).
 */

/** The fields added in settings v4 (devices, self-test, progressive mode), for the migration. */
export const softphoneV4Defaults: Pick<
  SoftphoneSettings,
  'microphoneId' | 'speakerId' | 'echoExtension' | 'progressiveProjects' | 'previewSeconds'
> = {
  microphoneId: '',
  speakerId: '',
  echoExtension: '',
  progressiveProjects: [],
  previewSeconds: 5,
}

export const defaultSoftphoneSettings: SoftphoneSettings = {
  enabled: false,
  wsUrl: '',
  sipDomain: '',
  extension: '',
  record: true,
  retentionDays: 30,
  callingWindows: ['09:00-12:00', '14:00-20:00'],
  timeZone: '',
  maxAttemptsPerDay: 2,
  ...softphoneV4Defaults,
}

/** The settings' softphone part with defaults for settings written before it existed. */
export function softphoneOf(settings: { softphone?: SoftphoneSettings }): SoftphoneSettings {
  return settings.softphone ?? defaultSoftphoneSettings
}

/** The WebSocket origin the CSP's connect-src gains, or null when the phone is off. */
export function softphoneOrigin(s: SoftphoneSettings): string | null {
  if (!s.enabled || s.wsUrl === '') return null
  try {
    const u = new URL(s.wsUrl)
    return `${u.protocol}//${u.host}`
  } catch {
    return null
  }
}
