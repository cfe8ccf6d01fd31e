import { beforeEach, describe, expect, it } from 'vitest'
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

const on = {
  ...defaultSoftphoneSettings,
  enabled: true,
  wsUrl: 'wss://old.example.com/ws',
  sipDomain: 'pbx.example.com',
  extension: '1001',
}

async function mounted() {
  s.fake.answer('settings', 'get', { ...defaultSettings, softphone: on })
  const w = await mountWith(SoftphoneSettings, s)
  await useSettingsStore().load()
  await flushPromises()
  return w
}
const input = (w: Awaited<ReturnType<typeof mounted>>, id: string) =>
  w.find(`[id="setting-softphone.${id}"]`)
const lastPatch = () =>
  s.fake.fn('settings', 'update').mock.calls.at(-1)?.[0] as { softphone: Record<string, unknown> }

describe('the 软电话 settings: devices, self-test, progressive mode, a new PBX address', () => {
  it('shows the microphone, speaker, echo extension and countdown, and saves them', async () => {
    s.fake.answer('settings', 'update', { ...defaultSettings, softphone: on })
    const w = await mounted()
    for (const label of [
      '麦克风与扬声器',
      '麦克风',
      '扬声器',
      '回声测试分机',
      '自动拨号预览倒计时',
    ])
      expect(w.text(), label).toContain(label)
    expect(w.find('[data-test=settings-self-test]').text()).toBe('运行自检')
    await input(w, 'echoExtension').setValue('*43')
    await w.find('[data-test=softphone-settings]').trigger('submit')
    await flushPromises()
    expect(lastPatch().softphone).toMatchObject({
      echoExtension: '*43',
      microphoneId: '',
      speakerId: '',
      previewSeconds: 5,
    })
    // the address did not change: no reload offered
    expect(document.body.textContent).not.toContain('连接新的 PBX 地址')
    w.unmount()
  })

  it('a new PBX address offers the reload at once (the page CSP is fixed at load)', async () => {
    s.fake.answer('settings', 'update', {
      ...defaultSettings,
      softphone: { ...on, wsUrl: 'wss://new.example.com/ws' },
    })
    const w = await mounted()
    await input(w, 'wsUrl').setValue('wss://new.example.com/ws')
    await w.find('[data-test=softphone-settings]').trigger('submit')
    await flushPromises()
    expect(document.body.textContent).toContain('连接新的 PBX 地址')
    expect(document.body.textContent).toContain('草稿和未同步的记录都保存在本机')
    expect(w.find('[data-test=softphone-reload]').exists()).toBe(true)
    w.unmount()
  })
})
