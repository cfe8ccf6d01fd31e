import type { CallStats, OverdueFollowUps } from '../../../shared/calllog'
import { contactRuleText } from '../../../shared/calllog-contact'
import { intents } from '../../../shared/fields'
import { writeFileAtomic } from '../files/atomic-file'
import { loadExcel } from './xlsx'

/**
 * 日报: one XLSX for one local day, everything the statistics screen shows: the per-agent table
 * (the sheet a supervisor prints), and the data behind each chart (per hour, outcomes, intents,
 * pauses), the overdue follow-ups per agent, and how the figures are defined.
 */

export interface DailyReportInput {
  day: string
  zone: string
  stats: CallStats
  overdue: OverdueFollowUps
  generatedAt: Date
}

type Cell = string | number | null
type Sheet = { name: string; header: string[]; rows: Cell[][]; widths?: number[] }

const pct = (x: number): number => Math.round(x * 1000) / 10
const avg = (s: number, n: number): number | null => (n === 0 ? null : Math.round(s / n))
const minutes = (s: number): number => Math.round(s / 6) / 10

/** The report's sheets as plain rows (tested without a workbook). */
export function dailyReportSheets(input: DailyReportInput): Sheet[] {
  const { stats, overdue } = input
  const t = stats.team
  const saved = new Map(stats.perAgent.map((a) => [a.userNum, a.savedToCustomer]))
  const intentOf = new Map(t.intents.map((i) => [`${i.userNum}|${i.intent}`, i.count]))
  const overdueOf = new Map(overdue.perAgent.map((a) => [a.userNum, a.count]))
  const agentRows: Cell[][] = t.perAgent.map((a) => [
    a.userNum,
    a.userName,
    a.made,
    a.connected,
    pct(a.connectRate),
    ...intents.map((i) => intentOf.get(`${a.userNum}|${i}`) ?? 0),
    a.followUps,
    a.dnc,
    saved.get(a.userNum) ?? 0,
    minutes(a.pauseS),
    avg(a.talkS, a.talkN),
    avg(a.wrapS, a.wrapN),
    overdueOf.get(a.userNum) ?? 0,
  ])
  const all = t.all
  agentRows.push([
    '合计',
    '',
    all.made,
    all.connected,
    pct(all.connectRate),
    ...intents.map((i) => t.intents.filter((x) => x.intent === i).reduce((n, x) => n + x.count, 0)),
    all.followUps,
    all.dnc,
    stats.savedToCustomer,
    minutes(all.pauseS),
    avg(all.talkS, all.talkN),
    avg(all.wrapS, all.wrapN),
    overdue.total,
  ])
  const agents = t.perAgent.map((a) => a.userNum)
  const name = new Map(t.perAgent.map((a) => [a.userNum, a.userName || a.userNum]))
  const hours = [...new Set(stats.perAgentHour.map((h) => h.hour))].sort((a, b) => a - b)
  const perHour = new Map(stats.perAgentHour.map((h) => [`${h.userNum}|${h.hour}`, h.calls]))
  return [
    {
      name: '坐席日报',
      header: [
        '工号',
        '姓名',
        '外呼数',
        '接通数',
        '接通率(%)',
        ...intents.map((i) => `意向${i}`),
        '新建跟进',
        '勿扰',
        '已存电子客',
        '暂停(分钟)',
        '平均通话(秒)',
        '平均话后处理(秒)',
        '逾期跟进',
      ],
      rows: agentRows,
    },
    {
      name: '按小时',
      header: ['小时', ...agents.map((u) => name.get(u) ?? u)],
      rows: hours.map((h) => [`${h} 时`, ...agents.map((u) => perHour.get(`${u}|${h}`) ?? 0)]),
    },
    {
      name: '反馈结果',
      header: ['反馈结果', '记录数', '是否算接通'],
      rows: stats.results.map((r) => [
        r.result || '—',
        r.count,
        t.contactOutcomes.includes(r.result) ? '接通' : '未接通',
      ]),
    },
    {
      name: '意向分布',
      header: ['工号', '姓名', ...intents.map((i) => `意向${i}`), '未记录'],
      rows: agents.map((u) => [
        u,
        name.get(u) ?? '',
        ...intents.map((i) => intentOf.get(`${u}|${i}`) ?? 0),
        intentOf.get(`${u}|`) ?? 0,
      ]),
    },
    {
      name: '暂停',
      header: ['工号', '姓名', '原因', '次数', '时长(分钟)'],
      rows: t.pauses.map((p) => [
        p.userNum,
        name.get(p.userNum) ?? '',
        p.reason,
        p.count,
        minutes(p.seconds),
      ]),
    },
    {
      name: '逾期跟进',
      header: ['工号', '姓名', '逾期条数'],
      rows: overdue.perAgent.map((a) => [a.userNum, a.userName, a.count]),
    },
    {
      name: '说明',
      header: ['项目', '内容'],
      rows: [
        ['日期', input.day],
        ['时区', input.zone],
        ['生成时间', input.generatedAt.toISOString()],
        ['接通', contactRuleText],
        ['外呼数', '通话记录条数，不含被自动跳过的勿扰号码'],
        [
          '平均通话 / 话后处理',
          '仅统计从本应用拨出的电话：通话 = 拨号到挂断；话后处理 = 挂断到保存',
        ],
        ['暂停', '坐席在顶部选择「暂停」到恢复「就绪」的时长，按开始的日期计'],
        ['逾期跟进', `下次跟进日期早于 ${overdue.today}，且之后没有再拨打该号码`],
      ],
    },
  ]
}

/** Writes the report (complete or absent). */
export async function writeDailyReport(file: string, input: DailyReportInput): Promise<void> {
  const ExcelJS = await loadExcel()
  const wb = new ExcelJS.Workbook()
  wb.created = input.generatedAt
  for (const sheet of dailyReportSheets(input)) {
    const ws = wb.addWorksheet(sheet.name, { views: [{ state: 'frozen', ySplit: 1 }] })
    ws.columns = sheet.header.map((h) => ({ header: h, width: Math.max(10, h.length * 2 + 2) }))
    ws.getRow(1).font = { bold: true }
    for (const r of sheet.rows) ws.addRow(r)
  }
  const sheetOne = wb.getWorksheet('说明')
  if (sheetOne) sheetOne.getColumn(2).width = 90
  const buffer = await wb.xlsx.writeBuffer()
  await writeFileAtomic(file, new Uint8Array(buffer as ArrayBuffer))
}
