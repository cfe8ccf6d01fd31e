import { describe, expect, it } from 'vitest'
import { createDispatcher } from '../../electron/ipc/dispatcher'
import type { ServiceImpls } from '../../shared/ipc/contract'
import type { IpcResult } from '../../shared/ipc/errors'
import { createInMemoryIpcPair } from '../support/in-memory-ipc'

/**
 * The dispatcher answers with the contract's shape, never with what a service happened to
 * return: a field the contract does not name (a token a service forgot to drop, an internal id)
 * must not reach the renderer, at the top level or nested in a list. The services here are
 * doubles that answer with such extra fields on purpose.
 */

const SECRET = 'appkey-7Qz93-LEAK'

const session = {
  userId: 6,
  userName: '冯依敏',
  userNum: '00006',
  machineNo: 'desk-1',
  server: 'http://127.0.0.1:1',
  loggedInAt: '2026-11-22T09:00:00.000Z',
  offline: false,
  notice: null,
  agentStatus: { state: 'ready', reason: '', since: '2026-11-22T09:00:00.000Z' },
  locked: false,
}

const project = {
  id: 141,
  name: '万科东荟城',
  startDate: '2026-01-01',
  endDate: '2026-12-31',
  status: 'current',
}

function leakyServices(): { impls: ServiceImpls; calls: string[] } {
  const calls: string[] = []
  const impls = {
    session: {
      current: async () => {
        calls.push('session.current')
        return { ...session, password: SECRET, token: SECRET }
      },
    },
    catalog: {
      projects: async () => {
        calls.push('catalog.projects')
        return [
          { ...project, internal: { appkey: SECRET } },
          { ...project, id: 142, secret: SECRET },
        ]
      },
    },
  } as unknown as ServiceImpls
  return { impls, calls }
}

function pairOver(impls: ServiceImpls, errors: unknown[] = []) {
  const dispatcher = createDispatcher(impls, {
    isAllowedSender: (url) => url === 'app://callcenter/index.html',
    logError: (_m, e) => void errors.push(e),
  })
  return createInMemoryIpcPair(dispatcher)
}

describe('answers are stripped to the contract', () => {
  it('drops a top-level field the contract does not name', async () => {
    const { impls, calls } = leakyServices()
    const errors: unknown[] = []
    const pair = pairOver(impls, errors)
    const r = (await pair.api.session.current()) as IpcResult<Record<string, unknown>>
    expect(calls).toEqual(['session.current'])
    if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.error)}`)
    // the session itself arrives (control: the answer is not just refused)
    expect(r.value).toMatchObject({ userNum: '00006', userName: '冯依敏' })
    expect(r.value).not.toHaveProperty('password')
    expect(r.value).not.toHaveProperty('token')
    expect(pair.transcript.join('\n')).not.toContain(SECRET)
    expect(errors).toEqual([])
  })

  it('drops extra fields nested in a list', async () => {
    const { impls } = leakyServices()
    const pair = pairOver(impls)
    const r = await pair.api.catalog.projects()
    expect(r).toEqual({ ok: true, value: [project, { ...project, id: 142 }] })
    expect(pair.transcript.join('\n')).not.toContain(SECRET)
  })

  it('the extra fields really are in what the services return (control)', async () => {
    const { impls } = leakyServices()
    expect(JSON.stringify(await impls.session.current())).toContain(SECRET)
    expect(JSON.stringify(await impls.catalog.projects())).toContain(SECRET)
  })
})
