import { beforeEach, describe, expect, it } from 'vitest'
import type { ExportProgress } from '../../../shared/calllog'
import ExportDialog from '../../../renderer/src/components/calllog/ExportDialog.vue'
import { defaultExportColumns } from '../../../renderer/src/domain/calllog'
import { useCallLogStore } from '../../../renderer/src/stores/calllog'
import { useSupervisorStore } from '../../../renderer/src/stores/supervisor'
import { flushPromises, mountWith, setup, type Setup } from '../support/mount'

let s: Setup
beforeEach(() => {
  s = setup()
})

const mountDialog = () => mountWith(ExportDialog, s, { props: { modelValue: true } })
const $ = <T extends Element = HTMLElement>(sel: string) => document.querySelector<T>(sel)
const click = async (sel: string) => {
  $(sel)!.click()
  await flushPromises()
}
const checked = () =>
  [...document.querySelectorAll<HTMLElement>('[data-test=export-columns] .el-checkbox')]
    .filter((c) => c.classList.contains('is-checked'))
    .map((c) => c.dataset.column)
const progress = (over: Partial<ExportProgress>): ExportProgress => ({
  jobId: 'job-1',
  state: 'running',
  done: 0,
  total: 0,
  file: null,
  message: null,
  ...over,
})
const exportCall = () => s.fake.fn('calllog', 'export').mock.calls.at(-1)?.[0]

describe('the export dialog', () => {
  it('offers every column with its Chinese label, the usual ones ticked, masking on and locked', async () => {
    const w = await mountDialog()
    const labels = [...document.querySelectorAll('[data-test=export-columns] .el-checkbox')].map(
      (c) => c.textContent?.trim(),
    )
    expect(labels).toHaveLength(23)
    // the softphone's answer (接通时间) is on offer, not ticked by default like 拨号/结束时间
    expect(labels).toContain('接通时间')
    expect(defaultExportColumns).not.toContain('answeredAt')
    // the softphone's recording can be exported by its file name (not ticked by default)
    expect(labels).toContain('录音文件')
    expect(labels).toContain('通话时长(秒)')
    // the call's time (as the list shows it) and the intent by default; 拨号/分配时间 on offer
    expect(defaultExportColumns).toEqual(expect.arrayContaining(['callTime', 'intent']))
    expect(defaultExportColumns).not.toContain('dialledAt')
    expect(labels).toEqual(expect.arrayContaining(['时间', '意向', '拨号时间', '分配时间']))
    expect(labels).toContain('已存电子客')
    expect(checked()).toEqual([...defaultExportColumns])
    const mask = $<HTMLInputElement>('[data-test=export-mask] input')!
    expect(mask.checked).toBe(true)
    expect(mask.disabled).toBe(true)
    expect($('[data-test=export-dialog]')!.textContent).toContain('关闭隐藏需要主管模式')
    w.unmount()
  })

  it('exports the current filter in the chosen format and columns, in the log’s order', async () => {
    useCallLogStore().setFilter({ result: '接受邀请' })
    const w = await mountDialog()
    await click('[data-test=export-format] .el-radio:nth-child(2)')
    // untick 备注, tick 记录编号 (first in the log's order)
    await click('[data-test=export-columns] [data-column=notes]')
    await click('[data-test=export-columns] [data-column=id]')
    await click('[data-test=export-start]')
    expect(exportCall()).toEqual({
      filter: { result: '接受邀请' },
      format: 'xlsx',
      columns: ['id', ...defaultExportColumns.filter((c) => c !== 'notes')],
      maskPhones: true,
    })
    w.unmount()
  })

  it('refuses to start without a column', async () => {
    const w = await mountDialog()
    for (const c of defaultExportColumns)
      await click(`[data-test=export-columns] [data-column=${c}]`)
    expect(checked()).toEqual([])
    expect($('[data-test=export-dialog]')!.textContent).toContain('请至少选择一列')
    expect($<HTMLButtonElement>('[data-test=export-start]')!.disabled).toBe(true)
    w.unmount()
  })

  it('lets a supervisor turn masking off', async () => {
    await useSupervisorStore().unlock('secret1')
    const w = await mountDialog()
    const mask = $<HTMLInputElement>('[data-test=export-mask] input')!
    expect(mask.disabled).toBe(false)
    await click('[data-test=export-mask]')
    await click('[data-test=export-start]')
    expect(exportCall()?.maskPhones).toBe(false)
    w.unmount()
  })

  it('shows the progress, cancels, and says it was cancelled', async () => {
    const w = await mountDialog()
    await click('[data-test=export-start]')
    s.fake.emit('exportProgress', progress({ done: 250, total: 1000 }))
    await flushPromises()
    const status = $('[data-test=export-status]')!
    expect(status.textContent).toContain('正在导出 250 / 1,000')
    expect($('[data-test=export-progress]')!.getAttribute('aria-valuenow')).toBe('25')
    expect($('[data-test=export-start]')).toBeNull()
    await click('[data-test=export-cancel]')
    expect(s.fake.fn('calllog', 'cancelExport')).toHaveBeenCalledWith({ jobId: 'job-1' })
    expect(status.textContent).toContain('正在取消')
    s.fake.emit(
      'exportProgress',
      progress({ state: 'cancelled', done: 300, total: 1000, message: '已取消导出，未生成文件' }),
    )
    await flushPromises()
    expect($('[data-test=export-cancelled]')!.textContent).toContain('已取消导出，未生成文件')
    await click('[data-test=export-again]')
    expect($('[data-test=export-start]')).not.toBeNull()
    w.unmount()
  })

  it('shows the written file, or main’s reason for failing', async () => {
    const w = await mountDialog()
    await click('[data-test=export-start]')
    s.fake.emit(
      'exportProgress',
      progress({
        state: 'done',
        done: 42,
        total: 42,
        file: '/home/a/通话记录-2025-03-04.csv',
        message: '已导出 42 条记录',
      }),
    )
    await flushPromises()
    expect($('[data-test=export-done]')!.textContent).toContain('已导出 42 条记录')
    expect($('[data-test=export-file]')!.textContent).toBe('/home/a/通话记录-2025-03-04.csv')
    await click('[data-test=export-again]')
    await click('[data-test=export-start]')
    s.fake.emit(
      'exportProgress',
      progress({ state: 'failed', message: '导出失败：磁盘已满。未生成文件' }),
    )
    await flushPromises()
    expect($('[data-test=export-failed]')!.textContent).toContain('导出失败：磁盘已满。未生成文件')
    w.unmount()
  })
})
