import { beforeEach, describe, expect, it } from 'vitest'
import AppHeader from '../../../renderer/src/components/layout/AppHeader.vue'
import ServerStatusLine from '../../../renderer/src/components/login/ServerStatusLine.vue'
import { useSessionStore } from '../../../renderer/src/stores/session'
import { useSettingsStore } from '../../../renderer/src/stores/settings'
import { useSyncStore } from '../../../renderer/src/stores/sync'
import { useReachStore } from '../../../renderer/src/stores/reach'
import { useWorkspaceStore } from '../../../renderer/src/stores/workspace'
import { defaultSettings } from '../../../shared/settings'
import { session } from '../support/fake-api'
import { flushPromises, mountWith, setup, type Setup } from '../support/mount'

/** One status: the header says 离线 in words, the login line never claims 可连接 untested. */

let s: Setup
beforeEach(() => {
  s = setup()
})

const syncStatus = (online: boolean, lastSuccessAt: string | null = null) => ({
  online,
  pending: 0,
  sending: 0,
  uncertain: 0,
  failed: 0,
  lastSuccessAt,
  flush: null,
  storageProblem: null,
})

describe('the header', () => {
  it('says 离线 in words when the outbox finds the server gone', async () => {
    useSessionStore().info = { ...session }
    const w = await mountWith(AppHeader, s)
    expect(w.find('[data-test=header-offline]').exists()).toBe(false)
    useSyncStore().status = syncStatus(false)
    await flushPromises()
    expect(w.find('[data-test=header-offline]').text()).toBe('离线')
    w.unmount()
  })

  it('drops 离线工作中 as soon as the server answers again', async () => {
    s.fake.answer('calling', 'reach', { online: false })
    useSessionStore().info = { ...session, offline: true }
    const w = await mountWith(AppHeader, s)
    await flushPromises()
    expect(w.find('[data-test=header-offline-session]').exists()).toBe(true)
    s.fake.answer('calling', 'reach', { online: true })
    await useReachStore().probe()
    await flushPromises()
    expect(w.find('[data-test=header-offline-session]').exists()).toBe(false)
    expect(w.find('[data-test=header-offline]').exists()).toBe(false)
    w.unmount()
  })
})

describe('the workspace’s evidence', () => {
  it('a getphone lost on the network says 离线 until the workspace clears it', async () => {
    useSessionStore().info = { ...session }
    const w = await mountWith(AppHeader, s)
    const workspace = useWorkspaceStore()
    workspace.phaseNotice = { kind: 'network', text: 'socket hang up' }
    await flushPromises()
    expect(w.find('[data-test=header-offline]').text()).toBe('离线')
    workspace.phaseNotice = null
    await flushPromises()
    expect(w.find('[data-test=header-offline]').exists()).toBe(false)
    w.unmount()
  })
})

describe('the login screen’s server line', () => {
  beforeEach(() => {
    useSettingsStore().settings = { ...defaultSettings }
  })

  it('shows 可连接 only when the server answered, 无法连接 when it did not', async () => {
    s.fake.answer('calling', 'reach', { online: false })
    // the outbox has nothing to send, so it still says online: that is no evidence
    useSyncStore().status = syncStatus(true)
    const w = await mountWith(ServerStatusLine, s)
    await flushPromises()
    expect(w.text()).toContain('无法连接')
    expect(w.text()).not.toContain('可连接')
    s.fake.answer('calling', 'reach', { online: true })
    await useReachStore().probe()
    await flushPromises()
    expect(w.text()).toContain('可连接')
    w.unmount()
  })
})
