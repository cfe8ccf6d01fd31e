import { beforeEach, describe, expect, it } from 'vitest'
import ProjectsView from '../../../renderer/src/views/ProjectsView.vue'
import { flushPromises, mountWith, setup, type Setup } from '../support/mount'

let s: Setup
beforeEach(async () => {
  s = setup()
  await s.router.push('/projects')
})

const names = (w: Awaited<ReturnType<typeof mountWith>>) =>
  w.findAll('[data-test=project] .name').map((n) => n.text())

describe('the projects screen', () => {
  it('lists current projects first, then upcoming, then expired, each with its reason', async () => {
    const w = await mountWith(ProjectsView, s)
    expect(names(w)).toEqual(['万科东荟城', '星汇云锦', '龙湖天奕', '富力天海湾'])
    const rows = w.findAll('.project-row')
    expect(rows.map((r) => r.attributes('data-status'))).toEqual([
      'current',
      'current',
      'upcoming',
      'expired',
    ])
    expect(rows[2]!.find('[data-test=project-status]').text()).toBe('2099-01-01 开始')
    expect(rows[3]!.find('[data-test=project-status]').text()).toBe('已于 2024-06-30 结束')
    expect(rows[0]!.text()).toContain('在推 2024-01-01 至 2099-12-31')
    w.unmount()
  })

  it('does not open an expired project', async () => {
    const w = await mountWith(ProjectsView, s)
    await w.findAll('[data-test=project]')[3]!.trigger('click')
    await flushPromises()
    expect(s.router.currentRoute.value.name).toBe('projects')
    await w.findAll('[data-test=project]')[0]!.trigger('click')
    await flushPromises()
    expect(s.router.currentRoute.value.fullPath).toBe('/projects/141')
    w.unmount()
  })

  it('searches by name and opens the first match with Enter', async () => {
    const w = await mountWith(ProjectsView, s)
    const search = w.find('input[data-test=project-search]')
    await search.setValue('星汇')
    expect(names(w)).toEqual(['星汇云锦'])
    await search.trigger('keydown', { key: 'Enter' })
    await flushPromises()
    expect(s.router.currentRoute.value.fullPath).toBe('/projects/123')
    await search.setValue('不存在')
    expect(w.text()).toContain('没有名称包含「不存在」的项目')
    w.unmount()
  })

  it('moves between projects with the arrow keys', async () => {
    const w = await mountWith(ProjectsView, s)
    const buttons = w.findAll('[data-test=project]')
    ;(buttons[0]!.element as HTMLElement).focus()
    await w.find('ul').trigger('keydown', { key: 'ArrowDown' })
    expect(document.activeElement).toBe(buttons[1]!.element)
    await w.find('ul').trigger('keydown', { key: 'End' })
    expect(document.activeElement).toBe(buttons[3]!.element)
    w.unmount()
  })

  it('shows the empty state and a load error with a retry', async () => {
    s.fake.answer('catalog', 'projects', [])
    const w = await mountWith(ProjectsView, s)
    expect(w.text()).toContain('暂无项目')
    w.unmount()
    s.fake.fail('catalog', 'projects', { kind: 'network', message: '置业外呼服务：无法连接服务器' })
    const w2 = await mountWith(ProjectsView, s)
    expect(w2.text()).toContain('置业外呼服务：无法连接服务器')
    w2.unmount()
  })
})
