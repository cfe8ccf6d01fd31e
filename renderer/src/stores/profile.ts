import { defineStore } from 'pinia'
import { reactive } from 'vue'
import type { ProfileSection } from '../../../shared/profile'
import { useApi } from '../api'
import { useLatest, type Ticket } from '../composables/async/useLatest'
import { MOBILE_RE } from '../domain/values'
import { noticeOf, type Notice } from './notice'

export type ProfileSystem = ProfileSection['system']
export const profileSystems: readonly ProfileSystem[] = [
  'datacenter',
  'cdp',
  'rabbitpre',
  'miaosuan',
]

/** skipped: nothing to ask with (a landline or 400 number: those systems key on mobiles) */
export interface SectionState {
  status: 'idle' | 'loading' | 'ok' | 'error' | 'skipped'
  section: ProfileSection | null
  error: Notice | null
}

interface Subject {
  phone: string
  projectId: number
}

/** The agent's typed Miaosuan customer id, or the Chinese reason it is not one. */
export function parseMiaosuanId(text: string): number | string {
  const t = text.trim()
  if (t === '') return '请填写秒算客户 id'
  if (!/^\d+$/.test(t) || Number(t) <= 0) return '秒算客户 id 应为正整数'
  if (Number(t) > 2_147_483_647) return '秒算客户 id 过大'
  return Number(t)
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
    // the Data Center, the CDP and Rabbitpre look people up by mobile
    if (system !== 'miaosuan' && !MOBILE_RE.test(who.phone)) return null
    switch (system) {
      case 'datacenter':
        return () => api.customer.profileDatacenter(who)
      case 'cdp':
        return () => api.customer.profileCdp(who)
      case 'rabbitpre':
        return () => api.customer.profileRabbitpre({ phone: who.phone })
      case 'miaosuan':
        // the link to a Miaosuan customer is kept in main, by number
        return () => api.customer.profileMiaosuan({ phone: who.phone })
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
    await Promise.all(profileSystems.map((s) => loadOne(s, isLatest)))
  }

  /**
   * The agent links a Miaosuan customer id to the number on screen; main checks it with
   * Miaosuan first. Returns the reason in Chinese when it was not linked, null when it was.
   */
  async function linkMiaosuan(text: string): Promise<Notice | null> {
    const who = subject
    if (!who) return { text: '没有正在处理的号码', kind: 'invalid-args' }
    const id = parseMiaosuanId(text)
    if (typeof id === 'string') return { text: id, kind: 'invalid-args', field: 'customerId' }
    const isLatest = latest.current()
    try {
      const section = await api.customer.linkMiaosuan({ phone: who.phone, customerId: id })
      if (isLatest()) Object.assign(sections.miaosuan, { status: 'ok', section, error: null })
      return null
    } catch (e) {
      return noticeOf(e)
    }
  }

  function retry(system: ProfileSystem): Promise<void> {
    return loadOne(system, latest.current())
  }

  function clear(): void {
    latest.drop()
    subject = null
    for (const s of profileSystems) Object.assign(sections[s], { status: 'idle', section: null })
  }

  return { sections, load, retry, clear, linkMiaosuan }
})
