import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { SecretSummary, Settings, SettingsPatch } from '../../../shared/settings'
import { messageOf, useApi } from '../api'

/** The app's settings (no secrets: only their masked summary). */
export const useSettingsStore = defineStore('settings', () => {
  const api = useApi()
  const settings = ref<Settings | null>(null)
  const secrets = ref<SecretSummary | null>(null)
  const loadError = ref<string | null>(null)

  const maskPhones = computed(() => settings.value?.maskPhones ?? false)
  const idleLockMinutes = computed(() => settings.value?.idleLockMinutes ?? 0)

  async function load(): Promise<void> {
    try {
      settings.value = await api.settings.get()
      loadError.value = null
    } catch (e) {
      loadError.value = messageOf(e)
    }
  }

  async function loadSecrets(): Promise<void> {
    secrets.value = await api.settings.secrets()
  }

  /** Throws main's CallcenterError, whose `field` names the rejected setting. */
  async function update(patch: SettingsPatch): Promise<Settings> {
    settings.value = await api.settings.update(patch)
    return settings.value
  }

  async function importProfile(text: string): Promise<void> {
    secrets.value = await api.settings.importProfile({ text })
    // the profile may have changed the server addresses too
    await load()
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
