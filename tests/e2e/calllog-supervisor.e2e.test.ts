import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import { ensureLoggedIn, ok, openScreen, text as textOf, useE2eSession } from './support/app-state'
import { screenshot } from './support/browser'
import { ensureSupervisor, PACKAGE_ID, PROJECT_ID } from './support/calllog-state'

/**
 * The supervisor's day in Chromium through the web bridge: calls saved with an intent, a pause
 * taken from the header (its reason and running time shown, the period recorded), the team's
 * files imported several at once and dropped on the window, what the view covers, the figures
 * (connect rate with its rule, intents, pauses, per agent and per day), overdue follow-ups, the
 * export's 时间 column with its zone, and the 日报. Screenshots: calllog-supervisor-*.png.
 */

/** what the drop test uses of the page's globals */
interface DropWindow {
  DataTransfer: new () => { items: { add(file: unknown): void } }
  File: new (parts: string[], name: string, opts: { type: string }) => unknown
}

const s = useE2eSession()
const page = () => s.page
const shot = (name: string) => screenshot(s.page, `calllog-supervisor-${name}`)
const text = (selector: string) => textOf(s.page, selector)
const exportsDir = () => join(s.env.dataDir, 'exports')
const importsDir = () => join(s.env.dataDir, 'imports')
const pad = (n: number) => String(n).padStart(2, '0')
const localText = (d: Date) =>
  `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
  `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
const dayText = (d: Date) => localText(d).slice(0, 10)

/** a team member's file: agent, desktop, days back from today, a follow-up long overdue */
function teamFile(name: string, userNum: string, userName: string, desk: string, days: number[]) {
  const lines = ['记录编号,工号,姓名,机器码,项目,电话,客户,时间,反馈结果,意向,下次跟进日期']
  days.forEach((back, i) => {
    const at = new Date()
    at.setDate(at.getDate() - back)
    at.setHours(10, i, 0, 0)
    lines.push(
      [
        `${desk}-${i}`,
        userNum,
        userName,
        desk,
        '万科东荟城',
        `1370000${userNum.slice(-2)}${pad(i)}`,
        `客户${i}`,
        localText(at),
        i % 2 ? '无人接听' : '继续跟进',
        'ABCDE'[i % 5],
        // a follow-up due the day of the call: overdue since
        i === 0 ? dayText(at) : '',
      ].join(','),
    )
  })
  return `\uFEFF${lines.join('\r\n')}\r\n`
}

