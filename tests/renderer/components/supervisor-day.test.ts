import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import PauseTimer from '../../../renderer/src/components/layout/PauseTimer.vue'
import TeamPanel from '../../../renderer/src/components/calllog/TeamPanel.vue'
import { useCallLogStore } from '../../../renderer/src/stores/calllog'
import { useSessionStore } from '../../../renderer/src/stores/session'
import { useSupervisorStore } from '../../../renderer/src/stores/supervisor'
import { session } from '../support/fake-api'
import { flushPromises, mountWith, setup, type Setup } from '../support/mount'

describe('the pause timer in the header', () => {
  let s: Setup
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] })
    vi.setSystemTime(new Date('2025-03-03T02:00:00.000Z'))
    s = setup()
  })
  afterEach(() => vi.useRealTimers())

  it('shows the reason and the running time while paused, nothing when ready', async () => {
    const store = useSessionStore()
    store.info = { ...session }
    const w = await mountWith(PauseTimer, s)
    expect(w.find('[data-test=pause-timer]').exists()).toBe(false)
    store.info = {
      ...session,
      agentStatus: { state: 'paused', reason: '培训', since: '2025-03-03T01:58:55.000Z' },
    }
    await flushPromises()
    expect(w.find('[data-test=pause-timer]').text()).toBe('培训 · 已暂停 1:05')
    vi.advanceTimersByTime(60_000)
    await flushPromises()
    expect(w.find('[data-test=pause-timer]').text()).toBe('培训 · 已暂停 2:05')
    store.info = { ...session }
    await flushPromises()
    expect(w.find('[data-test=pause-timer]').exists()).toBe(false)
    w.unmount()
  })
})

describe('the team panel (supervisor mode)', () => {
  let s: Setup
  beforeEach(async () => {
    s = setup()
    useSessionStore().info = { ...session }
    s.fake.answer('calllog', 'supervisorStatus', { configured: true, unlocked: true })
    s.fake.answer('calllog', 'coverage', {
      from: '2025-03-01',
      to: '2025-03-03',
      desktops: [
        {
          machineNo: 'PC-02',
          userNum: '00007',
          userName: '李娜',
          from: '2025-03-01',
          to: '2025-03-01',
          days: 1,
          rows: 120,
          files: ['二组.csv'],
          local: false,
          missingDays: 2,
          missing: ['2025-03-02', '2025-03-03'],
        },
      ],
    })
    await useSupervisorStore().refresh()
  })

  it('shows which desktops and days it holds, and what is missing', async () => {
    const w = await mountWith(TeamPanel, s)
    expect(w.find('[data-test=coverage-range]').text()).toContain('2025-03-01 至 2025-03-03')
    const row = w.find('[data-test=coverage-row]').text()
    expect(row).toMatch(/PC-02\s*李娜\s*00007\s*2025-03-01 ~ 2025-03-01\s*1\s*120\s*二组\.csv/)
    expect(row).toContain('2025-03-02、2025-03-03')
    w.unmount()
  })

  it('imports several files, a folder, or files dropped on it', async () => {
    s.fake.answer('calllog', 'importFiles', {
      files: [
        { file: 'a.csv', read: 3, added: 3, duplicates: 0, error: null },
        { file: 'b.xlsx', read: 0, added: 0, duplicates: 0, error: 'Excel 文件无法读取' },
      ],
      read: 3,
      added: 3,
      duplicates: 0,
    })
    const w = await mountWith(TeamPanel, s)
    await w.find('[data-test=import-files]').trigger('click')
    await flushPromises()
    expect(s.fake.fn('calllog', 'importFiles')).toHaveBeenLastCalledWith({ pick: 'files' })
    expect(w.find('[data-test=import-summary]').text()).toContain('已导入 2 个文件：新增 3 条')
    expect(w.find('[data-test=import-failures]').text()).toContain('b.xlsx：Excel 文件无法读取')
    await w.find('[data-test=import-folder]').trigger('click')
    await flushPromises()
    expect(s.fake.fn('calllog', 'importFiles')).toHaveBeenLastCalledWith({ pick: 'folder' })
    const file = new File(['记录编号\r\nx-1\r\n'], '三组.csv', { type: 'text/csv' })
    const other = new File(['x'], '说明.txt')
    await w
      .find('[data-test=team-drop]')
      .trigger('drop', { dataTransfer: { files: [file, other] } })
    await vi.waitFor(() => expect(s.fake.fn('calllog', 'importDropped')).toHaveBeenCalled())
    expect(s.fake.fn('calllog', 'importDropped')).toHaveBeenCalledWith({
      files: [
        { name: '三组.csv', data: btoa(unescape(encodeURIComponent('记录编号\r\nx-1\r\n'))) },
      ],
    })
    w.unmount()
  })

  it('says how many pause periods the files brought, and reloads the figures for them', async () => {
    s.fake.answer('calllog', 'importFiles', {
      files: [
        {
          file: 'a.xlsx',
          read: 2,
          added: 0,
          duplicates: 2,
          pauses: { read: 3, added: 3, duplicates: 0 },
          error: null,
        },
      ],
      read: 2,
      added: 0,
      duplicates: 2,
      pauses: { read: 3, added: 3, duplicates: 0 },
    })
    const w = await mountWith(TeamPanel, s)
    const version = useCallLogStore().dataVersion
    await w.find('[data-test=import-files]').trigger('click')
    await flushPromises()
    expect(w.find('[data-test=import-summary]').text()).toContain('暂停记录新增 3 条，重复 0 条')
    expect(useCallLogStore().dataVersion).not.toBe(version)
    w.unmount()
  })
})
