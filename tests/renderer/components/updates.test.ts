import { beforeEach, describe, expect, it } from 'vitest'
import DiagnosticsExport from '../../../renderer/src/components/settings/DiagnosticsExport.vue'
import UpdateSettings from '../../../renderer/src/components/settings/UpdateSettings.vue'
import UpdateBanner from '../../../renderer/src/components/updates/UpdateBanner.vue'
import { useUpdatesStore } from '../../../renderer/src/stores/updates'
import { updateStatus } from '../support/fake-api'
import { flushPromises, mountWith, setup, type Setup } from '../support/mount'

let s: Setup
beforeEach(async () => {
  s = setup()
  await s.router.push('/settings')
})

async function banner() {
  const w = await mountWith(UpdateBanner, s)
  await useUpdatesStore().start()
  await flushPromises()
  return w
}
const emit = async (over: Parameters<typeof updateStatus>[0]) => {
  s.fake.emit('updateStatus', updateStatus(over))
  await flushPromises()
}
const available = { version: '0.2.0', releaseDate: '2025-03-01' }

describe('the update banner', () => {
  it('shows nothing while idle, up to date, checking or unsupported', async () => {
    const w = await banner()
    for (const state of ['idle', 'not-available', 'checking', 'unsupported'] as const) {
      await emit({ state })
      expect(w.find('[data-test=update-banner]').exists(), state).toBe(false)
    }
    w.unmount()
  })

  it('offers the new version, downloads it with a progress bar, then restarts into it', async () => {
    s.fake.answer('updates', 'status', updateStatus({ state: 'available', available }))
    const w = await banner()
    expect(w.find('[data-test=update-banner]').text()).toContain('新版本 0.2.0 可用')
    s.fake.answer('updates', 'download', updateStatus({ state: 'downloading', available }))
    await w.find('[data-test=update-download]').trigger('click')
    await flushPromises()
    expect(s.fake.fn('updates', 'download')).toHaveBeenCalled()
    await emit({
      state: 'downloading',
      available,
      progress: { percent: 42.4, transferred: 42, total: 100 },
    })
    expect(w.find('[data-test=update-banner]').text()).toContain('正在下载新版本 0.2.0')
    expect(w.find('[data-test=update-progress]').attributes('aria-valuenow')).toBe('42')
    await emit({ state: 'downloaded', available })
    expect(w.find('[data-test=update-banner]').text()).toContain('新版本 0.2.0 已下载')
    await w.find('[data-test=update-install]').trigger('click')
    await flushPromises()
    expect(s.fake.fn('updates', 'install')).toHaveBeenCalled()
    w.unmount()
  })

  it('says it will install after the current call', async () => {
    s.fake.answer(
      'updates',
      'status',
      updateStatus({ state: 'downloaded', available, waitingForCallToEnd: true }),
    )
    const w = await banner()
    expect(w.find('[data-test=update-waiting]').text()).toBe('当前通话保存后将自动重启并安装更新')
    expect(w.find('[data-test=update-install]').exists()).toBe(false)
    w.unmount()
  })

  it('shows the error in Chinese with a retry, and can be dismissed until the state changes', async () => {
    const w = await banner()
    await emit({ state: 'error', error: '更新文件校验失败（sha512 不一致）' })
    expect(w.find('[data-test=update-error]').text()).toBe(
      '更新失败：更新文件校验失败（sha512 不一致）',
    )
    await w.find('[data-test=update-dismiss]').trigger('click')
    expect(w.find('[data-test=update-banner]').exists()).toBe(false)
    await emit({ state: 'available', available })
    expect(w.find('[data-test=update-banner]').exists()).toBe(true)
    w.unmount()
  })

  it('stays quiet when main has no updater', async () => {
    s.fake.fail('updates', 'status', { kind: 'unknown-channel', message: '未知的请求' })
    const w = await banner()
    expect(w.find('[data-test=update-banner]').exists()).toBe(false)
    w.unmount()
  })
})

describe('the settings’ update and diagnostics sections', () => {
  it('checks for updates and shows every state as a line', async () => {
    s.fake.answer('updates', 'status', updateStatus({ state: 'unsupported' }))
    const w = await mountWith(UpdateSettings, s)
    await useUpdatesStore().start()
    await flushPromises()
    expect(w.text()).toContain('当前版本 0.1.0')
    expect(w.find('[data-test=update-status]').text()).toBe(
      '此版本不支持自动更新（开发版或网页版）',
    )
    s.fake.answer(
      'updates',
      'check',
      updateStatus({ state: 'not-available', lastCheckedAt: new Date().toISOString() }),
    )
    await w.find('[data-test=check-updates]').trigger('click')
    await flushPromises()
    expect(s.fake.fn('updates', 'check')).toHaveBeenCalled()
    expect(w.find('[data-test=update-status]').text()).toBe('已是最新版本')
    expect(w.text()).toContain('上次检查：')
    s.fake.emit(
      'updateStatus',
      updateStatus({ state: 'error', error: '找不到更新通道文件（404）' }),
    )
    await flushPromises()
    expect(w.find('[data-test=update-status]').text()).toBe('更新失败：找不到更新通道文件（404）')
    w.unmount()
  })

  it('exports diagnostics and shows where the file went', async () => {
    const w = await mountWith(DiagnosticsExport, s)
    await w.find('[data-test=export-diagnostics]').trigger('click')
    await flushPromises()
    expect(w.find('[data-test=diagnostics-result]').text()).toBe(
      '已保存到：/tmp/诊断信息.json（2.0 KB）',
    )
    s.fake.answer('diagnostics', 'export', { file: null, bytes: 0 })
    await w.find('[data-test=export-diagnostics]').trigger('click')
    await flushPromises()
    expect(w.find('[data-test=diagnostics-result]').text()).toBe('已取消，未导出')
    w.unmount()
  })
})
