import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { contractMethods } from '../../shared/ipc/channels'
import { ipcContract } from '../../shared/ipc/contract'
import type { IpcResult } from '../../shared/ipc/errors'
import { createRng, type Rng } from '../../electron/sandbox/seed'
import { startAppHarness, type AppHarness } from '../support/app-harness'

const PER_CHANNEL = 1_000

let h: AppHarness

beforeAll(async () => {
  h = await startAppHarness()
  // logged in, so that a payload that slipped through would reach real work
  const r = await h.api.session.login({ userNum: '00006', password: '888', remember: false })
  expect(r.ok).toBe(true)
})

afterAll(async () => {
  await h.close()
})

const WEIRD_STRINGS = [
  '',
  ' ',
  '\u0000',
  '💥'.repeat(40),
  'x'.repeat(70_000),
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '__proto__',
  'constructor',
  '15920447900',
  '2026-13-45',
  'NaN',
  '-1',
  '1e309',
]

function randomValue(rng: Rng, depth = 0): unknown {
  const pick = rng.int(0, depth > 2 ? 6 : 9)
  switch (pick) {
    case 0:
      return null
    case 1:
      return rng.chance(0.5)
    case 2:
      return rng.pick([0, -1, 1.5, 2 ** 31, -(2 ** 53), Number.MAX_VALUE, 467, 141, 29])
    case 3:
      return rng.pick(WEIRD_STRINGS)
    case 4:
      return Array.from({ length: rng.int(0, 6) }, () => rng.pick('ab字1-_ '.split(''))).join('')
    case 5:
      return undefined
    case 6:
      return rng.int(-1000, 1000)
    case 7:
      return Array.from({ length: rng.int(0, 4) }, () => randomValue(rng, depth + 1))
    default: {
      const obj: Record<string, unknown> = {}
      const keys = [
        'userNum',
        'password',
        'remember',
        'projectId',
        'packageId',
        'phone',
        'phoneId',
        'ownerName',
        'callbackItem',
        'text',
        'customerId',
        '__proto__',
        'constructor',
        'servers',
        'dialTemplate',
        'idleLockMinutes',
        'x',
      ]
      for (let i = rng.int(0, 6); i > 0; i--) obj[rng.pick(keys)] = randomValue(rng, depth + 1)
      return obj
    }
  }
}

/** a valid-looking payload with one part broken: reaches deeper into the schemas */
function mutate(rng: Rng, base: unknown[]): unknown[] {
  const copy = structuredClone(base) as unknown[]
  const arg = copy[0]
  if (arg && typeof arg === 'object' && !Array.isArray(arg) && rng.chance(0.8)) {
    const keys = Object.keys(arg)
    const key = keys.length > 0 && rng.chance(0.8) ? rng.pick(keys) : 'unexpected'
    ;(arg as Record<string, unknown>)[key] = randomValue(rng)
    return copy
  }
  if (rng.chance(0.5)) copy.push(randomValue(rng))
  else copy[0] = randomValue(rng)
  return copy
}

const validSamples: Record<string, unknown[]> = {
  'cc:session:login': [{ userNum: '00006', password: '888', remember: false }],
  'cc:session:unlock': [{ password: '888' }],
  'cc:catalog:packages': [{ projectId: 141 }],
  'cc:calling:currentPhone': [{ projectId: 141, packageId: 467 }],
  'cc:calling:nextPhone': [{ projectId: 141, packageId: 467 }],
  'cc:calling:saveCallback': [
    {
      projectId: 141,
      packageId: 467,
      phoneId: 1,
      phone: '15920447900',
      ownerName: '李先生',
      callbackItem: '继续跟进',
    },
  ],
  'cc:calling:dial': [{ phone: '15920447900' }],
  'cc:customer:saveToCustomer': [
    {
      projectId: 141,
      customerName: '李',
      phone: '15920447900',
      gender: 'M',
      customerType: '01',
      recommend: '星汇云锦',
      followContent: '跟进',
    },
  ],
  'cc:customer:profileDatacenter': [{ phone: '15920447900', projectId: 141 }],
  'cc:customer:profileCdp': [{ phone: '15920447900', projectId: 141 }],
  'cc:customer:profileRabbitpre': [{ phone: '15920447900' }],
  'cc:customer:profileMiaosuan': [{ phone: '15920447900' }],
  'cc:customer:linkMiaosuan': [{ phone: '15920447900', customerId: 1 }],
  'cc:settings:update': [{ language: 'zh-CN' }],
  'cc:settings:importProfile': [{ text: '{}' }],
}

