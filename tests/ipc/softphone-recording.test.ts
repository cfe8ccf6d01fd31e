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
  it('says whether calling is open now, and when it opens again', async () => {
    const pad = (n: number) => String(n % 24).padStart(2, '0')
    const hour = new Date().getUTCHours()
    const later = `${pad(hour + 2)}:00-${pad(hour + 3)}:00`
    const set = (callingWindows: string[]) =>
      h.api.settings.update({
        softphone: { ...defaultSoftphoneSettings, enabled: true, timeZone: 'UTC', callingWindows },
      })
    ok(await set([later]))
    const closed = ok(await h.api.softphone.callingHours())
    expect(closed.open).toBe(false)
    expect(closed.message).toContain(`现在不在允许的外呼时段（${later}）`)
    const opens = Date.parse(closed.opensAt!)
    expect(opens - Date.now()).toBeGreaterThan(60 * 60_000)
    expect(opens - Date.now()).toBeLessThanOrEqual(2 * 60 * 60_000)
    expect(new Date(opens).getUTCMinutes()).toBe(0)
    ok(await set(['00:00-24:00']))
    expect(ok(await h.api.softphone.callingHours())).toEqual({
      open: true,
      message: null,
      opensAt: null,
    })
  })
})
