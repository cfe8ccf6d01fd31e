import { describe, expect, it } from 'vitest'
import {
  migrateSettings,
  SETTINGS_VERSION,
} from '../../../electron/services/settings/settings-store'
import { defaultSettings } from '../../../shared/settings'
import { defaultSoftphoneSettings } from '../../../shared/softphone-defaults'

/** A v3 settings file's softphone section, written before devices/self-test/progressive mode. */
const v3Softphone = {
  enabled: true,
  wsUrl: 'wss://pbx.example.com:8089/ws',
  sipDomain: 'pbx.example.com',
  extension: '8001',
  record: true,
  retentionDays: 90,
  callingWindows: ['09:00-12:00'],
  timeZone: '',
  maxAttemptsPerDay: 3,
}

describe('settings v4: the softphone gains devices, echo extension and progressive mode', () => {
  it('keeps the PBX settings of a v3 file and fills the new fields with their defaults', () => {
    const r = migrateSettings({ ...defaultSettings, settingsVersion: 3, softphone: v3Softphone })
    expect(r.version).toBe(SETTINGS_VERSION)
    expect(r.repaired).toEqual([])
    expect(r.settings.softphone).toEqual({
      ...v3Softphone,
      microphoneId: '',
      speakerId: '',
      echoExtension: '',
      progressiveProjects: [],
      previewSeconds: 5,
    })
  })

  it('a v4 file keeps its choices; a file without a softphone still has none', () => {
    const chosen = {
      ...defaultSoftphoneSettings,
      microphoneId: 'mic-1',
      speakerId: 'spk-2',
      echoExtension: '*43',
      progressiveProjects: [7, 9],
      previewSeconds: 8,
    }
    const r = migrateSettings({ ...defaultSettings, settingsVersion: 4, softphone: chosen })
    expect(r.settings.softphone).toEqual(chosen)
    expect(migrateSettings({ ...defaultSettings, settingsVersion: 3 }).settings.softphone).toBe(
      undefined,
    )
  })

  it('an invalid preview countdown is repaired with the whole section named', () => {
    const r = migrateSettings({
      ...defaultSettings,
      settingsVersion: 4,
      softphone: { ...defaultSoftphoneSettings, previewSeconds: 0 },
    })
    expect(r.repaired).toEqual(['softphone'])
  })
})
