import { describe, expect, it } from 'vitest'
import { defaultSoftphoneSettings } from '../../../shared/softphone-defaults'
import { AppError } from '../../../electron/core/app-error'
import { createDialGate } from '../../../electron/services/softphone/dial-gate'
import { decideDial } from '../../../electron/services/softphone/dial-rules'

/** A refused dial carries a stable code and the values of its text: the English UI words it. */

const sh = (day: string, hhmm: string) => new Date(`${day}T${hhmm}:00+08:00`)
const rules = {
  callingWindows: ['09:00-12:00', '14:00-20:00'],
  timeZone: 'Asia/Shanghai',
  maxAttemptsPerDay: 2,
}
const facts = {
  phone: '13800001111',
  now: sh('2026-03-02', '12:30'),
  rules,
  isDnc: false,
  attemptsInLastDay: 0,
  oldestAttemptAt: null,
}

function refusal(settings: typeof rules, at: Date): AppError {
  const gate = createDialGate({
    attempts: { add() {}, lastDay: () => ({ count: 0, oldest: null }) } as never,
    isDnc: () => false,
    settings: {
      get: () => ({ softphone: { ...defaultSoftphoneSettings, ...settings } }) as never,
      update: () => ({}) as never,
    },
    log: { info() {}, warn() {}, error() {}, debug() {} } as never,
    now: () => at,
  })
  try {
    gate.require('13800001111', 'uri')
  } catch (e) {
    if (e instanceof AppError) return e
    throw e
  }
  throw new Error('the dial was allowed')
}

describe('refused dials', () => {
  it('say when calling opens, as values beside the Chinese text', () => {
    expect(decideDial(facts)).toMatchObject({
      reason: 'hours',
      params: { windows: '09:00-12:00, 14:00-20:00', opens: expect.stringContaining('14:00') },
    })
    expect(decideDial({ ...facts, now: sh('2026-03-02', '10:00'), isDnc: true })).toMatchObject({
      reason: 'dnc',
      params: { phone: '138****1111' },
    })
    expect(
      decideDial({ ...facts, now: sh('2026-03-02', '10:00'), attemptsInLastDay: 2 }),
    ).toMatchObject({ reason: 'attempts', params: { count: 2, max: 2 } })
  })

  it('cross IPC as an AppError with the code and the values; no hours at all is its own code', () => {
    const hours = refusal(rules, sh('2026-03-02', '12:30')).toJSON()
    expect(hours).toMatchObject({
      kind: 'dial-refused',
      code: 'hours',
      params: { windows: expect.any(String) },
    })
    expect(
      refusal({ ...rules, callingWindows: [] }, sh('2026-03-02', '10:00')).toJSON(),
    ).toMatchObject({
      code: 'no-hours',
    })
  })
})
