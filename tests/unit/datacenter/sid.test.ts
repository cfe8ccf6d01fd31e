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
  SID_LANE_SIZE,
  SID_LANES,
} from '../../../electron/core/datacenter/sid'

// 2026-11-22 10:30:45 in Beijing
const T = Date.parse('2026-11-22T02:30:45Z')
const fixed = (ms: number) => () => new Date(ms)
/** a "random" source that always starts the lane at `at` */
const startAt = (at: number) => () => at

function draw(gen: SequentialSidGenerator, n: number): string[] {
  return Array.from({ length: n }, () => gen.next())
}
const counterOf = (sid: string): number => Number(sid.slice(-5))
const secondOf = (sid: string): string => sid.slice(3, 15)

describe('SID format (§2.4)', () => {
  it('is appid + yyMMddHHmmss (Beijing time) + a 5-digit counter inside the installation lane', () => {
    const gen = new SequentialSidGenerator({
      appid: '301',
      lane: 7,
      now: fixed(T),
      random: startAt(0),
    })
    expect(draw(gen, 3)).toEqual([
      '30126112210304500700',
      '30126112210304500701',
      '30126112210304500702',
    ])
  })

  it('starts each second at a random point of the lane and wraps inside the lane', () => {
    let now = T
    const starts = [98, 5]
    const gen = new SequentialSidGenerator({
      appid: '301',
      lane: 999,
      now: () => new Date(now),
      random: (n) => (n === SID_LANE_SIZE ? starts.shift()! : 0),
    })
    const a = draw(gen, 3)
    now += 1000
    const b = gen.next()
    expect(a.map(counterOf)).toEqual([99_998, 99_999, 99_900])
    expect(secondOf(b)).toBe('261122103046')
    expect(counterOf(b)).toBe(99_905)
  })

  it('formats the time in a fixed UTC offset', () => {
    const sec = T / 1000
    expect(formatSidTime(sec)).toBe('261122103045')
    expect(formatSidTime(sec, 0)).toBe('261122023045')
    expect(formatSidTime(Date.parse('2026-12-31T16:00:00Z') / 1000)).toBe('270101000000')
  })

  it('never goes back in time when the wall clock does, and repeats nothing', () => {
    let now = T
    const gen = new SequentialSidGenerator({ appid: '301', now: () => new Date(now) })
    const a = draw(gen, 30)
    now -= 3_600_000
    const b = draw(gen, 300)
    expect(secondOf(b[0]!)).toBe(secondOf(a[0]!))
    expect(new Set([...a, ...b]).size).toBe(330)
    expect(b.every((s) => secondOf(s) >= secondOf(a[0]!))).toBe(true)
  })

  it('refuses a lane outside 0–999', () => {
    expect(() => new SequentialSidGenerator({ appid: '301', lane: SID_LANES })).toThrow(RangeError)
    expect(() => new SequentialSidGenerator({ appid: '301', lane: -1 })).toThrow(RangeError)
  })
})

