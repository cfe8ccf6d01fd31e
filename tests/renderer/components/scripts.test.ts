import { beforeEach, describe, expect, it } from 'vitest'
import ProjectsView from '../../../renderer/src/views/ProjectsView.vue'
import WorkspaceView from '../../../renderer/src/views/WorkspaceView.vue'
import { useSessionStore } from '../../../renderer/src/stores/session'
import { session } from '../support/fake-api'
import { flushPromises, mountWith, setup, type Setup } from '../support/mount'

/** The project's 话术 and 卖点: read-only under the call, written in supervisor mode. */

let s: Setup
beforeEach(() => {
  s = setup()
  useSessionStore().info = { ...session }
})

const script = {
  script: '您好，我是万科东荟城的置业顾问。',
  sellingPoints: ['地铁 5 号线 300 米', '南北通透三房'],
}

describe('the script panel', () => {
  it('shows the current project’s script and selling points, found by id or name', async () => {
    s.fake.answer('settings', 'scripts', { 万科东荟城: script })
    await s.router.push('/work/141/467')
    const w = await mountWith(WorkspaceView, s, { props: { projectId: 141, packageId: 467 } })
    await flushPromises()
    expect(w.find('[data-test=script-text]').text()).toBe(script.script)
    expect(w.findAll('[data-test=selling-points] li').map((l) => l.text())).toEqual(
      script.sellingPoints,
    )
    // read-only: nothing to type into
    expect(w.find('[data-test=script-panel] textarea').exists()).toBe(false)
    w.unmount()
  })

  it('says plainly when the project has none', async () => {
    s.fake.answer('settings', 'scripts', { '999': script })
    await s.router.push('/work/141/467')
    const w = await mountWith(WorkspaceView, s, { props: { projectId: 141, packageId: 467 } })
    await flushPromises()
    expect(w.find('[data-test=script-empty]').text()).toContain('还没有话术')
    expect(w.find('[data-test=points-empty]').exists()).toBe(true)
    w.unmount()
  })
})

describe('writing a script (supervisor mode)', () => {
  it('is offered only in supervisor mode and saves under the project id', async () => {
    await s.router.push('/projects')
    const agent = await mountWith(ProjectsView, s)
    await flushPromises()
    expect(agent.find('[data-test=edit-script]').exists()).toBe(false)
    expect(agent.find('[data-test=script-tools]').exists()).toBe(false)
    agent.unmount()

    s.fake.answer('calllog', 'supervisorStatus', { configured: true, unlocked: true })
    const saved = { '141': { script: '新话术', sellingPoints: ['精装交付', '名校学位'] } }
    s.fake.answer('settings', 'saveScripts', saved)
    const w = await mountWith(ProjectsView, s, { attachTo: document.body })
    await flushPromises()
    const row = w.findAll('[data-test=project]').findIndex((b) => b.text().includes('万科东荟城'))
    await w.findAll('[data-test=edit-script]')[row]!.trigger('click')
    await flushPromises()
    const script = document.querySelector<HTMLTextAreaElement>('textarea[data-test=script-input]')!
    const points = document.querySelector<HTMLTextAreaElement>('textarea[data-test=points-input]')!
    script.value = '新话术'
    script.dispatchEvent(new Event('input'))
    points.value = `精装交付\n${'长'.repeat(101)}`
    points.dispatchEvent(new Event('input'))
    await flushPromises()
    expect(document.querySelector('[data-test=script-editor] [role=alert]')?.textContent).toContain(
      '第 2 条卖点超过 100 字',
    )
    points.value = '精装交付\n\n名校学位\n'
    points.dispatchEvent(new Event('input'))
    await flushPromises()
    document.querySelector<HTMLButtonElement>('[data-test=save-script]')!.click()
    await flushPromises()
    expect(s.fake.fn('settings', 'saveScripts')).toHaveBeenCalledWith({ scripts: saved })
    w.unmount()
  })
})
