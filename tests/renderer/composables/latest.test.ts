import { describe, expect, it } from 'vitest'
import { CallcenterError } from '../../../renderer/src/api'
import { useLatest } from '../../../renderer/src/composables/async/useLatest'
import { attempt, noticeOf } from '../../../renderer/src/stores/notice'

describe('useLatest', () => {
  it('keeps only the newest request current', () => {
    const latest = useLatest()
    const first = latest.next()
    expect(first()).toBe(true)
    const second = latest.next()
    expect(first()).toBe(false)
    expect(second()).toBe(true)
    // a retry within the request in force stays current with it
    const retry = latest.current()
    expect(retry()).toBe(true)
    latest.drop()
    expect(second()).toBe(false)
    expect(retry()).toBe(false)
  })
})

describe('the notice of a failure', () => {
  it('keeps main’s text, kind, code and field', () => {
    const e = new CallcenterError({ kind: 'invalid-args', message: '备注过长', field: 'notes' })
    expect(noticeOf(e)).toEqual({ text: '备注过长', kind: 'invalid-args', field: 'notes' })
  })

  it('uses our own words for anything else', async () => {
    expect(noticeOf(new TypeError('x is undefined'))).toEqual({ key: 'errors.generic' })
    expect(await attempt(async () => 1)).toBeNull()
    expect(await attempt(() => Promise.reject(new Error('boom')))).toEqual({
      key: 'errors.generic',
    })
  })
})
