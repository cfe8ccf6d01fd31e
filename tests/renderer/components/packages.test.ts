import { beforeEach, describe, expect, it } from 'vitest'
import PackagesView from '../../../renderer/src/views/PackagesView.vue'
import WorkspaceView from '../../../renderer/src/views/WorkspaceView.vue'
import { useCatalogStore } from '../../../renderer/src/stores/catalog'
import { useSessionStore } from '../../../renderer/src/stores/session'
import { session } from '../support/fake-api'
import { flushPromises, mountWith, setup, type Setup } from '../support/mount'

/** A called-through package: greyed, not where the focus starts, and the next one offered. */

let s: Setup
const pkgs = [
  { id: 467, name: 'VIP 客户', projectId: 141 },
  { id: 468, name: '老业主', projectId: 141 },
]
beforeEach(async () => {
  s = setup()
  useSessionStore().info = { ...session }
  s.fake.answer('catalog', 'packages', pkgs)
})

describe('an exhausted package', () => {
  it('offers the next package in the workspace, then is greyed in the list and not focused first', async () => {
    s.fake.fail('calling', 'nextPhone', {
      kind: 'remote',
      system: 'weixin',
      message: '信息包已经call完',
      code: 'package-exhausted',
    })
    // main records it as the getphone fails
    s.fake.answer('catalog', 'exhaustedPackages', [467])
    await s.router.push('/work/141/467')
    const w = await mountWith(WorkspaceView, s, { props: { projectId: 141, packageId: 467 } })
    await flushPromises()
    const next = w.find('[data-test=to-next-package]')
    expect(next.text()).toContain('老业主')
    expect(document.activeElement).toBe(next.element)
    expect(useCatalogStore().isExhausted(467)).toBe(true)
    w.unmount()

    await s.router.push('/projects/141')
    const list = await mountWith(PackagesView, s, { props: { projectId: 141 } })
    await flushPromises()
    const rows = list.findAll('[data-test=package]')
    expect(rows[0]!.classes()).toContain('exhausted')
    expect(rows[0]!.text()).toContain('已 call 完')
    expect(document.activeElement).toBe(rows[1]!.element)
    // the title's back button is not one of the list's full-width rows
    expect(list.find('[data-test=back]').classes()).not.toContain('package')
    list.unmount()
  })

  it('is greyed after a restart: main remembers it, the screen asks', async () => {
    s.fake.answer('catalog', 'exhaustedPackages', [467])
    await s.router.push('/projects/141')
    const list = await mountWith(PackagesView, s, { props: { projectId: 141 } })
    await flushPromises()
    const rows = list.findAll('[data-test=package]')
    expect(rows[0]!.classes()).toContain('exhausted')
    expect(rows[1]!.classes()).not.toContain('exhausted')
    expect(document.activeElement).toBe(rows[1]!.element)
    list.unmount()
  })
})
