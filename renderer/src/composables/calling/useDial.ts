import { ref } from 'vue'
import type { Notice } from '../../stores/notice'
import { useWorkspaceStore } from '../../stores/workspace'

/** Click-to-dial through main (the settings' tel:/sip: template) and copy-the-number. */
export function useDial() {
  const workspace = useWorkspaceStore()
  const dialling = ref(false)
  const error = ref<Notice | null>(null)
  const copied = ref<boolean | null>(null)

  async function dial(): Promise<void> {
    if (dialling.value || !workspace.phone) return
    dialling.value = true
    error.value = null
    error.value = await workspace.dial()
    dialling.value = false
  }

  async function copy(): Promise<void> {
    const phone = workspace.phone?.phone
    if (!phone) return
    try {
      await navigator.clipboard.writeText(phone)
      copied.value = true
    } catch {
      copied.value = false
    }
  }

  return { dial, copy, dialling, error, copied }
}
