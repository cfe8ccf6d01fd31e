import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startAppHarness, ok, type AppHarness } from '../support/app-harness'

/**
 * Rabbitpre allows one request a second per account. An agent who saves every few seconds moves
 * through numbers faster than that: only the number on screen is worth a place in the queue.
 */

let h: AppHarness

beforeEach(async () => {
  h = await startAppHarness()
  ok(await h.api.session.login({ userNum: '00006', password: '888', remember: false }))
})

afterEach(async () => {
  await h.close()
})

describe('the 360 panel’s Rabbitpre section', () => {
  it('a newer number’s lookup takes the place of one still waiting for the account’s turn', async () => {
    const people = [...h.sandbox.world.people.values()].filter((p) => p.rabbitpre)
    const [a, b, c] = people
    if (!a || !b || !c) throw new Error('seed lacks three people Rabbitpre knows')
    h.sandbox.servers.rabbitpre.clearRecords()
    // a goes out at once; b waits for the account's next second; c arrives before b's turn
    const first = h.api.customer.profileRabbitpre({ phone: a.phone })
    const second = h.api.customer.profileRabbitpre({ phone: b.phone })
    await new Promise((r) => setImmediate(r))
    const third = h.api.customer.profileRabbitpre({ phone: c.phone })

    const waited = ok(await second)
    expect(waited).toMatchObject({ found: false, note: '已换到下一个号码，未查询' })
    const onScreen = ok(await third)
    expect(onScreen.found).toBe(true)
    expect(onScreen.fields.find((f) => f.label === '昵称')?.value).toBe(c.rabbitpre?.wxNickname)
    await first
    // b never reached the server: one request a second is spent only on numbers on screen
    const asked = h.sandbox.servers.rabbitpre.getRecords().map((r) => JSON.stringify(r))
    expect(asked.some((r) => r.includes(b.phone))).toBe(false)
    expect(asked.some((r) => r.includes(c.phone))).toBe(true)
  })

  it('the same number asked twice is not cancelled by itself', async () => {
    const [a] = [...h.sandbox.world.people.values()].filter((p) => p.rabbitpre)
    if (!a) throw new Error('seed lacks a person Rabbitpre knows')
    const [x, y] = await Promise.all([
      h.api.customer.profileRabbitpre({ phone: a.phone }),
      h.api.customer.profileRabbitpre({ phone: a.phone }),
    ])
    expect(ok(x).found).toBe(true)
    expect(ok(y).found).toBe(true)
  })
})
