import type { CallcenterApi } from '../../shared/ipc/contract'

declare global {
  interface Window {
    /** the preload's API: one typed method per IPC contract method, plus `on` for events */
    callcenter: CallcenterApi
  }
}

export {}
