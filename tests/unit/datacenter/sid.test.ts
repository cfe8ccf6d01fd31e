import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  FileSidStateStore,
  formatSidTime,
  isValidSid,
  MemorySidStateStore,
  parseSid,
  SequentialSidGenerator,
} from '../../../electron/core/datacenter/sid'

// 2026-11-22 10:30:45 in Beijing
const T = Date.parse('2026-11-22T02:30:45Z')
const fixed = (ms: number) => () => new Date(ms)

function draw(gen: SequentialSidGenerator, n: number): string[] {
  return Array.from({ length: n }, () => gen.next())
}

describe('SID format (§2.4)', () => {
  it('is appid + yyMMddHHmmss (Beijing time) + a 5-digit counter from 00000', () => {
    const gen = new SequentialSidGenerator({ appid: '301', now: fixed(T) })
    expect(draw(gen, 3)).toEqual([
      '30126112210304500000',
      '30126112210304500001',
      '30126112210304500002',
    ])
  })

  it('follows the clock and keeps counting across seconds (the counter does not reset)', () => {
    let now = T
    const gen = new SequentialSidGenerator({ appid: '301', now: () => new Date(now) })
    const a = gen.next()
    now += 1000
    const b = gen.next()
    now += 61_000
    const c = gen.next()
    expect([a, b, c]).toEqual([
      '30126112210304500000',
      '30126112210304600001',
      '30126112210314700002',
    ])
  })

  it('formats the time in a fixed UTC offset', () => {
    const sec = T / 1000
    expect(formatSidTime(sec)).toBe('261122103045')
    expect(formatSidTime(sec, 0)).toBe('261122023045')
    expect(formatSidTime(Date.parse('2026-12-31T16:00:00Z') / 1000)).toBe('270101000000')
  })

  it('never goes back in time when the wall clock does', () => {
    let now = T
    const gen = new SequentialSidGenerator({ appid: '301', now: () => new Date(now) })
    const a = gen.next()
    now -= 3_600_000
    const b = gen.next()
    expect(b.slice(3, 15)).toBe(a.slice(3, 15))
    expect(b).not.toBe(a)
  })
})

describe('SID uniqueness', () => {
  it('200 000 draws in one frozen second are all distinct; the 100 001st moves to the next second', () => {
    const gen = new SequentialSidGenerator({ appid: '301', now: fixed(T) })
    const sids = draw(gen, 200_000)
    expect(new Set(sids).size).toBe(200_000)
    expect(sids[99_999]).toBe('30126112210304599999')
    expect(sids[100_000]).toBe('30126112210304600000')
    expect(sids[199_999]).toBe('30126112210304699999')
    expect(sids.filter((sid) => !/^301\d{17}$/.test(sid))).toEqual([])
  })

  it('wraps the counter from 99999 to 00000', () => {
    let now = T
    const store = new MemorySidStateStore({ counter: 99_998, second: 0 })
    const gen = new SequentialSidGenerator({
      appid: '301',
      store,
      now: () => new Date(now),
    })
    now += 5000
    const sids = draw(gen, 3)
    expect(sids.map((s) => s.slice(-5))).toEqual(['99998', '99999', '00000'])
    expect(new Set(sids).size).toBe(3)
  })

  it('with a clock moving 1 s per 50 000 draws, 200 000 draws are distinct', () => {
    let n = 0
    const gen = new SequentialSidGenerator({
      appid: '301',
      now: () => new Date(T + Math.floor(n++ / 50_000) * 1000),
    })
    expect(new Set(draw(gen, 200_000)).size).toBe(200_000)
  })
})

