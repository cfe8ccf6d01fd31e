import type { CallStats } from '../../../../shared/calllog'
import type { ChartData } from './statsCharts'

/**
 * The supervisor's charts (connect rate, intent mix, pauses, calls and reached per day) as plain
 * data: each one's ECharts option and the same numbers as a table. Pure functions of the stats.
 */

export interface TeamChartLabels {
  agent: string
  made: string
  connected: string
  connectRate: string
  day: string
  intentOf(i: string): string
  intentNone: string
  reason: string
  minutes: string
}

type Team = CallStats['team']

const palette = ['#409eff', '#67c23a', '#e6a23c', '#f56c6c', '#909399', '#9b59b6', '#1abc9c']
const base = { color: palette, animation: false, textStyle: { fontFamily: 'inherit' } }
const grid = { left: 8, right: 16, top: 36, bottom: 8, containLabel: true }
const legend = { show: true, top: 0, type: 'scroll' as const, icon: 'roundRect' }
const pct = (x: number): number => Math.round(x * 1000) / 10
const names = (t: Team): Map<string, string> =>
  new Map(t.perAgent.map((a) => [a.userNum, a.userName || a.userNum]))

export function connectChart(t: Team, l: TeamChartLabels): ChartData {
  const agents = [...t.perAgent].sort((a, b) => b.connectRate - a.connectRate)
  const labels = agents.map((a) => a.userName || a.userNum)
  return {
    option: {
      ...base,
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      grid,
      xAxis: { type: 'category', data: labels },
      yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
      series: [
        {
          name: l.connectRate,
          type: 'bar',
          barMaxWidth: 32,
          data: agents.map((a) => pct(a.connectRate)),
          label: { show: true, position: 'top', formatter: '{c}%' },
        },
      ],
    },
    table: {
      columns: [l.agent, l.made, l.connected, l.connectRate],
      rows: agents.map((a, i) => [labels[i] ?? '', a.made, a.connected, `${pct(a.connectRate)}%`]),
    },
  }
}

const INTENTS = ['A', 'B', 'C', 'D', 'E', ''] as const

export function intentChart(t: Team, l: TeamChartLabels): ChartData {
  const named = names(t)
  const agents = [
    ...new Set([...t.perAgent.map((a) => a.userNum), ...t.intents.map((i) => i.userNum)]),
  ]
  const count = new Map(t.intents.map((i) => [`${i.userNum}|${i.intent}`, i.count]))
  const used = INTENTS.filter((i) => t.intents.some((x) => x.intent === i))
  const label = (i: string): string => (i ? l.intentOf(i) : l.intentNone)
  const series = used.map((i) => ({
    name: label(i),
    type: 'bar' as const,
    stack: 'intent',
    barMaxWidth: 32,
    data: agents.map((u) => count.get(`${u}|${i}`) ?? 0),
  }))
  return {
    option: {
      ...base,
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend,
      grid,
      xAxis: { type: 'category', data: agents.map((u) => named.get(u) ?? u) },
      yAxis: { type: 'value', minInterval: 1 },
      series,
    },
    table: {
      columns: [l.agent, ...used.map(label)],
      rows: agents.map((u) => [named.get(u) ?? u, ...used.map((i) => count.get(`${u}|${i}`) ?? 0)]),
    },
  }
}

export function pauseChart(t: Team, l: TeamChartLabels): ChartData {
  const named = names(t)
  const agents = [...new Set(t.pauses.map((p) => p.userNum))]
  const reasons = [...new Set(t.pauses.map((p) => p.reason))]
  const seconds = new Map<string, number>()
  for (const p of t.pauses) {
    const k = `${p.userNum}|${p.reason}`
    seconds.set(k, (seconds.get(k) ?? 0) + p.seconds)
  }
  const minutes = (u: string, r: string): number =>
    Math.round((seconds.get(`${u}|${r}`) ?? 0) / 6) / 10
  return {
    option: {
      ...base,
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend,
      grid,
      xAxis: { type: 'category', data: agents.map((u) => named.get(u) ?? u) },
      yAxis: { type: 'value', name: l.minutes },
      series: reasons.map((r) => ({
        name: r,
        type: 'bar' as const,
        stack: 'pause',
        barMaxWidth: 32,
        data: agents.map((u) => minutes(u, r)),
      })),
    },
    table: {
      columns: [l.agent, ...reasons.map((r) => `${r}（${l.minutes}）`)],
      rows: agents.map((u) => [named.get(u) ?? u, ...reasons.map((r) => minutes(u, r))]),
    },
  }
}

export function dayConnectChart(t: Team, l: TeamChartLabels): ChartData {
  const byDay = new Map<string, { made: number; connected: number }>()
  for (const d of t.perAgentDay) {
    const x = byDay.get(d.day) ?? { made: 0, connected: 0 }
    x.made += d.made
    x.connected += d.connected
    byDay.set(d.day, x)
  }
  const days = [...byDay.keys()].sort()
  const rows = days.map((d) => byDay.get(d)!)
  return {
    option: {
      ...base,
      tooltip: { trigger: 'axis' },
      legend,
      grid,
      xAxis: { type: 'category', data: days.map((d) => d.slice(5)) },
      yAxis: [
        { type: 'value', minInterval: 1 },
        { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
      ],
      series: [
        { name: l.made, type: 'bar', barMaxWidth: 28, data: rows.map((r) => r.made) },
        { name: l.connected, type: 'bar', barMaxWidth: 28, data: rows.map((r) => r.connected) },
        {
          name: l.connectRate,
          type: 'line',
          yAxisIndex: 1,
          data: rows.map((r) => (r.made ? pct(r.connected / r.made) : 0)),
        },
      ],
    },
    table: {
      columns: [l.day, l.made, l.connected, l.connectRate],
      rows: days.map((d, i) => {
        const r = rows[i]!
        return [d, r.made, r.connected, `${r.made ? pct(r.connected / r.made) : 0}%`]
      }),
    },
  }
}
