import { defineStore } from 'pinia'
import { reactive } from 'vue'
import type { ProfileSection } from '../../../shared/profile'
import { useApi } from '../api'
import { useLatest, type Ticket } from '../composables/async/useLatest'
import { noticeOf, type Notice } from './notice'

export type ProfileSystem = ProfileSection['system']
export const profileSystems: readonly ProfileSystem[] = [
  'datacenter',
  'cdp',
  'rabbitpre',
  'miaosuan',
]

/** skipped: nothing to ask with (Miaosuan without a known customer id) */
export interface SectionState {
  status: 'idle' | 'loading' | 'ok' | 'error' | 'skipped'
  section: ProfileSection | null
  error: Notice | null
}

interface Subject {
  phone: string
  projectId: number
}

/** The Miaosuan customer id, as the Data Center or the CDP revealed it in a section's links. */
export function miaosuanIdOf(sections: (ProfileSection | null)[]): number | null {
  for (const s of sections) {
    for (const [key, value] of Object.entries(s?.links ?? {})) {
      if (!/miaosuan/i.test(key)) continue
      const id = Number(value)
      if (Number.isSafeInteger(id) && id > 0) return id
    }
  }
  return null
}

/**
 * The customer 360 panel: four sections, each loading and failing on its own. Nothing here is
 * awaited by the calling loop.
 */
export const useProfileStore = defineStore('profile', () => {
  const api = useApi()
  const sections = reactive(
    Object.fromEntries(
      profileSystems.map((s) => [s, { status: 'idle', section: null, error: null }]),
    ) as Record<ProfileSystem, SectionState>,
  )
  let subject: Subject | null = null
  const latest = useLatest()

  function fetcher(system: ProfileSystem, who: Subject): (() => Promise<ProfileSection>) | null {
    switch (system) {
      case 'datacenter':
        return () => api.customer.profileDatacenter(who)
      case 'cdp':
        return () => api.customer.profileCdp(who)
      case 'rabbitpre':
        return () => api.customer.profileRabbitpre({ phone: who.phone })
      case 'miaosuan': {
        const id = miaosuanIdOf([sections.datacenter.section, sections.cdp.section])
        return id === null ? null : () => api.customer.profileMiaosuan({ customerId: id })
      }
    }
  }

  async function loadOne(system: ProfileSystem, isLatest: Ticket): Promise<void> {
    const who = subject
    const state = sections[system]
    if (!who) return
    const fetch = fetcher(system, who)
    if (!fetch) {
      Object.assign(state, { status: 'skipped', section: null, error: null })
      return
    }
    Object.assign(state, { status: 'loading', section: null, error: null })
    try {
      const section = await fetch()
      if (isLatest()) Object.assign(state, { status: 'ok', section })
    } catch (e) {
      if (isLatest()) Object.assign(state, { status: 'error', error: noticeOf(e) })
    }
  }

  /** Loads the panel for a number; a later call makes the earlier answers stale. */
  async function load(phone: string, projectId: number): Promise<void> {
    subject = { phone, projectId }
    const isLatest = latest.next()
    // Miaosuan needs the id the first two may reveal: it waits for them, the rest do not
    sections.miaosuan.status = 'loading'
    const first = Promise.all([loadOne('datacenter', isLatest), loadOne('cdp', isLatest)])
    const rabbitpre = loadOne('rabbitpre', isLatest)
    await first
    if (isLatest()) await loadOne('miaosuan', isLatest)
    await rabbitpre
  }

  function retry(system: ProfileSystem): Promise<void> {
    return loadOne(system, latest.current())
  }

  function clear(): void {
    latest.drop()
    subject = null
    for (const s of profileSystems) Object.assign(sections[s], { status: 'idle', section: null })
  }

  return { sections, load, retry, clear }
})
