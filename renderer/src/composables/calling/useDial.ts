import { ref, watch } from 'vue'
import type { Notice } from '../../stores/notice'
import { useWorkspaceStore } from '../../stores/workspace'

// one state for the screen: the dial key (the view's hotkey) and the number card's button share
// it, so a refused dial by key shows its reason on the card like a click's
const dialling = ref(false)
const error = ref<Notice | null>(null)
const copied = ref<boolean | null>(null)

/** Click-to-dial through main (the settings' tel:/sip: template) and copy-the-number. */
export function useDial() {
  const workspace = useWorkspaceStore()
  // a new number starts without the last one's refusal or copy note
  watch(
    () => workspace.phone?.phoneId,
    () => {
      error.value = null
      copied.value = null
    },
  )

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
