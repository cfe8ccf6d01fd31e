import { beforeEach, describe, expect, it, vi } from 'vitest'
import {
  perAgentChart,
  perDayChart,
  perHourChart,
  resultsChart,
  type ChartLabels,
} from '../../../renderer/src/composables/charts/statsCharts'
import { useCallLogStore } from '../../../renderer/src/stores/calllog'
import { useSessionStore } from '../../../renderer/src/stores/session'
import StatsView from '../../../renderer/src/views/StatsView.vue'
import { session, stats } from '../support/fake-api'
import { flushPromises, mountWith, setup, type Setup } from '../support/mount'

// no canvas here: the charts are drawn by a stand-in that records what it was given
const charts = vi.hoisted(() => [] as { options: unknown[]; disposed: boolean }[])
vi.mock('../../../renderer/src/composables/charts/echarts', () => ({
  createChart: () => {
    const chart = { options: [] as unknown[], disposed: false }
    charts.push(chart)
    return {
      setOption: (o: unknown) => chart.options.push(o),
      resize: () => {},
      dispose: () => (chart.disposed = true),
      getDataURL: () => 'data:image/png;base64,iVBORw0KGgo=',
    }
  },
}))

const labels: ChartLabels = {
  agent: '坐席',
  calls: '通话数',
  saved: '转客户',
  day: '日期',
  hour: '时段',
  result: '反馈结果',
  share: '占比',
  hourOf: (h) => `${h} 时`,
}

describe('the statistics charts as data', () => {
  it('counts calls per agent per day, 0 where an agent had none', () => {
    const { option, table } = perDayChart(stats, labels)
    expect(table.columns).toEqual(['日期', '冯依敏', '李娜'])
    expect(table.rows).toEqual([
      ['2025-03-03', 18, 0],
      ['2025-03-04', 12, 10],
    ])
    expect((option.xAxis as { data: string[] }).data).toEqual(['03-03', '03-04'])
    // a few days read as bars, a longer range as lines
    expect((option.series as { type: string }[])[0]!.type).toBe('bar')
    const long = Array.from({ length: 10 }, (_, i) => ({
      userNum: '00006',
      day: `2025-03-${String(i + 1).padStart(2, '0')}`,
      calls: i,
    }))
    const lines = perDayChart({ ...stats, perAgentDay: long }, labels).option
    expect((lines.series as { type: string }[])[0]!.type).toBe('line')
  })

  it('covers the working day per hour, listing only hours with calls in the table', () => {
    const { option, table } = perHourChart(stats, labels)
    const hours = (option.xAxis as { data: string[] }).data
    expect(hours[0]).toBe('8')
    expect(hours.at(-1)).toBe('21')
    expect(table.rows).toEqual([
      ['9 时', 20, 0],
      ['14 时', 10, 0],
      ['21 时', 0, 10],
    ])
  })

  it('shares the results out, largest first', () => {
    expect(resultsChart(stats, labels).table.rows).toEqual([
      ['继续跟进', 22, '55.0%'],
      ['无人接听', 12, '30.0%'],
      ['接受邀请', 6, '15.0%'],
    ])
  })

  it('compares calls and saved customers per agent', () => {
    expect(perAgentChart(stats, labels).table.rows).toEqual([
      ['冯依敏', 30, 5],
      ['李娜', 10, 1],
    ])
  })
})

