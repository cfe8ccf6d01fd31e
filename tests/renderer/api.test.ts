import { afterEach, describe, expect, it, vi } from 'vitest'
import { CallcenterError, createClient, onApiError } from '../../renderer/src/api'
import { createFakeApi } from './support/fake-api'

describe('the api client', () => {
  const offs: (() => void)[] = []
  afterEach(() => offs.splice(0).forEach((off) => off()))

  it('answers the value of an ok result', async () => {
    const fake = createFakeApi()
    fake.answer('catalog', 'packages', [{ id: 1, name: 'A', projectId: 2 }])
    const client = createClient(fake.api)
    expect(await client.catalog.packages({ projectId: 2 })).toEqual([
      { id: 1, name: 'A', projectId: 2 },
    ])
    expect(fake.fn('catalog', 'packages')).toHaveBeenCalledWith({ projectId: 2 })
  })

  it('throws a CallcenterError with kind, message, code and field, and reports it', async () => {
    const fake = createFakeApi()
    const seen = vi.fn()
    offs.push(onApiError(seen))
    fake.fail('calling', 'nextPhone', {
      kind: 'remote',
      message: '此信息包已经 call 完',
      code: 'package-exhausted',
    })
    const client = createClient(fake.api)
    const e = await client.calling.nextPhone({ projectId: 1, packageId: 2 }).catch((x) => x)
    expect(e).toBeInstanceOf(CallcenterError)
    expect(e).toMatchObject({ kind: 'remote', code: 'package-exhausted', field: undefined })
    expect(e.message).toBe('此信息包已经 call 完')
    expect(seen).toHaveBeenCalledWith(e)
  })

  it('turns a broken carrier into a network error', async () => {
    const fake = createFakeApi()
    fake.fn('sync', 'status').mockRejectedValue(new Error('socket closed'))
    const e = await createClient(fake.api)
      .sync.status()
      .catch((x) => x)
    expect(e).toMatchObject({ kind: 'network' })
  })

  it('passes events through', () => {
    const fake = createFakeApi()
    const got = vi.fn()
    const off = createClient(fake.api).on('sessionExpired', got)
    fake.emit('sessionExpired', { reason: '过期' })
    off()
    fake.emit('sessionExpired', { reason: '再次' })
    expect(got).toHaveBeenCalledTimes(1)
    expect(got).toHaveBeenCalledWith({ reason: '过期' })
  })
})
