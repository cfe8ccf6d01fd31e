import { beforeEach, describe, expect, it, vi } from 'vitest'
import RecordingPlayer from '../../../renderer/src/softphone/RecordingPlayer.vue'
import { flushPromises, mountWith, setup, type Setup } from '../support/mount'

let s: Setup
beforeEach(async () => {
  s = setup()
  await s.router.push('/history')
  // jsdom has no object URLs
  URL.createObjectURL = vi.fn(() => 'blob:recording')
  URL.revokeObjectURL = vi.fn()
})

const call = {
  phone: '13999384896',
  dialledAt: '2026-12-02T00:45:00.000Z',
  endedAt: '2026-12-02T00:45:08.000Z',
}

describe('a call-log row’s recording', () => {
  it('offers nothing for a row without one', async () => {
    const w = await mountWith(RecordingPlayer, s, {
      props: { row: { ...call, recordingFile: null } },
    })
    expect(w.find('[data-test=recording-play]').exists()).toBe(false)
    w.unmount()
  })

  it('plays the bytes main hands over, in an <audio>', async () => {
    s.fake.answer('softphone', 'recordingOf', { id: 'r1', file: '2026-12-02/a.webm', bytes: 3 })
    s.fake.answer('softphone', 'recordingAudio', { mimeType: 'audio/webm', data: 'AQID' })
    const row = { ...call, recordingFile: '2026-12-02/a.webm' }
    const w = await mountWith(RecordingPlayer, s, { props: { row } })
    await w.find('[data-test=recording-play]').trigger('click')
    await flushPromises()
    expect(s.fake.fn('softphone', 'recordingOf')).toHaveBeenCalledWith({
      phone: call.phone,
      dialledAt: call.dialledAt,
      endedAt: call.endedAt,
    })
    expect(s.fake.fn('softphone', 'recordingAudio')).toHaveBeenCalledWith({ id: 'r1' })
    const audio = w.find('[data-test=recording-audio]')
    expect(audio.attributes('src')).toBe('blob:recording')
    expect(audio.attributes('title')).toBe('2026-12-02/a.webm')
    w.unmount()
    expect(URL.revokeObjectURL).toHaveBeenCalledWith('blob:recording')
  })

  it('says why when main refuses (no supervisor mode)', async () => {
    s.fake.answer('softphone', 'recordingOf', { id: 'r1', file: 'a.webm', bytes: 3 })
    s.fake.fail('softphone', 'recordingAudio', {
      kind: 'forbidden',
      message: '播放录音需要主管模式，请先输入主管密码',
    })
    const w = await mountWith(RecordingPlayer, s, {
      props: { row: { ...call, recordingFile: 'a.webm' } },
    })
    await w.find('[data-test=recording-play]').trigger('click')
    await flushPromises()
    expect(w.text()).toContain('主管模式')
    w.unmount()
  })
})