describe('the statistics screen', () => {
  let s: Setup
  beforeEach(async () => {
    s = setup()
    charts.length = 0
    useSessionStore().info = { ...session }
    await s.router.push('/history/stats')
  })

  it('shows the headline numbers and every agent as text, and draws the charts', async () => {
    const w = await mountWith(StatsView, s)
    expect(s.fake.fn('calllog', 'stats')).toHaveBeenCalledWith({})
    expect(w.find('[data-test=stat-total]').text()).toContain('40')
    expect(w.find('[data-test=stat-saved]').text()).toContain('6')
    expect(w.find('[data-test=stat-conversion]').text()).toContain('15.0%')
    expect(w.find('[data-test=stat-aht]').text()).toContain('1 分 35 秒')
    const agents = w.findAll('[data-test=stats-agent-row]').map((r) => r.text())
    expect(agents[0]).toMatch(/冯依敏\s*00006\s*30\s*5\s*16\.7%\s*1 分 30 秒/)
    expect(agents[1]).toMatch(/李娜\s*00007\s*10\s*1\s*10\.0%\s*1 分 50 秒/)
    // four of the calls, four of the supervisor's figures (connect, per day, intents, pauses)
    expect(charts).toHaveLength(8)
    expect(w.find('[data-test=chart-results]').text()).toContain('反馈结果分布')
    expect(w.find('[data-test=team-connect]').text()).toMatch(/接通率\s*70\.0%\s*28 \/ 40/)
    expect(w.find('[data-test=team-pause]').text()).toContain('45 分 0 秒')
    expect(w.find('[data-test=contact-rule]').text()).toContain('无人接听')
    expect(w.find('[data-test=talk-rule]').text()).toContain('按接通到挂断计')
    expect(w.find('[data-test=chart-intents] table').text()).toMatch(/冯依敏\s*6\s*0\s*24/)
    expect(w.find('[data-test=chart-pauses] table').text()).toContain('休息')
    const team = w.findAll('[data-test=team-agent-row]').map((r) => r.text())
    expect(team[0]).toMatch(/冯依敏\s*00006\s*30\s*22\s*73\.3%\s*A 6 · C 24/)
    await w.find('[data-test=team-by] input[value=true]').setValue(true)
    expect(w.findAll('[data-test=team-agent-row]')).toHaveLength(3)
    // overdue follow-ups, by agent, numbers masked
    expect(w.find('[data-test=overdue-total]').text()).toBe('2')
    expect(w.find('[data-test=overdue-agents]').text()).toMatch(/冯依敏\s*00006\s*2/)
    expect(w.findAll('[data-test=overdue-row]')[0]!.text()).toMatch(/逾期 3 天.*159\*\*\*\*7901/)
    // the daily report: one button
    await w.find('[data-test=daily-report-button]').trigger('click')
    await flushPromises()
    expect(s.fake.fn('calllog', 'dailyReport')).toHaveBeenCalledWith({
      day: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    })
    expect(w.find('[data-test=daily-report-done]').text()).toContain('/tmp/日报.xlsx')
    // each chart's numbers are in the page as a table too
    expect(w.find('[data-test=chart-results] table').text()).toContain('继续跟进')
    w.unmount()
    expect(charts.every((c) => c.disposed)).toBe(true)
  })

  it('follows the history’s filter', async () => {
    const w = await mountWith(StatsView, s)
    useCallLogStore().setFilter({ range: ['2025-03-01', '2025-03-31'] })
    await flushPromises()
    expect(s.fake.fn('calllog', 'stats')).toHaveBeenLastCalledWith({
      from: '2025-03-01',
      to: '2025-03-31',
    })
    w.unmount()
  })

  it('saves a chart as PNG through a download link', async () => {
    const clicked: { href: string; download: string }[] = []
    const spy = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      clicked.push({ href: this.href, download: this.download })
    })
    const w = await mountWith(StatsView, s)
    await w.find('[data-test=save-png-per-day]').trigger('click')
    expect(clicked).toHaveLength(1)
    expect(clicked[0]!.href).toMatch(/^data:image\/png;base64,/)
    expect(clicked[0]!.download).toMatch(/^每日通话量-\d{4}-\d{2}-\d{2}\.png$/)
    spy.mockRestore()
    w.unmount()
  })

  it('says when there is nothing to count, and shows main’s error', async () => {
    s.fake.answer('calllog', 'stats', {
      ...stats,
      total: 0,
      savedToCustomer: 0,
      conversionRate: 0,
      averageHandleS: null,
      perAgent: [],
      perAgentDay: [],
      perAgentHour: [],
      results: [],
      team: {
        ...stats.team,
        all: { ...stats.team.all, made: 0 },
        perAgent: [],
        perAgentDay: [],
        intents: [],
        pauses: [],
      },
    })
    const w = await mountWith(StatsView, s)
    expect(w.find('[data-test=stats-empty]').text()).toContain('所选范围内没有通话，暂无统计')
    expect(w.find('[data-test=stat-aht]').text()).toContain('—')
    expect(charts).toHaveLength(0)
    s.fake.fail('calllog', 'stats', { kind: 'storage', message: '本地数据库不可用' })
    useCallLogStore().setFilter({ search: 'x' })
    await flushPromises()
    expect(w.find('[data-test=stats-error]').text()).toContain('本地数据库不可用')
    w.unmount()
  })
})
