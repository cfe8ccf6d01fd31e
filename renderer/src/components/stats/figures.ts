import type { CallStats } from '../../../../shared/calllog'
import { percent } from '../../composables/calllog/format'

/**
 * The statistics' tiles and tables as data for FigureTiles and FigureTable: the calls' figures
 * (calls, customers saved, conversion, handle time) and the supervisor's (calls made, connect
 * rate, intents, follow-ups, 勿扰, pause, talk and wrap-up), per agent or per agent and day.
 */

export interface FigureTile {
  key: string
  label: string
  value: string
  note?: string
}

export interface FigureColumn {
  key: string
  label: string
  /** text columns read from the left; numbers (the default) from the right */
  align?: 'left'
}

export interface FigureRow {
  key: string
  /** whose figures: the agent's name, and their number beside it */
  head: string
  sub: string
  cells: Record<string, string | number>
}

export type Translate = (key: string, named?: Record<string, unknown>) => string
export type Duration = (seconds: number | null | undefined) => string

const n = (x: number): string => x.toLocaleString('zh-CN')
const avg = (s: number, k: number): number | null => (k === 0 ? null : s / k)

export function statsTiles(s: CallStats, t: Translate, duration: Duration): FigureTile[] {
  return [
    { key: 'total', label: t('stats.total'), value: n(s.total) },
    { key: 'saved', label: t('stats.saved'), value: n(s.savedToCustomer) },
    { key: 'conversion', label: t('stats.conversion'), value: percent(s.conversionRate) },
    {
      key: 'aht',
      label: t('stats.aht'),
      value: duration(s.averageHandleS),
      note: t('stats.ahtNote'),
    },
  ]
}

export function teamTiles(s: CallStats, t: Translate, duration: Duration): FigureTile[] {
  const a = s.team.all
  return [
    { key: 'made', label: t('team.made'), value: n(a.made) },
    {
      key: 'connect',
      label: t('team.connectRate'),
      value: percent(a.connectRate),
      note: `${n(a.connected)} / ${n(a.made)}`,
    },
    { key: 'followups', label: t('team.followUps'), value: n(a.followUps) },
    { key: 'dnc', label: t('team.dnc'), value: n(a.dnc) },
    { key: 'pause', label: t('team.pause'), value: duration(a.pauseS) },
    {
      key: 'talk',
      label: t('team.talk'),
      value: duration(avg(a.talkS, a.talkN)),
      note: t('team.talkNote'),
    },
    {
      key: 'wrap',
      label: t('team.wrap'),
      value: duration(avg(a.wrapS, a.wrapN)),
      note: t('team.talkNote'),
    },
  ]
}

/** Per agent: calls, customers saved, conversion and average handle time, most calls first. */
export function statsAgentTable(
  s: CallStats,
  t: Translate,
  duration: Duration,
): { columns: FigureColumn[]; rows: FigureRow[] } {
  return {
    columns: [
      { key: 'calls', label: t('stats.calls') },
      { key: 'saved', label: t('stats.savedCol') },
      { key: 'rate', label: t('stats.rate') },
      { key: 'aht', label: t('stats.ahtCol') },
    ],
    rows: [...s.perAgent]
      .sort((a, b) => b.calls - a.calls)
      .map((a) => ({
        key: a.userNum,
        head: a.userName,
        sub: a.userNum,
        cells: {
          calls: n(a.calls),
          saved: n(a.savedToCustomer),
          rate: percent(a.calls ? a.savedToCustomer / a.calls : 0),
          aht: duration(a.averageHandleS),
        },
      })),
  }
}

/** "A 6 · C 24" per agent ('—' for calls without an intent) */
function intentsPerAgent(s: CallStats): Map<string, string> {
  const per = new Map<string, string[]>()
  for (const i of s.team.intents) {
    const list = per.get(i.userNum) ?? []
    list.push(`${i.intent || '—'} ${i.count}`)
    per.set(i.userNum, list)
  }
  return new Map([...per].map(([u, list]) => [u, list.join(' · ')]))
}

/** The supervisor's figures per agent, or per agent and day (without the intents). */
export function teamAgentTable(
  s: CallStats,
  byDay: boolean,
  t: Translate,
  duration: Duration,
): { columns: FigureColumn[]; rows: FigureRow[] } {
  const names = new Map(s.team.perAgent.map((a) => [a.userNum, a.userName || a.userNum]))
  const intents = byDay ? new Map<string, string>() : intentsPerAgent(s)
  const columns: FigureColumn[] = [
    ...(byDay ? [{ key: 'day', label: t('stats.day') }] : []),
    { key: 'made', label: t('team.made') },
    { key: 'connected', label: t('team.connected') },
    { key: 'rate', label: t('team.connectRate') },
    ...(byDay ? [] : [{ key: 'intents', label: t('team.intent'), align: 'left' as const }]),
    { key: 'followUps', label: t('team.followUps') },
    { key: 'dnc', label: t('team.dnc') },
    { key: 'pause', label: t('team.pause') },
    { key: 'talk', label: t('team.talk') },
    { key: 'wrap', label: t('team.wrap') },
  ]
  const list = byDay ? s.team.perAgentDay : s.team.perAgent
  return {
    columns,
    rows: list.map((a) => ({
      key: 'day' in a ? `${a.userNum}|${a.day}` : a.userNum,
      head: names.get(a.userNum) ?? a.userNum,
      sub: a.userNum,
      cells: {
        day: 'day' in a ? a.day : '',
        made: n(a.made),
        connected: n(a.connected),
        rate: percent(a.connectRate),
        intents: intents.get(a.userNum) ?? '',
        followUps: a.followUps,
        dnc: a.dnc,
        pause: duration(a.pauseS),
        talk: duration(avg(a.talkS, a.talkN)),
        wrap: duration(avg(a.wrapS, a.wrapN)),
      },
    })),
  }
}
