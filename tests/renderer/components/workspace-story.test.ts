import { beforeEach, describe, expect, it } from 'vitest'
import WorkspaceView from '../../../renderer/src/views/WorkspaceView.vue'
import { callKeys } from '../../../renderer/src/domain/keys'
import { useSessionStore } from '../../../renderer/src/stores/session'
import { logRow, section, session } from '../support/fake-api'
import { flushPromises, mountWith, setup, type Setup } from '../support/mount'

/** This number's story on the number card, the strong signals first, prefill, 今日待回访. */

let s: Setup
beforeEach(async () => {
  s = setup()
  useSessionStore().info = { ...session }
  await s.router.push('/work/141/467')
})

/** the 360 panel and the story load once the number is painted */
const painted = async () => {
  await new Promise((r) => setTimeout(r, 60))
  await flushPromises()
}
const mountWorkspace = async () => {
  const w = await mountWith(WorkspaceView, s, {
    props: { projectId: 141, packageId: 467 },
    attachTo: document.body,
  })
  await painted()
  return w
}
const key = async (k: string, init: KeyboardEventInit = {}) => {
  ;(document.activeElement ?? document.body).dispatchEvent(
    new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true, ...init }),
  )
  await flushPromises()
}

describe('this number’s story', () => {
  it('shows the Data Center’s name, the calls here and there newest first, and the open follow-up', async () => {
    s.fake.answer('customer', 'profileDatacenter', {
      ...section('datacenter'),
      fields: [
        { label: '姓名', value: '李建华' },
        { label: '性别', value: '男' },
      ],
      history: [
        { time: '2025-02-01 10:00:00', type: '来电', content: '问价格' },
        { time: '2025-03-05 09:00:00', type: '到访', content: '看了样板间' },
      ],
    })
    s.fake.answer('calling', 'story', [
      logRow(1, {
        dialledAt: '2025-03-04T02:00:00.000Z',
        notes: '周末再联系',
        nextFollowDate: '2025-03-08',
        nextFollowContent: '约看房',
      }),
    ])
    const w = await mountWorkspace()
    const story = w.find('[data-test=number-story]')
    expect(story.find('[data-test=story-name]').text()).toContain('李建华 · 男')
    expect(story.find('[data-test=story-follow-up]').text()).toContain('2025-03-08')
    const entries = story.findAll('[data-test=story-entry]')
    expect(entries.map((e) => e.attributes('data-source'))).toEqual([
      'datacenter',
      'local',
      'datacenter',
    ])
    expect(entries[0]!.text()).toContain('看了样板间')
    expect(entries[1]!.text()).toContain('周末再联系')
    // Save to customer starts from the real name and gender
    await key('k', { altKey: true })
    const name = document.querySelector<HTMLInputElement>('#customer-customerName')
    expect(name?.value).toBe('李建华')
    w.unmount()
  })

  it('says plainly when nothing is known, and lifts the strong CDP signals to the top', async () => {
    s.fake.answer(
      'customer',
      'profileDatacenter',
      section('datacenter', { found: false, fields: [] }),
    )
    s.fake.answer('customer', 'profileCdp', {
      ...section('cdp'),
      fields: [
        { label: '浏览广告', value: '是' },
        { label: '意向区域', value: '天河' },
        { label: '预约时间', value: '2025-03-09 14:00' },
      ],
    })
    const w = await mountWorkspace()
    expect(w.find('[data-test=story-empty]').exists()).toBe(true)
    const strong = w.findAll('[data-test=strong-signal]').map((d) => d.text())
    expect(strong).toEqual(['2025-03-09 14:00', '天河'])
    w.unmount()
  })
})

describe('今日待回访', () => {
  it('is one key away (Alt+R, shown on its control and in the key list) and opens a number', async () => {
    const due = logRow(3, { nextFollowDate: '2025-03-03', nextFollowContent: '回电报价' })
    s.fake.answer('calling', 'dueToday', [due])
    s.fake.answer('calling', 'story', [due])
    expect(callKeys.some((k) => k.keys === 'Alt+R')).toBe(true)
    const w = await mountWorkspace()
    expect(w.find('[data-test=open-due-today]').text()).toContain('Alt+R')
    await key('r', { altKey: true })
    const item = document.querySelector<HTMLButtonElement>('[data-test=due-item]')
    expect(item?.textContent).toContain('回电报价')
    expect(document.activeElement).toBe(item)
    item!.click()
    await flushPromises()
    expect(s.fake.fn('calling', 'story')).toHaveBeenLastCalledWith({ phone: due.phone })
    document.querySelector<HTMLButtonElement>('[data-test=due-dial]')!.click()
    await flushPromises()
    expect(s.fake.fn('calling', 'dial')).toHaveBeenCalledWith({ phone: due.phone })
    w.unmount()
  })
})
