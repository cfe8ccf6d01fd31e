import { isAppUrl } from './app-protocol'

/**
 * Which web permission a page gets: the microphone for the built-in softphone, only for the
 * app's own origin (app://callcenter) and only while the softphone is on in the settings. No
 * camera, and no other permission at all (notifications, geolocation, clipboard, HID…).
 * Electron-free so it can be unit-tested; main/hardening.ts wires it to the session.
 */
export interface PermissionQuery {
  permission: string
  /** the page asking (details.requestingUrl, or the checking frame's origin) */
  url: string | undefined
  /** request: details.mediaTypes; check: [details.mediaType] */
  mediaTypes: readonly string[] | undefined
  softphoneEnabled: boolean
}

export function isPermissionAllowed(q: PermissionQuery): boolean {
  if (q.permission !== 'media' || !q.softphoneEnabled || !isAppUrl(q.url)) return false
  const types = q.mediaTypes ?? []
  // audio only: a request that also asks for the camera is refused whole
  return types.length > 0 && types.every((t) => t === 'audio')
}
