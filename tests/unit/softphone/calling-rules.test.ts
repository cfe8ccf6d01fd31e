import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { defaultSoftphoneSettings } from '../../../shared/softphone-defaults'
import type { SoftphoneSettings } from '../../../shared/softphone-settings'
import { openDatabase, type AppDatabase } from '../../../electron/services/db/database'
import { AttemptStore } from '../../../electron/services/softphone/attempt-store'
import { nextOpening, withinCallingHours } from '../../../electron/services/softphone/calling-hours'
import { createDialGate } from '../../../electron/services/softphone/dial-gate'
import { decideDial } from '../../../electron/services/softphone/dial-rules'

const SH = 'Asia/Shanghai'
/** a wall-clock time in Shanghai (UTC+8, no daylight saving) as a Date */
const sh = (day: string, hhmm: string) => new Date(`${day}T${hhmm}:00+08:00`)
const DEFAULT = ['09:00-12:00', '14:00-20:00']

describe('calling hours', () => {
  it('default windows: inside, at the edges and in the lunch gap', () => {
    expect(withinCallingHours(sh('2026-03-02', '08:59'), DEFAULT, SH)).toBe(false)
    expect(withinCallingHours(sh('2026-03-02', '09:00'), DEFAULT, SH)).toBe(true)
    expect(withinCallingHours(sh('2026-03-02', '11:59'), DEFAULT, SH)).toBe(true)
    expect(withinCallingHours(sh('2026-03-02', '12:00'), DEFAULT, SH)).toBe(false)
    expect(withinCallingHours(sh('2026-03-02', '14:00'), DEFAULT, SH)).toBe(true)
    expect(withinCallingHours(sh('2026-03-02', '20:00'), DEFAULT, SH)).toBe(false)
  })

  it('a window across midnight', () => {
    const night = ['22:00-02:00']
    expect(withinCallingHours(sh('2026-03-02', '23:30'), night, SH)).toBe(true)
    expect(withinCallingHours(sh('2026-03-03', '01:59'), night, SH)).toBe(true)
    expect(withinCallingHours(sh('2026-03-03', '02:00'), night, SH)).toBe(false)
    expect(withinCallingHours(sh('2026-03-02', '21:59'), night, SH)).toBe(false)
    expect(nextOpening(sh('2026-03-03', '02:00'), night, SH)?.toISOString()).toBe(
      sh('2026-03-03', '22:00').toISOString(),
    )
  })

  it('the same instant is judged on the configured zone’s wall clock', () => {
    // 03:00 UTC is 11:00 in Shanghai (open) and 22:00 the evening before in New York (closed)
    const at = new Date('2026-03-02T03:00:00Z')
    expect(withinCallingHours(at, DEFAULT, SH)).toBe(true)
    expect(withinCallingHours(at, DEFAULT, 'America/New_York')).toBe(false)
    expect(nextOpening(at, DEFAULT, 'America/New_York')?.toISOString()).toBe(
      '2026-03-02T14:00:00.000Z',
    )
  })

  it('when calling opens next: after lunch, next morning, none without windows', () => {
    expect(nextOpening(sh('2026-03-02', '12:10'), DEFAULT, SH)?.toISOString()).toBe(
      sh('2026-03-02', '14:00').toISOString(),
    )
    expect(nextOpening(sh('2026-03-02', '20:30'), DEFAULT, SH)?.toISOString()).toBe(
      sh('2026-03-03', '09:00').toISOString(),
    )
    expect(nextOpening(sh('2026-03-02', '20:30'), [], SH)).toBeNull()
  })

  it('across a daylight-saving jump the opening is the wall-clock 09:00', () => {
    // Europe/Berlin moves from UTC+1 to UTC+2 on 2026-03-29 at 02:00
    const before = new Date('2026-03-28T20:00:00Z')
    expect(nextOpening(before, DEFAULT, 'Europe/Berlin')?.toISOString()).toBe(
      '2026-03-29T07:00:00.000Z',
    )
  })
})