describe('SID uniqueness', () => {
  it('a burst in one frozen second is distinct; the 101st SID moves to the next second', () => {
    const gen = new SequentialSidGenerator({ appid: '301', lane: 3, now: fixed(T) })
    const sids = draw(gen, 1000)
    expect(new Set(sids).size).toBe(1000)
    expect(new Set(sids.slice(0, 100).map(secondOf))).toEqual(new Set(['261122103045']))
    expect(secondOf(sids[100]!)).toBe('261122103046')
    expect(sids.every((s) => Math.floor(counterOf(s) / SID_LANE_SIZE) === 3)).toBe(true)
    expect(sids.filter((sid) => !/^301\d{17}$/.test(sid))).toEqual([])
  })

  it('across installations: 1000 desktops on their own lanes, all in the same frozen second, never collide', () => {
    const all = new Set<string>()
    for (let lane = 0; lane < SID_LANES; lane++) {
      const gen = new SequentialSidGenerator({ appid: '301', lane, now: fixed(T) })
      for (const sid of draw(gen, SID_LANE_SIZE)) all.add(sid)
    }
    // every counter of that second used once: the whole 5-digit space, no repeat
    expect(all.size).toBe(100_000)
  })

  it('across installations: clocks that disagree do not matter on different lanes', () => {
    const a = new SequentialSidGenerator({ appid: '301', lane: 1, now: fixed(T) })
    const b = new SequentialSidGenerator({ appid: '301', lane: 2, now: fixed(T - 7_000) })
    const sa = draw(a, 500)
    const sb = draw(b, 500)
    expect(new Set([...sa, ...sb]).size).toBe(1000)
  })

  it('two desktops that share a lane collide only where their runs overlap in one second', () => {
    // a starts at position 10, b at 13, in the same second: they meet on 413 and 414 only
    const a = new SequentialSidGenerator({
      appid: '301',
      lane: 4,
      now: fixed(T),
      random: startAt(10),
    })
    const b = new SequentialSidGenerator({
      appid: '301',
      lane: 4,
      now: fixed(T),
      random: startAt(13),
    })
    const fromA = draw(a, 5)
    const fromB = draw(b, 5)
    expect(fromA.filter((s) => fromB.includes(s)).map(counterOf)).toEqual([413, 414])
  })

  it('without an assigned lane, installations draw lanes at random (all 1000 reachable)', () => {
    const lanes = new Set<number>()
    for (let i = 0; i < 5000; i++) lanes.add(new SequentialSidGenerator({ appid: '301' }).lane)
    // 5000 draws from 1000 lanes leave about 7 unused; far more means the draw is not uniform
    expect(lanes.size).toBeGreaterThan(980)
    expect([...lanes].every((l) => l >= 0 && l < SID_LANES)).toBe(true)
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

  const run = (file: string, now: () => Date, opts: { lane?: number } = {}) =>
    new SequentialSidGenerator({ appid: '301', store: new FileSidStateStore(file), now, ...opts })

  it('no SID is reused after a restart in the same second, nor with the clock set back', () => {
    const file = path.join(dir, 'sid.json')
    const first = draw(run(file, fixed(T)), 250)
    // "crash": the run is dropped without any shutdown step
    const second = draw(run(file, fixed(T)), 250)
    const third = draw(run(file, fixed(T - 3_600_000)), 250)
    const all = [...first, ...second, ...third]
    expect(new Set(all).size).toBe(all.length)
    // each run starts after every second an earlier run used
    expect(secondOf(second[0]!) > secondOf(first.at(-1)!)).toBe(true)
    expect(secondOf(third[0]!) > secondOf(second.at(-1)!)).toBe(true)
  })

  it('keeps its lane across restarts; an assigned lane replaces the stored one', () => {
    const file = path.join(dir, 'sid.json')
    const a = run(file, fixed(T))
    a.next()
    const b = run(file, fixed(T))
    expect(b.lane).toBe(a.lane)
    const c = run(file, fixed(T), { lane: 17 })
    c.next()
    expect(run(file, fixed(T)).lane).toBe(17)
  })

  it('a lane written into the state file by the site (no second yet) is used', () => {
    const file = path.join(dir, 'sid.json')
    fs.writeFileSync(file, JSON.stringify({ lane: 250 }))
    const gen = run(file, fixed(T))
    expect(gen.lane).toBe(250)
    expect(Math.floor(counterOf(gen.next()) / SID_LANE_SIZE)).toBe(250)
  })

  it('a burst that runs the SID clock ahead is persisted, so a restart stays ahead of it', () => {
    const store = new MemorySidStateStore()
    const first = draw(new SequentialSidGenerator({ appid: '301', store, now: fixed(T) }), 1500)
    const second = draw(new SequentialSidGenerator({ appid: '301', store, now: fixed(T) }), 1500)
    expect(new Set([...first, ...second]).size).toBe(3000)
  })

  it('writes the store once per new second, before handing out that second', () => {
    const store = new MemorySidStateStore()
    const gen = new SequentialSidGenerator({ appid: '301', store, now: fixed(T) })
    const sids = draw(gen, 250)
    expect(store.saves).toBe(3)
    expect(formatSidTime(store.state!.second!)).toBe(secondOf(sids.at(-1)!))
    expect(store.state!.lane).toBe(gen.lane)
  })

  it('does not hand out a SID when the new second cannot be written', () => {
    const store = new MemorySidStateStore()
    const gen = new SequentialSidGenerator({ appid: '301', store, now: fixed(T) })
    draw(gen, SID_LANE_SIZE)
    vi.spyOn(store, 'save').mockImplementation(() => {
      throw new Error('disk full')
    })
    expect(() => gen.next()).toThrow('disk full')
  })

  it('the file store writes atomically and reads back what it wrote', () => {
    const file = path.join(dir, 'nested', 'sid.json')
    const store = new FileSidStateStore(file)
    expect(store.load()).toBeUndefined()
    store.save({ lane: 432, second: 1_800_000_000 })
    expect(store.load()).toEqual({ lane: 432, second: 1_800_000_000 })
    expect(fs.readdirSync(path.dirname(file))).toEqual(['sid.json'])
  })

  it('an old state file (counter, no lane) keeps its second; a lane is drawn and saved', () => {
    const file = path.join(dir, 'sid.json')
    const saved = T / 1000 + 60
    fs.writeFileSync(file, JSON.stringify({ counter: 4321, second: saved }))
    const gen = run(file, fixed(T))
    expect(secondOf(gen.next())).toBe(formatSidTime(saved + 1))
    expect(new FileSidStateStore(file).load()).toEqual({ lane: gen.lane, second: saved + 1 })
  })

  it('a corrupt file counts as no state and the generator still starts after the current second', () => {
    const file = path.join(dir, 'sid.json')
    fs.writeFileSync(file, '{"lane": "oops"')
    const store = new FileSidStateStore(file)
    expect(store.load()).toBeUndefined()
    const gen = new SequentialSidGenerator({
      appid: '301',
      store,
      now: fixed(T),
      lane: 0,
      random: startAt(0),
    })
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

describe('moving off a lane after a collision', () => {
  it('a drawn lane moves to another one and is saved with the next SID; an assigned lane stays', () => {
    const store = new MemorySidStateStore()
    const gen = new SequentialSidGenerator({ appid: '301', store, now: fixed(T) })
    const before = gen.lane
    gen.next()
    gen.moveLane()
    expect(gen.lane).not.toBe(before)
    const sid = gen.next()
    expect(Math.floor(counterOf(sid) / SID_LANE_SIZE)).toBe(gen.lane)
    expect(store.state?.lane).toBe(gen.lane)
    const fixedLane = new SequentialSidGenerator({ appid: '301', lane: 9, now: fixed(T) })
    fixedLane.moveLane()
    expect(fixedLane.lane).toBe(9)
  })

  it('two desktops drawn onto one lane stop colliding once one of them moves', () => {
    const same = () => 0
    const a = new SequentialSidGenerator({ appid: '301', now: fixed(T), random: same })
    const b = new SequentialSidGenerator({ appid: '301', now: fixed(T), random: same })
    expect(a.next()).toBe(b.next())
    b.moveLane()
    expect(new Set([...draw(a, 50), ...draw(b, 50)]).size).toBe(100)
  })
})
