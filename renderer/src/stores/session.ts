import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { AgentStatusInput, RememberedLogin, SessionInfo } from '../../../shared/domain'
import { onApiError, useApi } from '../api'
import { firstScreen } from './first-screen'
import { attempt, noticeOf, type Notice } from './notice'

/** Who is logged in, the idle lock and the agent's ready/paused status. */
export const useSessionStore = defineStore('session', () => {
  const api = useApi()
  const info = ref<SessionInfo | null>(null)
  const remembered = ref<RememberedLogin | null>(null)
  const restored = ref(false)
  const loggingIn = ref(false)
  const loginError = ref<Notice | null>(null)
  /** why the last session ended on its own (shown on the login screen) */
  const endedReason = ref<string | null>(null)

  const loggedIn = computed(() => info.value !== null)
  const locked = computed(() => info.value?.locked === true)

  /** Main keeps the session: a reload of the page finds it (and its lock) again. */
  async function restore(): Promise<void> {
    const [current, rememberedLogin] = await Promise.allSettled([
      firstScreen('current', () => api.session.current()),
      firstScreen('remembered', () => api.session.remembered()),
    ])
    info.value = current.status === 'fulfilled' ? current.value : null
    remembered.value = rememberedLogin.status === 'fulfilled' ? rememberedLogin.value : null
    restored.value = true
  }

  async function login(userNum: string, password: string, remember: boolean): Promise<boolean> {
    loggingIn.value = true
    loginError.value = null
    try {
      info.value = await api.session.login({ userNum, password, remember })
      endedReason.value = null
      remembered.value = remember ? { userNum, hasPassword: true } : null
      return true
    } catch (e) {
      loginError.value = noticeOf(e)
      return false
    } finally {
      loggingIn.value = false
    }
  }

  async function logout(): Promise<void> {
    info.value = null
    endedReason.value = null
    try {
      await api.session.logout()
    } catch {
      // already gone on main's side: nothing to undo
    }
  }

  /** The session ended without the agent asking (expired, server settings changed). */
  function expire(reason: string): void {
    if (!info.value) return
    info.value = null
    endedReason.value = reason
  }

  /** The screen locks at once; main's lock is best effort (it locks on its own idle timer too). */
  async function lock(): Promise<void> {
    if (!info.value || info.value.locked) return
    info.value = { ...info.value, locked: true }
    await attempt(() => api.session.lock())
  }

  /** null when unlocked; a wrong password is our own notice, any other failure main's. */
  async function unlock(password: string): Promise<Notice | null> {
    let ok = false
    const failed = await attempt(async () => {
      ok = await api.session.unlock({ password })
    })
    if (failed) return failed
    if (!ok) return { key: 'lock.wrong' }
    if (info.value) info.value = { ...info.value, locked: false }
    return null
  }

  function setAgentStatus(input: AgentStatusInput): Promise<Notice | null> {
    return attempt(async () => {
      info.value = await api.session.setAgentStatus(input)
    })
  }

  api.on('sessionExpired', ({ reason }) => expire(reason))
  onApiError((e) => {
    if (e.kind !== 'not-logged-in') return
    if (e.code === 'locked') {
      if (info.value && !info.value.locked) info.value = { ...info.value, locked: true }
    } else expire(e.message)
  })

  return {
    info,
    remembered,
    restored,
    loggingIn,
    loginError,
    endedReason,
    loggedIn,
    locked,
    restore,
    login,
    logout,
    expire,
    lock,
    unlock,
    setAgentStatus,
  }
})
