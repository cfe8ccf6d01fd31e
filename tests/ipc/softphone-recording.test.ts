import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { defaultSoftphoneSettings } from '../../shared/softphone-defaults'
import { err, ok, startAppHarness, type AppHarness } from '../support/app-harness'

/** A call's recording, linked from its call-log row and played only in supervisor mode. */

let h: AppHarness
beforeEach(async () => {
  h = await startAppHarness()
  ok(await h.api.session.login({ userNum: '00006', password: '888', remember: false }))
  ok(await h.api.settings.update({ softphone: { ...defaultSoftphoneSettings, enabled: true } }))
})
afterEach(async () => {
  await h.close()
})

describe('recordings over IPC', () => {
  it('finds the recording of a call by the row’s number and times; plays it for a supervisor only', async () => {
    const phone = '13800001111'
    const dialledAt = new Date(Date.now() - 1000).toISOString()
    const { id, file } = ok(await h.api.softphone.recordingStart({ phone }))
    const bytes = Buffer.from('webm-opus-bytes')
    ok(await h.api.softphone.recordingChunk({ id, data: bytes.toString('base64') }))
    ok(await h.api.softphone.recordingStop({ id }))
    const endedAt = new Date().toISOString()

    const found = ok(await h.api.softphone.recordingOf({ phone, dialledAt, endedAt }))
    expect(found).toEqual({ id, file, bytes: bytes.length })
    expect(file).toMatch(/13800001111.*\.webm$/)
    expect(
      ok(await h.api.softphone.recordingOf({ phone: '13800002222', dialledAt, endedAt })),
    ).toBeNull()

    // an agent cannot play it
    expect(err(await h.api.softphone.recordingAudio({ id }))).toMatchObject({
      kind: 'forbidden',
      message: expect.stringContaining('主管模式'),
    })
    // the supervisor can
    ok(await h.api.calllog.setSupervisorPassword({ next: 'Zg-主管-7731' }))
    const audio = ok(await h.api.softphone.recordingAudio({ id }))
    expect(audio.mimeType).toBe('audio/webm')
    expect(Buffer.from(audio.data, 'base64')).toEqual(bytes)
  })
})
