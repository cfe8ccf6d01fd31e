import { beforeEach, describe, expect, it, vi } from 'vitest'
import SoftphoneSettings from '../../../renderer/src/components/settings/SoftphoneSettings.vue'
import { defaultSettings } from '../../../shared/settings'
import { defaultSoftphoneSettings } from '../../../shared/softphone-defaults'
import { useSettingsStore } from '../../../renderer/src/stores/settings'
import { flushPromises, mountWith, setup, type Setup } from '../support/mount'

let s: Setup
beforeEach(async () => {
  s = setup()
  await s.router.push('/settings')
})

async function mounted() {
  const w = await mountWith(SoftphoneSettings, s)
  await useSettingsStore().load()
  await flushPromises()
  return w
}
const input = (w: Awaited<ReturnType<typeof mounted>>, id: string) =>
  w.find(`[id="setting-softphone.${id}"]`)

describe('the 软电话 settings', () => {
  it('shows every field in Chinese with the defaults', async () => {
    const w = await mounted()
    const text = w.text()
    for (const label of [
      '软电话',
      'SIP WebSocket 地址',
      'SIP 域名',
      '分机号',
      '分机密码',
      '通话录音',
      '录音保存天数',
      '允许外呼时段',
      '每个号码 24 小时内最多拨打',
    ]) {
      expect(text, label).toContain(label)
    }
    expect((input(w, 'callingWindows').element as HTMLTextAreaElement).value).toBe(
      '09:00-12:00\n14:00-20:00',
    )
    expect(input(w, 'password').attributes('placeholder')).toBe('未设置')
    w.unmount()
  })

  it('saves the phone’s settings and puts the password in the vault, never in the settings', async () => {
    const saved = { ...defaultSettings, softphone: { ...defaultSoftphoneSettings } }
    s.fake.answer('settings', 'update', saved)
    const w = await mounted()
    await input(w, 'wsUrl').setValue('wss://pbx.example.com:8089/ws')
    await input(w, 'sipDomain').setValue('pbx.example.com')
    await input(w, 'extension').setValue('1001')
    await input(w, 'password').setValue('s3cret')
    await input(w, 'callingWindows').setValue('08:30-12:00，22:00-02:00')
    await w.find('[data-test=softphone-settings]').trigger('submit')
    await flushPromises()
    const patch = s.fake.fn('settings', 'update').mock.calls.at(-1)?.[0] as {
      softphone: Record<string, unknown>
    }
    expect(patch.softphone).toMatchObject({
      wsUrl: 'wss://pbx.example.com:8089/ws',
      sipDomain: 'pbx.example.com',
      extension: '1001',
      callingWindows: ['08:30-12:00', '22:00-02:00'],
    })
    expect(JSON.stringify(patch)).not.toContain('s3cret')
    expect(s.fake.fn('softphone', 'setPassword')).toHaveBeenCalledWith({ password: 's3cret' })
    expect(w.text()).toContain('已保存')
    w.unmount()
  })

  it('names the field main refused, under that field', async () => {
    s.fake.fail('settings', 'update', {
      kind: 'invalid-args',
      field: 'softphone.callingWindows.1',
      message: '参数 softphone.callingWindows.1 无效：时段格式为 HH:MM-HH:MM',
    })
    const w = await mounted()
    await input(w, 'callingWindows').setValue('09:00-12:00\n9-18')
    await w.find('[data-test=softphone-settings]').trigger('submit')
    await flushPromises()
    // Element Plus shows a form item's error after its own tick
    await vi.waitFor(() => {
      const item = input(w, 'callingWindows').element.closest('.el-form-item')
      expect(item?.textContent).toContain('时段格式为 HH:MM-HH:MM')
    })
    expect(s.fake.fn('softphone', 'setPassword')).not.toHaveBeenCalled()
    w.unmount()
  })
})
