import { describe, expect, it } from 'vitest'
import {
  checkRequest,
  contentSchemas,
  isAnyDataCenterCommand,
} from '../../../electron/core/datacenter/schemas'

/** The commands the report flow added: the opportunity's query and update, the consultant lists. */

const failure = (cmd: Parameters<typeof checkRequest>[0], data: unknown): string => {
  const r = checkRequest(cmd, data)
  return r.ok ? 'ok' : `${r.code} ${r.field}`
}

describe('requests', () => {
  it('are commands the client accepts', () => {
    for (const cmd of [
      'opportunity_info_query',
      'opportunity_info_update',
      'base_consultant_list',
      'base_consultantProj_list',
    ]) {
      expect(isAnyDataCenterCommand(cmd)).toBe(true)
    }
  })

  it('opportunity_info_query (4.3.9): oppGUID, or cstGUID and projGUID', () => {
    expect(failure('opportunity_info_query', { oppGUID: 'o' })).toBe('ok')
    expect(failure('opportunity_info_query', { cstGUID: 'c', projGUID: 'p' })).toBe('ok')
    expect(failure('opportunity_info_query', {})).toBe('1001 oppGUID')
    expect(failure('opportunity_info_query', { cstGUID: 'c' })).toBe('1001 projGUID')
    expect(failure('opportunity_info_query', { projGUID: 'p' })).toBe('1001 cstGUID')
    expect(failure('opportunity_info_query', { oppGUID: 'o'.repeat(65) })).toBe('1002 oppGUID')
  })

  it('opportunity_info_update (4.3.8): oppGUID, cstGUID, projGUID, userGUID, status, cstWill', () => {
    const ok = {
      oppGUID: 'o',
      cstGUID: 'c',
      projGUID: 'p',
      userGUID: 'u',
      status: '签约',
      cstWill: 'A',
    }
    expect(failure('opportunity_info_update', ok)).toBe('ok')
    for (const field of Object.keys(ok)) {
      const { [field as keyof typeof ok]: _drop, ...without } = ok
      expect(failure('opportunity_info_update', without)).toBe(`1001 ${field}`)
    }
    expect(failure('opportunity_info_update', { ...ok, cstWill: 'F' })).toBe('1002 cstWill')
    expect(failure('opportunity_info_update', { ...ok, dsDate: '2026-11-22' })).toBe('1002 dsDate')
  })

  it('the consultant lists page like base_project_list', () => {
    expect(failure('base_consultant_list', {})).toBe('ok')
    expect(failure('base_consultantProj_list', { page: 2, pageSize: 50 })).toBe('ok')
    expect(failure('base_consultant_list', { page: '2' })).toBe('1002 page')
  })
})

describe('responses', () => {
  const opp = { oppGUID: 'o', cstGUID: 'c', projGUID: 'p', userGUID: 'u', status: '认购' }

  it('opportunity_info_query: data/list as an array, or as JSON text (typed String in 4.3.9)', () => {
    expect(contentSchemas.opportunity_info_query.parse({ list: [opp] }).list[0]).toMatchObject(opp)
    expect(
      contentSchemas.opportunity_info_query.parse({ list: JSON.stringify([opp]) }).list[0],
    ).toMatchObject(opp)
    expect(contentSchemas.opportunity_info_query.parse({}).list).toEqual([])
    expect(contentSchemas.opportunity_info_query.safeParse({ list: 'nope' }).success).toBe(false)
  })

  it('base_consultant_list keeps no password', () => {
    const c = contentSchemas.base_consultant_list.parse({
      totalPage: 1,
      page: 1,
      list: [
        {
          userGUID: 'g',
          userCode: '00006',
          userName: '冯依敏',
          password: 'secret',
          isDisabled: '0',
        },
      ],
    })
    expect(c.list[0]).toEqual({
      userGUID: 'g',
      userCode: '00006',
      userName: '冯依敏',
      isDisabled: 0,
    })
  })
})
