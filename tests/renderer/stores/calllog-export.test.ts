import { beforeEach, describe, expect, it } from 'vitest'
import type { ExportProgress } from '../../../shared/calllog'
import { useCallLogExportStore } from '../../../renderer/src/stores/calllogExport'
import { ok } from '../support/fake-api'
import { setup, type Setup } from '../support/mount'

let s: Setup
beforeEach(() => {
  s = setup()
})

const progress = (over: Partial<ExportProgress>): ExportProgress => ({
  jobId: 'job-1',
  state: 'running',
  done: 0,
  total: 0,
  file: null,
  message: null,
  ...over,
})
const request = {
  filter: {},
  format: 'csv' as const,
  columns: ['phone' as const],
  maskPhones: true,
}

describe('the export store', () => {
  it('follows its job through progress to the written file', async () => {
    const job = useCallLogExportStore()
    await job.start(request)
    expect(s.fake.fn('calllog', 'export')).toHaveBeenCalledWith(request)
    expect(job.phase).toBe('running')
    s.fake.emit('exportProgress', progress({ done: 250, total: 1000 }))
    expect(job.percent).toBe(25)
    // another window's job is not ours
    s.fake.emit('exportProgress', progress({ jobId: 'other', state: 'failed' }))
    expect(job.phase).toBe('running')
    s.fake.emit(
      'exportProgress',
      progress({ state: 'done', done: 1000, total: 1000, file: '/x/通话记录.csv' }),
    )
    expect(job.phase).toBe('done')
    expect(job.progress?.file).toBe('/x/通话记录.csv')
    expect(job.active).toBe(false)
  })

  it('keeps an event that came before the job id', async () => {
    const job = useCallLogExportStore()
    s.fake.fn('calllog', 'export').mockImplementationOnce(async () => {
      s.fake.emit('exportProgress', progress({ done: 10, total: 20 }))
      return ok({ jobId: 'job-1' })
    })
    await job.start(request)
    expect(job.percent).toBe(50)
  })

  it('goes back to the form when the save dialog was cancelled', async () => {
    const job = useCallLogExportStore()
    s.fake.answer('calllog', 'export', { jobId: null })
    await job.start(request)
    expect(job.phase).toBe('form')
    expect(job.error).toBeNull()
  })

  it('cancels through main and shows its message once cancelled', async () => {
    const job = useCallLogExportStore()
    await job.start(request)
    await job.cancel()
    expect(s.fake.fn('calllog', 'cancelExport')).toHaveBeenCalledWith({ jobId: 'job-1' })
    expect(job.cancelling).toBe(true)
    s.fake.emit(
      'exportProgress',
      progress({ state: 'cancelled', message: '已取消导出，未生成文件' }),
    )
    expect(job.phase).toBe('cancelled')
    expect(job.cancelling).toBe(false)
    job.reset()
    expect(job.phase).toBe('form')
  })

  it("shows main's refusal in Chinese", async () => {
    const job = useCallLogExportStore()
    s.fake.fail('calllog', 'export', {
      kind: 'forbidden',
      message: '导出完整号码需要主管模式，请先输入主管密码',
    })
    await job.start({ ...request, maskPhones: false })
    expect(job.phase).toBe('form')
    expect(job.error).toMatchObject({ text: '导出完整号码需要主管模式，请先输入主管密码' })
  })
})
