import type { CallStats } from '../../../../shared/calllog'
import type { ChartOption } from './echarts'

/**
 * The statistics' charts as plain data: each one's ECharts option and the same numbers as a
 * table (shown under the chart for screen readers and for copying). Pure functions of the
 * stats main computed, so they are tested without a canvas.
 */

export interface DataTable {
  columns: string[]
  rows: (string | number)[][]
}

export interface ChartData {
  option: ChartOption
  table: DataTable
}

export interface ChartLabels {
  agent: string
  calls: string
  saved: string
  day: string
  hour: string
  result: string
  share: string
  /** "9 时" */
  hourOf(h: number): string
}

const palette = ['#409eff', '#67c23a', '#e6a23c', '#f56c6c', '#909399', '#9b59b6', '#1abc9c']
const base = {
  color: palette,
  animation: false,
  textStyle: { fontFamily: 'inherit' },
} satisfies ChartOption

/** agents in the order of their call counts, with a display name each */
function agentsOf(stats: CallStats): { userNum: string; name: string }[] {
  const named = new Map(stats.perAgent.map((a) => [a.userNum, a.userName || a.userNum]))
  const nums = new Set([
    ...stats.perAgent.map((a) => a.userNum),
    ...stats.perAgentDay.map((d) => d.userNum),
    ...stats.perAgentHour.map((d) => d.userNum),
  ])
  return [...nums].map((userNum) => ({ userNum, name: named.get(userNum) ?? userNum }))
}

const legend = (show: boolean) =>
  ({ show, top: 0, type: 'scroll', icon: 'roundRect' }) satisfies ChartOption['legend']
/** 50001 → "50,001" */
const thousands = (v: unknown): string => (typeof v === 'number' ? v.toLocaleString('zh-CN') : '')
const grid = { left: 8, right: 16, top: 36, bottom: 8, containLabel: true }

export function perDayChart(stats: CallStats, l: ChartLabels): ChartData {
  const agents = agentsOf(stats)
  const days = [...new Set(stats.perAgentDay.map((d) => d.day))].sort()
  const count = new Map(stats.perAgentDay.map((d) => [`${d.userNum}|${d.day}`, d.calls]))
  // a week or less reads better as bars; a longer range as lines
  const bars = days.length <= 7
  const series = agents.map((a) => ({
    name: a.name,
    ...(bars
      ? { type: 'bar' as const, barMaxWidth: 28 }
      : { type: 'line' as const, symbolSize: 6 }),
    data: days.map((day) => count.get(`${a.userNum}|${day}`) ?? 0),
  }))
  return {
    option: {
      ...base,
      tooltip: { trigger: 'axis', ...(bars ? { axisPointer: { type: 'shadow' as const } } : {}) },
      legend: legend(agents.length > 1),
      grid,
      xAxis: { type: 'category', data: days.map((d) => d.slice(5)), boundaryGap: bars },
      yAxis: { type: 'value', minInterval: 1 },
      series,
    },
    table: {
      columns: [l.day, ...agents.map((a) => a.name)],
      rows: days.map((day, i) => [day, ...series.map((s) => s.data[i] ?? 0)]),
    },
  }
}

export function perHourChart(stats: CallStats, l: ChartLabels): ChartData {
  const agents = agentsOf(stats)
  const used = stats.perAgentHour.map((h) => h.hour)
  // the working day at least, and every hour that had calls
  const first = Math.min(8, ...used)
  const last = Math.max(20, ...used)
  const hours = Array.from({ length: last - first + 1 }, (_, i) => first + i)
  const count = new Map(stats.perAgentHour.map((h) => [`${h.userNum}|${h.hour}`, h.calls]))
  const series = agents.map((a) => ({
    name: a.name,
    type: 'bar' as const,
    stack: 'calls',
    barMaxWidth: 28,
    data: hours.map((h) => count.get(`${a.userNum}|${h}`) ?? 0),
  }))
  const totals = hours.map((_, i) => series.reduce((n, s) => n + (s.data[i] ?? 0), 0))
  return {
    option: {
      ...base,
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: legend(agents.length > 1),
      grid,
      xAxis: { type: 'category', data: hours.map((h) => String(h)) },
      yAxis: { type: 'value', minInterval: 1 },
      series,
    },
    table: {
      columns: [l.hour, ...agents.map((a) => a.name)],
      rows: hours
        .map((h, i) => [l.hourOf(h), ...series.map((s) => s.data[i] ?? 0)])
        .filter((_, i) => (totals[i] ?? 0) > 0),
    },
  }
}

export function resultsChart(stats: CallStats, l: ChartLabels): ChartData {
  const total = stats.results.reduce((n, r) => n + r.count, 0)
  const share = (n: number): string => (total ? `${((n / total) * 100).toFixed(1)}%` : '0%')
  const results = [...stats.results].sort((a, b) => b.count - a.count)
  return {
    option: {
      ...base,
      tooltip: { trigger: 'item', formatter: '{b}：{c}（{d}%）' },
      legend: { ...legend(true), orient: 'vertical', left: 'right', top: 'middle' },
      series: [
        {
          type: 'pie',
          name: l.result,
          radius: ['42%', '72%'],
          center: ['38%', '52%'],
          avoidLabelOverlap: true,
          label: {
            formatter: (p: { name: string; value: unknown }) => `${p.name} ${thousands(p.value)}`,
          },
          data: results.map((r) => ({ name: r.result || '—', value: r.count })),
        },
      ],
    },
    table: {
      columns: [l.result, l.calls, l.share],
      rows: results.map((r) => [r.result || '—', r.count, share(r.count)]),
    },
  }
}

export function perAgentChart(stats: CallStats, l: ChartLabels): ChartData {
  const agents = [...stats.perAgent].sort((a, b) => b.calls - a.calls)
  const names = agents.map((a) => a.userName || a.userNum)
  return {
    option: {
      ...base,
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: legend(true),
      grid,
      xAxis: { type: 'category', data: names },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { name: l.calls, type: 'bar', barMaxWidth: 32, data: agents.map((a) => a.calls) },
        {
          name: l.saved,
          type: 'bar',
          barMaxWidth: 32,
          data: agents.map((a) => a.savedToCustomer),
        },
      ],
    },
    table: {
      columns: [l.agent, l.calls, l.saved],
      rows: agents.map((a, i) => [names[i] ?? '', a.calls, a.savedToCustomer]),
    },
  }
}