const rules: SoftphoneSettings = { ...defaultSoftphoneSettings, timeZone: SH }
const facts = {
  phone: '13800001111',
  now: sh('2026-03-02', '10:00'),
  rules,
  isDnc: false,
  attemptsInLastDay: 0,
  oldestAttemptAt: null,
}

describe('dial rules', () => {
  it('allows a fresh number inside the hours', () => {
    expect(decideDial(facts)).toEqual({ allowed: true })
  })

  it('never dials a 勿扰 number, even inside the hours with no attempts', () => {
    const d = decideDial({ ...facts, isDnc: true })
    expect(d).toMatchObject({ allowed: false, reason: 'dnc' })
    expect(d.allowed || d.message).toContain('勿扰')
  })

  it('outside the hours: refused with the reason and when calling opens again', () => {
    const d = decideDial({ ...facts, now: sh('2026-03-02', '12:30') })
    expect(d).toMatchObject({
      allowed: false,
      reason: 'hours',
      opensAt: sh('2026-03-02', '14:00').toISOString(),
    })
    expect(d.allowed || d.message).toContain('14:00')
  })

  it('the attempt cap: the Nth+1 dial in 24 h is refused, with when it may be dialed again', () => {
    const oldest = sh('2026-03-02', '09:05')
    expect(decideDial({ ...facts, attemptsInLastDay: 1, oldestAttemptAt: oldest }).allowed).toBe(
      true,
    )
    const d = decideDial({ ...facts, attemptsInLastDay: 2, oldestAttemptAt: oldest })
    expect(d).toMatchObject({
      allowed: false,
      reason: 'attempts',
      opensAt: sh('2026-03-03', '09:05').toISOString(),
    })
    expect(d.allowed || d.message).toContain('2 次')
  })
})

describe('dial gate over the database', () => {
  let db: AppDatabase | undefined
  let dir = ''
  afterEach(() => {
    db?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('counts every allowed dial of a number across packages and refuses the third in 24 h', () => {
    dir = mkdtempSync(join(tmpdir(), 'attempts-'))
    db = openDatabase(join(dir, 'callcenter.db'))
    const attempts = new AttemptStore(db)
    let now = sh('2026-03-02', '09:30')
    const gate = createDialGate({
      attempts,
      isDnc: (p) => p === '13900000000',
      settings: { get: () => ({ softphone: rules }) as never, update: () => ({}) as never },
      log: { info() {}, warn() {}, error() {}, debug() {} } as never,
      now: () => now,
    })
    expect(gate.authorize('13800001111', 'softphone').allowed).toBe(true)
    now = sh('2026-03-02', '15:00')
    expect(gate.authorize('13800001111', 'uri').allowed).toBe(true)
    expect(gate.authorize('13800001111', 'softphone')).toMatchObject({ reason: 'attempts' })
    expect(() => gate.require('13800001111', 'uri')).toThrow(/24 小时内已拨打 2 次/)
    // a refused dial is not an attempt; a day after the first one, one slot is free again
    now = sh('2026-03-03', '09:31')
    expect(gate.authorize('13800001111', 'softphone').allowed).toBe(true)
    expect(gate.authorize('13800001111', 'softphone').allowed).toBe(false)
    expect(gate.authorize('13900000000', 'uri')).toMatchObject({ reason: 'dnc' })
    expect(attempts.lastDay('13900000000', now).count).toBe(0)
    // progressive mode's preview asks the same rules without spending a dial
    expect(gate.check('13800002222').allowed).toBe(true)
    expect(gate.check('13800002222').allowed).toBe(true)
    expect(attempts.lastDay('13800002222', now).count).toBe(0)
    expect(gate.check('13800001111')).toMatchObject({ reason: 'attempts' })
    expect(gate.check('13900000000')).toMatchObject({ reason: 'dnc' })
  })
})
