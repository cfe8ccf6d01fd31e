import { describe, expect, it } from 'vitest'
import {
  RABBITPRE_RATE_LIMIT_TEXT,
  RabbitpreClient,
  type Timer,
} from '../../../electron/core/enrichment/rabbitpre'
import { RemoteError } from '../../../electron/core/errors'
import type { HttpTransport } from '../../../electron/core/http/transport'

/**
 * Rabbitpre's 1 request/second is per account, and every desktop of the call center shares the
 * account: a colleague's lookups must never put 操作频繁 in front of an agent.
 */

function fakeTimer(start = 5_000_000): Timer & { t: number; sleeps: number[] } {
  const timer = {
    t: start,
    sleeps: [] as number[],
    now: () => timer.t,
    sleep: async (ms: number) => {
      timer.sleeps.push(ms)
      await Promise.resolve()
      timer.t += ms
    },
  }
  return timer
}

const okBody = (phone: string): string =>
  JSON.stringify({
    code: '200',
    errorCode: 'SUCCESS',
    msg: 'ok',
    data: [{ audienceUserId: 1, phone, sex: 1 }],
  })
const limited = JSON.stringify({ code: '429', msg: RABBITPRE_RATE_LIMIT_TEXT, data: null })

describe('a shared Rabbitpre account', () => {
  it('backs off with jitter: desktops refused together do not come back together', async () => {
    const sleepsWith = async (r: number, account: string): Promise<number[]> => {
      const timer = fakeTimer()
      const answers = [limited, limited, okBody('13800000001')]
      const c = new RabbitpreClient({
        baseUrl: 'http://127.0.0.1:1',
        companyId: account,
        timer,
        random: () => r,
        transport: async () => ({ status: 200, headers: {}, text: answers.shift()! }),
      })
      await c.getAudienceByPhones(['13800000001'])
      return timer.sleeps.filter((ms) => ms >= 1000)
    }
    expect(await sleepsWith(0, 'j1')).toEqual([1000, 2000])
    expect(await sleepsWith(0.5, 'j2')).toEqual([1500, 3000])
    // never sooner than the server's window, at most twice the step
    expect(await sleepsWith(0.999, 'j3')).toEqual([1999, 3998])
  })

  it('shows the last good answer for the number, with its time, while the account stays busy', async () => {
    const timer = fakeTimer()
    let busy = false
    const transport: HttpTransport = async () => ({
      status: 200,
      headers: {},
      text: busy ? limited : okBody('13800000002'),
    })
    const c = new RabbitpreClient({
      baseUrl: 'http://127.0.0.1:2',
      companyId: 'shared',
      timer,
      transport,
      random: () => 0,
    })
    const fresh = await c.getAudienceOrLast(['13800000002'])
    expect(fresh.asOf).toBeNull()
    const at = timer.now()
    busy = true
    const last = await c.getAudienceOrLast(['13800000002'])
    expect(last.asOf).toBe(at)
    expect(last.profiles).toEqual(fresh.profiles)
    // another desktop's client of the same account has it too (one app, many panels)
    const other = new RabbitpreClient({
      baseUrl: 'http://127.0.0.1:2',
      companyId: 'shared',
      timer,
      transport,
      random: () => 0,
    })
    expect((await other.getAudienceOrLast(['13800000002'])).asOf).toBe(at)
  })

  it('without an earlier answer: a busy account in plain words, never 操作频繁', async () => {
    const c = new RabbitpreClient({
      baseUrl: 'http://127.0.0.1:3',
      companyId: 'busy',
      timer: fakeTimer(),
      random: () => 0,
      transport: async () => ({ status: 200, headers: {}, text: limited }),
    })
    const e = await c.getAudienceOrLast(['13800000003']).then(
      () => null,
      (err: unknown) => err,
    )
    expect(e).toBeInstanceOf(RemoteError)
    expect((e as RemoteError).kind).toBe('rate-limited')
    expect((e as RemoteError).message).not.toContain('操作频繁')
  })
})