describe('IPC fuzz: hostile payloads never reach a service and never crash main', () => {
  const methods = contractMethods()

  it.each(methods.map((m) => [m.channel, m] as const))('%s', async (channel, m) => {
    const schema = (
      ipcContract[m.service] as Record<
        string,
        { args: { safeParse(v: unknown): { success: boolean } } }
      >
    )[m.method]!.args
    const rng = createRng(channel.length * 7919 + channel.charCodeAt(3))
    let sent = 0
    let attempts = 0
    while (sent < PER_CHANNEL && attempts < PER_CHANNEL * 20) {
      attempts++
      const sample = validSamples[channel] ?? []
      const payload: unknown[] = rng.chance(0.5)
        ? mutate(rng, sample)
        : [randomValue(rng), ...(rng.chance(0.3) ? [randomValue(rng)] : [])]
      // a payload that happens to be valid is not hostile: draw another
      if (schema.safeParse(payload).success) continue
      const result = (await h.pair.invokeRaw(channel, payload)) as IpcResult<unknown>
      expect(result.ok, `${channel} accepted ${JSON.stringify(payload).slice(0, 200)}`).toBe(false)
      if (!result.ok) {
        expect(result.error.kind).toBe('invalid-args')
        expect(typeof result.error.message).toBe('string')
        expect(result.error.message.length).toBeGreaterThan(0)
      }
      sent++
    }
    expect(sent).toBe(PER_CHANNEL)
  })

  it('unknown channels and foreign senders get typed errors too', async () => {
    const rng = createRng(99)
    const dispatch = (channel: string, args: unknown[], url?: string) =>
      h.pair.invokeRaw(channel, args, url).catch((e: unknown) => ({ thrown: String(e) }))
    for (let i = 0; i < 200; i++) {
      const bogus = `cc:${rng.pick(['session', 'x', '__proto__', ''])}:${rng.pick(['login', 'constructor', 'toString', ''])}${i}`
      // the preload cannot reach such a channel; over raw IPC Electron has no handler for it
      const r = (await dispatch(bogus, [randomValue(rng)])) as { thrown?: string }
      expect(r.thrown).toMatch(/No handler registered/)
      // and the dispatcher itself answers with a typed error
      const d = await h.dispatcher.dispatch(bogus, [randomValue(rng)], {
        senderUrl: 'app://callcenter/index.html',
      })
      expect(d).toMatchObject({ ok: false, error: { kind: 'unknown-channel' } })
    }
    const notArray = await h.dispatcher.dispatch(
      'cc:session:current',
      { 0: 1 },
      {
        senderUrl: 'app://callcenter/index.html',
      },
    )
    expect(notArray).toMatchObject({ ok: false, error: { kind: 'invalid-args' } })
    for (const url of [
      'https://evil.example/',
      'file:///etc/passwd',
      '',
      'app://callcenter.evil/index.html',
    ]) {
      const r = (await dispatch('cc:session:current', [], url)) as IpcResult<unknown>
      expect(r).toMatchObject({ ok: false, error: { kind: 'forbidden' } })
    }
  })

  it('main is still healthy afterwards', async () => {
    const r = await h.api.catalog.projects()
    expect(r.ok).toBe(true)
  })
})
