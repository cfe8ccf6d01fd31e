import { createHash } from 'node:crypto'
import type { ConnectionProfile } from '../../../shared/connection-profile'

/**
 * Which system a write belongs to. Every outbox item, call-log row and dispensed number is
 * tagged with the key of the connections it was made under, and is only ever delivered through
 * connections with the same key: a save made in training never reaches production, whatever the
 * agent switches to before it is sent.
 *
 * 'training' for the built-in sandbox; otherwise a hash of what identifies the remote side: the
 * weixin server, the Data Center endpoint and this app's appid there. Secrets (token, appkey) are
 * left out: a rotated token is the same system, and its queued items still go.
 */
export const TRAINING_PROFILE = 'training'

/** Items written before profiles were kept (see db/profile-data.ts). */
export const LEGACY_PROFILE = ''

export function profileKeyOf(profile: ConnectionProfile, training: boolean): string {
  if (training) return TRAINING_PROFILE
  const identity = JSON.stringify([
    profile.weixin.baseUrl.replace(/\/+$/, ''),
    profile.datacenter?.endpoint.replace(/\/+$/, '') ?? null,
    profile.datacenter?.appid ?? null,
  ])
  return `p-${createHash('sha256').update(identity).digest('hex').slice(0, 16)}`
}

/**
 * The key of reference data cached per Data Center app (the project map, the consultant
 * roster): per profile too, since the training sandbox uses the same appid as production and its
 * projGUIDs are its own. Untagged ('') keeps the bare appid.
 */
export function referenceKey(appid: string, profile: string | undefined): string {
  return profile ? `${appid}@${profile}` : appid
}

/** What the screens show: 培训 or 正式. */
export function isTrainingProfile(key: string): boolean {
  return key === TRAINING_PROFILE
}
