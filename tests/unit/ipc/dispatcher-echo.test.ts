import { describe, expect, it } from 'vitest'
import { contractMethods } from '../../../shared/ipc/channels'
import type { ServiceImpls } from '../../../shared/ipc/contract'
import { createDispatcher } from '../../../electron/ipc/dispatcher'

/** Validation errors echo the field (and zod's text); a huge argument must not come back whole. */
describe('the dispatcher caps what a validation error echoes', () => {
  const dispatcher = createDispatcher({} as ServiceImpls, {
    isAllowedSender: () => true,
    logError: () => {},
  })
  const channel = contractMethods().find(
    (m) => m.service === 'sync' && m.method === 'edit',
  )!.channel
  const huge = 'k'.repeat(10 * 1024 * 1024)

  it.each([
    ['a 10 MiB record key', { id: 'a', fields: { [huge]: 'v' } }],
    ['a 10 MiB field value', { id: 'a', fields: { note: huge } }],
    ['a 10 MiB id', { id: huge, fields: {} }],
  ])('%s: an answer of a few hundred characters', async (_what, arg) => {
    const r = await dispatcher.dispatch(channel, [arg], { senderUrl: 'app://callcenter/' })
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.error.kind).toBe('invalid-args')
    expect(JSON.stringify(r).length).toBeLessThan(1_000)
    expect(r.error.message).toMatch(/^参数/)
  })
})