describe('the supervisor’s day', () => {
  it('saves calls with an intent and shows the pause reason and its running time in the header', async () => {
    await ensureLoggedIn(s)
    await ok(s.api.catalog.projects())
    await ok(s.api.catalog.packages({ projectId: PROJECT_ID }))
    const ref = { projectId: PROJECT_ID, packageId: PACKAGE_ID }
    for (const [item, intent] of [
      ['接受邀请', 'A'],
      ['无人接听', 'E'],
      ['继续跟进', 'B'],
    ] as const) {
      const phone =
        (await ok(s.api.calling.currentPhone(ref))) ?? (await ok(s.api.calling.nextPhone(ref)))
      const dialledAt = new Date(Date.now() - 95_000).toISOString()
      await ok(
        s.api.calling.saveCallback({
          ...ref,
          phoneId: phone.phoneId,
          phone: phone.phone,
          ownerName: phone.ownerName,
          callbackItem: item,
          intent,
          dialledAt,
          endedAt: new Date(Date.now() - 20_000).toISOString(),
        }),
      )
    }
    s.stale = true
    await openScreen(s, '/history', '[data-test=calllog-table]')
    const intents = await page()
      .locator('[data-test=row-intent]')
      .evaluateAll((all) => all.map((e) => e.textContent?.trim()))
    expect(intents.slice(0, 3)).toEqual(['B', 'E', 'A'])
    await page().locator('[data-test=agent-status]').click()
    await page().locator('.el-select-dropdown__item:visible', { hasText: '休息' }).first().click()
    const timer = page().locator('[data-test=pause-timer]')
    await expect.poll(() => timer.textContent()).toMatch(/休息 · 已暂停 0:0\d/)
    await page().waitForTimeout(2_100)
    expect(await timer.textContent()).toMatch(/休息 · 已暂停 0:0[2-9]/)
    await shot('pause-header')
    await page().locator('[data-test=agent-status]').click()
    await page().locator('.el-select-dropdown__item:visible', { hasText: '就绪' }).first().click()
    await expect.poll(() => timer.count()).toBe(0)
  })

  it('imports the team’s files several at once and by drag and drop, and shows what the view covers', async () => {
    await ensureSupervisor(s)
    mkdirSync(importsDir(), { recursive: true })
    for (const n of readdirSync(importsDir())) writeFileSync(join(importsDir(), n), '')
    writeFileSync(
      join(importsDir(), '二组-李娜.csv'),
      teamFile('二组', '00007', '李娜', 'desk-2', [1, 2, 4]),
    )
    writeFileSync(
      join(importsDir(), '三组-王强.csv'),
      teamFile('三组', '00008', '王强', 'desk-3', [1, 3]),
    )
    await openScreen(s, '/history', '[data-test=team-panel]')
    await page().locator('[data-test=import-files]').click()
    await expect.poll(() => text('[data-test=import-summary]')).toMatch(/新增 5 条/)
    // dropped on the panel: a file with no path, read by the page
    const dataTransfer = await page().evaluateHandle(
      (csv) => {
        // the page's own DOM classes (this file is typed for Node)
        const w = globalThis as unknown as DropWindow
        const dt = new w.DataTransfer()
        dt.items.add(new w.File([csv], '四组-赵敏.csv', { type: 'text/csv' }))
        return dt
      },
      teamFile('四组', '00009', '赵敏', 'desk-4', [2]),
    )
    const zone = page().locator('[data-test=team-drop]')
    await zone.dispatchEvent('dragover', { dataTransfer })
    await zone.dispatchEvent('drop', { dataTransfer })
    await expect
      .poll(() => text('[data-test=import-summary]'))
      .toMatch(/已导入 1 个文件：新增 1 条/)
    const rows = page().locator('[data-test=coverage-row]')
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(4)
    const desk4 = await rows.filter({ hasText: 'desk-4' }).textContent()
    expect(desk4).toContain('赵敏')
    expect(desk4).toContain('四组-赵敏.csv')
    expect(await rows.filter({ hasText: 'desk-3' }).textContent()).toContain(
      dayText(new Date(Date.now() - 2 * 86_400_000)),
    )
    await shot('team-panel')
  })

  it('shows the figures per agent and per day with charts, the contact rule and overdue follow-ups', async () => {
    await ensureSupervisor(s)
    await ok(s.api.session.setAgentStatus({ state: 'paused', reason: '培训' }))
    await new Promise((r) => setTimeout(r, 1_200))
    await ok(s.api.session.setAgentStatus({ state: 'ready' }))
    s.stale = true
    await openScreen(s, '/history/stats', '[data-test=team-summary]')
    expect(await text('[data-test=team-connect]')).toMatch(/接通率\s*\d+\.\d%/)
    expect(await text('[data-test=team-pause]')).toMatch(/秒|分/)
    await page().locator('[data-test=contact-rule] summary').click()
    expect(await text('[data-test=contact-rule]')).toContain('无人接听')
    for (const name of ['connect', 'day-connect', 'intents', 'pauses']) {
      expect(await page().locator(`[data-test=chart-${name}] canvas`).count()).toBeGreaterThan(0)
    }
    const agentRow = await page()
      .locator('[data-test=team-agent-row]', { hasText: '00006' })
      .first()
      .textContent()
    expect(agentRow).toMatch(/A \d+/)
    await shot('stats')
    await page().locator('[data-test=team-by] label', { hasText: '日期' }).click()
    expect(await page().locator('[data-test=team-agent-row]').count()).toBeGreaterThan(3)
    expect(Number(await text('[data-test=overdue-total]'))).toBeGreaterThanOrEqual(3)
    expect(await text('[data-test=overdue-agents]')).toContain('李娜')
    await page().locator('[data-test=overdue]').scrollIntoViewIfNeeded()
    await shot('overdue')
  })

  it('exports the call’s time by default with its zone, and writes the 日报 with one button', async () => {
    await ensureSupervisor(s)
    await openScreen(s, '/history', '[data-test=calllog-table]')
    await page().locator('[data-test=open-export]').click()
    await page().locator('[data-test=export-start]').click()
    await expect
      .poll(() => page().locator('[data-test=export-close]').count(), { timeout: 60_000 })
      .toBe(1)
    const csv = readdirSync(exportsDir()).find((n) => n.endsWith('.csv'))!
    const header = readFileSync(join(exportsDir(), csv), 'utf8').split('\r\n')[0]!
    expect(header).toMatch(/时间 \(UTC[+-]\d{2}:\d{2}\)/)
    expect(header).toContain('意向')
    await page().locator('[data-test=export-close]').click()
    await openScreen(s, '/history/stats', '[data-test=daily-report]')
    await page().locator('[data-test=daily-report-button]').click()
    await expect.poll(() => text('[data-test=daily-report-done]')).toContain('日报-')
    await shot('daily-report')
    const file = readdirSync(exportsDir()).find((n) => n.startsWith('日报-'))!
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.readFile(join(exportsDir(), file))
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      '坐席日报',
      '按小时',
      '反馈结果',
      '意向分布',
      '暂停',
      '逾期跟进',
      '说明',
    ])
    const agents = wb.getWorksheet('坐席日报')!
    expect(agents.getRow(1).values).toContain('接通率(%)')
    expect(agents.rowCount).toBeGreaterThanOrEqual(2)
  })
})
