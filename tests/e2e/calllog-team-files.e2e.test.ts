import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import { defaultSoftphoneSettings } from '../../shared/softphone-defaults'
import { ensureLoggedIn, ok, openScreen, text as textOf, useE2eSession } from './support/app-state'
import { screenshot } from './support/browser'
import { ensureSupervisor, PACKAGE_ID, PROJECT_ID } from './support/calllog-state'

/**
 * The call log's missing pieces as a supervisor meets them, at 1366×768 (the agents' laptops):
 * every column of the list reachable and readable (the recording and the sync state always in
 * view), the softphone's answered time (接通) in the list and the export, the pause periods
 * exported beside the calls, and a team member's files written in Beijing time imported on a
 * desktop in another zone (this machine's, UTC here) with their pause time counted by reason.
 * Screenshots: calllog-team-files-*.png.
 */

const s = useE2eSession()
const page = () => s.page
const shot = (name: string) => screenshot(s.page, `calllog-team-files-${name}`)
const text = (selector: string) => textOf(s.page, selector)
const exportsDir = () => join(s.env.dataDir, 'exports')
const importsDir = () => join(s.env.dataDir, 'imports')
/** wall-clock text of an instant in Beijing (UTC+08:00), as the team member's desktop wrote it */
const beijing = (t: number) =>
  new Date(t + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ')

/** a call recorded by the built-in phone: a recording file, then the saved call around it */
async function callWithRecording(notes: string): Promise<void> {
  const ref = { projectId: PROJECT_ID, packageId: PACKAGE_ID }
  const phone =
    (await ok(s.api.calling.currentPhone(ref))) ?? (await ok(s.api.calling.nextPhone(ref)))
  const settings = await ok(s.api.settings.get())
  const dialledAt = new Date(Date.now() - 2_000).toISOString()
  // recordings are written only while the softphone records; switched back off for the page
  await ok(
    s.api.settings.update({
      softphone: {
        ...defaultSoftphoneSettings,
        ...settings.softphone,
        enabled: true,
        record: true,
      },
    }),
  )
  try {
    const { id } = await ok(s.api.softphone.recordingStart({ phone: phone.phone }))
    const bytes = Buffer.from('webm-opus-bytes').toString('base64')
    await ok(s.api.softphone.recordingChunk({ id, data: bytes }))
    await ok(s.api.softphone.recordingStop({ id }))
  } finally {
    await ok(s.api.settings.update({ softphone: settings.softphone ?? defaultSoftphoneSettings }))
  }
  await ok(
    s.api.calling.saveCallback({
      ...ref,
      phoneId: phone.phoneId,
      phone: phone.phone,
      ownerName: phone.ownerName,
      callbackItem: '继续跟进',
      intent: 'B',
      notes,
      nextFollowDate: '2030-01-15',
      dialledAt,
      answeredAt: new Date(Date.parse(dialledAt) + 1_000).toISOString(),
      endedAt: new Date().toISOString(),
    }),
  )
}

describe('the call log’s missing pieces', () => {
  it('shows every column at 1366×768: the answered time, the recording and the sync state in view', async () => {
    await ensureLoggedIn(s)
    await ok(s.api.catalog.projects())
    await ok(s.api.catalog.packages({ projectId: PROJECT_ID }))
    await callWithRecording('客户在开会，约周末带看样板间，需要提前准备两室户型图和价格表')
    await callWithRecording('已加微信')
    await ensureSupervisor(s)
    await page().setViewportSize({ width: 1366, height: 768 })
    s.stale = true
    await openScreen(s, '/history', '[data-test=calllog-table]')
    await page().locator('[data-test=recording-play]').first().waitFor()
    await shot('1366')

    const answered = await page()
      .locator('[data-test=row-answered]')
      .evaluateAll((all) => all.map((e) => e.textContent?.trim()))
    expect(answered.slice(0, 2)).toEqual([
      expect.stringMatching(/^\d{2}:\d{2}:\d{2}$/),
      expect.stringMatching(/^\d{2}:\d{2}:\d{2}$/),
    ])
    // the header cells of the main table: every column has one, fully inside the window once
    // scrolled to; the recording and the sync state without scrolling
    const headers = page().locator('.calllog-table .el-table__header-wrapper th')
    const labels = await headers.evaluateAll((all) => all.map((e) => e.textContent?.trim()))
    for (const label of ['时间', '坐席', '电话', '接通', '时长', '备注', '标记', '录音', '同步']) {
      expect(labels.some((l) => l?.startsWith(label))).toBe(true)
    }
    const inView = async (selector: string) => {
      const box = (await page().locator(selector).first().boundingBox())!
      return box.x >= 0 && box.x + box.width <= 1366 && box.y + box.height <= 768
    }
    const play = '[data-test=recording-play]'
    expect(await inView(play)).toBe(true)
    expect(await inView('.calllog-table .el-table__body-wrapper .sync')).toBe(true)
    expect(await inView('.calllog-table .el-table__body-wrapper [data-test=row-answered]')).toBe(
      true,
    )
    await shot('1366')
    // playing shows a player wide enough for its controls
    await page().locator(play).first().click()
    const audio = page().locator('[data-test=recording-audio]').first()
    await audio.waitFor()
    expect((await audio.boundingBox())!.width).toBeGreaterThanOrEqual(120)
    expect(await inView('[data-test=recording-audio]')).toBe(true)
    await shot('1366-playing')
  })

  it('exports the answered time and the pause periods: a second sheet, a CSV beside the CSV', async () => {
    await ensureSupervisor(s)
    await ok(s.api.session.setAgentStatus({ state: 'paused', reason: '培训' }))
    await ok(s.api.session.setAgentStatus({ state: 'ready' }))
    rmSync(exportsDir(), { recursive: true, force: true })
    await openScreen(s, '/history', '[data-test=calllog-table]')
    for (const format of ['xlsx', 'csv'] as const) {
      await page().locator('[data-test=open-export]').click()
      await page().waitForSelector('[data-test=export-dialog] [data-test=export-columns]')
      await page().locator('[data-test=export-format] .el-radio', { hasText: format }).click()
      await page().locator('[data-test=columns-all]').click()
      await page().locator('[data-test=export-start]').click()
      await expect
        .poll(() => page().locator('[data-test=export-close]').count(), { timeout: 60_000 })
        .toBe(1)
      expect(await text('[data-test=export-done]')).toMatch(/暂停记录/)
      if (format === 'csv') await shot('export-done')
      await page().locator('[data-test=export-close]').click()
      await page().waitForSelector('[data-test=export-dialog]', { state: 'hidden' })
    }
    const names = readdirSync(exportsDir())
    const xlsx = names.find((n) => n.endsWith('.xlsx'))!
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.readFile(join(exportsDir(), xlsx))
    expect(wb.worksheets.map((w) => w.name)).toEqual(['通话记录', '暂停记录'])
    expect(wb.worksheets[0]!.getRow(1).values).toContainEqual(
      expect.stringMatching(/^接通时间 \(UTC[+-]\d{2}:\d{2}\)$/),
    )
    expect(wb.getWorksheet('暂停记录')!.getRow(2).getCell(5).value).toBe('培训')
    const companion = names.find((n) => n.endsWith('.暂停记录.csv'))!
    expect(names).toContain(companion.replace('.暂停记录.csv', '.csv'))
    const lines = readFileSync(join(exportsDir(), companion), 'utf8').split('\r\n')
    expect(lines[0]).toMatch(/^\uFEFF记录编号,工号,姓名,机器码,暂停原因,开始时间 \(UTC/)
    expect(lines[1]).toContain(',培训,')
  })

  it('imports a team member’s files written in Beijing time at the right instants, pause time by reason', async () => {
    await ensureSupervisor(s)
    mkdirSync(importsDir(), { recursive: true })
    for (const n of readdirSync(importsDir())) rmSync(join(importsDir(), n))
    // yesterday 10:00 in Beijing: a call answered after 20 s, then two pauses
    const day = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10)
    const t0 = Date.parse(`${day}T02:00:00.000Z`)
    const at = (s: number) => beijing(t0 + s * 1000)
    const zone = '(UTC+08:00)'
    writeFileSync(
      join(importsDir(), '五组-周婷.csv'),
      '\uFEFF' +
        [
          `记录编号,工号,姓名,机器码,项目,电话,客户,时间 ${zone},拨号时间 ${zone},接通时间 ${zone},结束时间 ${zone},反馈结果,意向`,
          `desk-5-1,00021,周婷,desk-5,万科东荟城,13700002101,客户甲,${at(0)},${at(0)},${at(20)},${at(140)},继续跟进,A`,
        ].join('\r\n') +
        '\r\n',
    )
    writeFileSync(
      join(importsDir(), '五组-周婷.暂停记录.csv'),
      '\uFEFF' +
        [
          `记录编号,工号,姓名,机器码,暂停原因,开始时间 ${zone},结束时间 ${zone},时长(秒)`,
          `p-5-1,00021,周婷,desk-5,休息,${at(600)},${at(1500)},900`,
          `p-5-2,00021,周婷,desk-5,培训,${at(1800)},${at(3600)},1800`,
        ].join('\r\n') +
        '\r\n',
    )
    await openScreen(s, '/history', '[data-test=team-panel]')
    await page().locator('[data-test=import-files]').click()
    await expect
      .poll(() => text('[data-test=import-summary]'))
      .toMatch(/已导入 1 个文件：新增 1 条.*暂停记录新增 2 条/)
    await shot('import')

    // the row shows the instants in this desktop's zone
    const expected = await page().evaluate(
      ({ iso, answered }: { iso: string; answered: string }) => {
        const p = (n: number) => String(n).padStart(2, '0')
        const a = new Date(answered)
        const d = new Date(iso)
        return {
          answered: `${p(a.getHours())}:${p(a.getMinutes())}:${p(a.getSeconds())}`,
          time: `${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`,
        }
      },
      { iso: new Date(t0).toISOString(), answered: new Date(t0 + 20_000).toISOString() },
    )
    const search = page().locator('input[data-test=filter-search]')
    await search.fill('13700002101')
    await search.press('Enter')
    const row = page()
      .locator('.calllog-table .el-table__body-wrapper tr', { hasText: '周婷' })
      .first()
    await expect.poll(() => row.textContent()).toContain(expected.answered)
    expect(await row.textContent()).toContain(expected.time)

    await page().locator('[data-test=clear-filters]').click()
    // statistics: 周婷's pause time by reason and her talk time from the answer
    await openScreen(s, '/history/stats', '[data-test=team-summary]')
    const agentRow = page().locator('[data-test=team-agent-row]', { hasText: '00021' }).first()
    await expect.poll(() => agentRow.textContent()).toContain('45 分')
    expect(await agentRow.textContent()).toContain('2 分 0 秒')
    expect(await page().locator('[data-test=chart-pauses] canvas').count()).toBeGreaterThan(0)
    await agentRow.scrollIntoViewIfNeeded()
    await shot('stats')
  })
})
