import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { SecretSummary, Settings, SettingsPatch } from '../../../shared/settings'
import { useApi } from '../api'
import { firstScreen } from './first-screen'
import { attempt, noticeOf, type Notice } from './notice'

/** The app's settings (no secrets: only their masked summary). */
export const useSettingsStore = defineStore('settings', () => {
  const api = useApi()
  const settings = ref<Settings | null>(null)
  const secrets = ref<SecretSummary | null>(null)
  const loadError = ref<Notice | null>(null)

  const maskPhones = computed(() => settings.value?.maskPhones ?? false)
  const idleLockMinutes = computed(() => settings.value?.idleLockMinutes ?? 0)

  async function load(): Promise<void> {
    try {
      settings.value = await firstScreen('settings', () => api.settings.get())
      loadError.value = null
    } catch (e) {
      loadError.value = noticeOf(e)
    }
  }

  async function loadSecrets(): Promise<void> {
    // the summary is a courtesy: without it the screen shows nothing configured, and says so
    await attempt(async () => {
      secrets.value = await api.settings.secrets()
    })
  }

  /** The notice's `field` names the setting main rejected. */
  function update(patch: SettingsPatch): Promise<Notice | null> {
    return attempt(async () => {
      settings.value = await api.settings.update(patch)
    })
  }

  async function importProfile(text: string): Promise<Notice | null> {
    const failed = await attempt(async () => {
      secrets.value = await api.settings.importProfile({ text })
    })
    // the profile may have changed the server addresses too
    if (!failed) await load()
    return failed
  }

  return {
    settings,
    secrets,
    loadError,
    maskPhones,
    idleLockMinutes,
    load,
    loadSecrets,
    update,
    importProfile,
  }
})