describe('SID persistence across restarts', () => {
  let dir: string
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sid-test-'))
  })
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true })
    vi.restoreAllMocks()
  })

  it('no SID is reused after a restart in the same second, nor with the clock set back', () => {
    const file = path.join(dir, 'sid.json')
    const run1 = new SequentialSidGenerator({
      appid: '301',
      store: new FileSidStateStore(file),
      now: fixed(T),
    })
    const first = draw(run1, 2500)
    // "crash": run1 is dropped without any shutdown step
    const run2 = new SequentialSidGenerator({
      appid: '301',
      store: new FileSidStateStore(file),
      now: fixed(T),
    })
    const second = draw(run2, 2500)
    const run3 = new SequentialSidGenerator({
      appid: '301',
      store: new FileSidStateStore(file),
      now: fixed(T - 3_600_000),
    })
    const third = draw(run3, 2500)
    const all = [...first, ...second, ...third]
    expect(new Set(all).size).toBe(all.length)
    // the second run skips the block the first one reserved
    expect(Number(second[0]!.slice(-5))).toBeGreaterThanOrEqual(2500)
  })

  it('a restarted run that starts in a later second restarts nothing from the old block', () => {
    const file = path.join(dir, 'sid.json')
    let now = T
    const run1 = new SequentialSidGenerator({
      appid: '301',
      store: new FileSidStateStore(file),
      now: () => new Date(now),
      blockSize: 10,
    })
    const first = draw(run1, 25)
    now += 2000
    const run2 = new SequentialSidGenerator({
      appid: '301',
      store: new FileSidStateStore(file),
      now: () => new Date(now),
      blockSize: 10,
    })
    const second = draw(run2, 25)
    expect(new Set([...first, ...second]).size).toBe(50)
    expect(second[0]!.slice(-5)).toBe('00030')
  })

  it('a burst that runs the SID clock ahead is persisted, so a restart stays ahead of it', () => {
    const store = new MemorySidStateStore()
    const run1 = new SequentialSidGenerator({ appid: '301', store, now: fixed(T) })
    const first = draw(run1, 150_000)
    const run2 = new SequentialSidGenerator({ appid: '301', store, now: fixed(T) })
    const second = draw(run2, 150_000)
    expect(new Set([...first, ...second]).size).toBe(300_000)
  })

  it('writes the store once per block, not once per SID, and before handing out the block', () => {
    const store = new MemorySidStateStore()
    const gen = new SequentialSidGenerator({ appid: '301', store, now: fixed(T), blockSize: 1000 })
    const sids = draw(gen, 2500)
    expect(store.saves).toBe(3)
    expect(store.state?.counter).toBe(3000)
    // the saved second covers every SID handed out so far
    const lastSecond = sids.at(-1)!.slice(3, 15)
    expect(formatSidTime(store.state!.second)).toBe(lastSecond)
  })

  it('does not hand out a SID when the reservation cannot be written', () => {
    const store = new MemorySidStateStore()
    const gen = new SequentialSidGenerator({ appid: '301', store, now: fixed(T), blockSize: 2 })
    draw(gen, 2)
    vi.spyOn(store, 'save').mockImplementation(() => {
      throw new Error('disk full')
    })
    expect(() => gen.next()).toThrow('disk full')
  })

  it('the file store writes atomically and reads back what it wrote', () => {
    const file = path.join(dir, 'nested', 'sid.json')
    const store = new FileSidStateStore(file)
    expect(store.load()).toBeUndefined()
    store.save({ counter: 4321, second: 1_800_000_000 })
    expect(store.load()).toEqual({ counter: 4321, second: 1_800_000_000 })
    expect(fs.readdirSync(path.dirname(file))).toEqual(['sid.json'])
  })

  it('a corrupt file counts as no state and the generator still starts after the current second', () => {
    const file = path.join(dir, 'sid.json')
    fs.writeFileSync(file, '{"counter": "oops"')
    const store = new FileSidStateStore(file)
    expect(store.load()).toBeUndefined()
    const gen = new SequentialSidGenerator({ appid: '301', store, now: fixed(T) })
    expect(gen.next()).toBe('30126112210304600000')
  })
})

describe('parseSid / isValidSid', () => {
  it('parses a well-formed SID', () => {
    expect(parseSid('30126112210304512345', '301')).toEqual({
      appid: '301',
      time: '261122103045',
      counter: 12345,
    })
    expect(parseSid('30126112210304512345')).toMatchObject({ appid: '301' })
    expect(isValidSid('10024022923595999999', '100')).toBe(true) // 2024-02-29 exists
  })

  const bad: [string, string, string | undefined][] = [
    ['another appid', '30226112210304500000', '301'],
    ['too short', '3012611221030450000', '301'],
    ['too long', '301261122103045000001', '301'],
    ['non-digits', '30126112210304500a00', '301'],
    ['month 13', '30126132210304500000', '301'],
    ['30 Feb', '30126023010304500000', '301'],
    ['29 Feb 2026', '30126022910304500000', '301'],
    ['31 Nov', '30126113110304500000', '301'],
    ['hour 24', '30126112224304500000', '301'],
    ['minute 60', '30126112210604500000', '301'],
    ['second 60', '30126112210306000000', '301'],
    ['day 00', '30126110010304500000', '301'],
    ['the §3.1 example (16 digits)', '2014123123123123', undefined],
    ['no appid part', '26112210304500000', undefined],
    ['empty', '', undefined],
  ]
  for (const [what, sid, appid] of bad) {
    it(`rejects ${what}`, () => {
      expect(parseSid(sid, appid)).toBeUndefined()
      expect(isValidSid(sid, appid)).toBe(false)
    })
  }
})
