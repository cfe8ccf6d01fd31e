import type { DataCenterClient } from '../../core/datacenter/client'
import { isDuplicateSid } from '../../core/datacenter/codes'
import type { AnyDataCenterCommand, ContentOf, RequestOf } from '../../core/datacenter/schemas'
import { isRemoteError } from '../../core/errors'
import type { OutboxError } from './rows'
import type { ReportSteps, Step } from './report-steps'
import type { OutboxPayloads } from './types'

/** What every step of a Data Center report works with (report-call.ts builds it). */
export interface Report {
  dc: Pick<DataCenterClient, 'call' | 'nextSid'> & Partial<Pick<DataCenterClient, 'sidCollided'>>
  p: OutboxPayloads['datacenter.report_call']
  steps: ReportSteps
  projGUID: string
  /** the agent's Data Center consultant */
  userGUID: string
  followTime: string
  signal?: AbortSignal
  /** commits the steps now */
  save(): void
}

/** The report cannot go on without the agent (a missing gender, an unknown consultant). */
export class Parked extends Error {
  constructor(readonly error: OutboxError) {
    super(error.message)
  }
}

export function isCode(e: unknown, ...codes: number[]): boolean {
  return (
    isRemoteError(e) &&
    e.system === 'datacenter' &&
    e.kind === 'remote' &&
    codes.includes(e.code as number)
  )
}

/** Tries per write (and per read): a 1013 more often than this is not a passing collision. */
const ROUNDS = 3

/**
 * A read under a fresh SID. A read answered 1013 only met a SID another desktop had used (reads
 * are never re-sent under their SID): it is asked again under a new one.
 */
export async function read<C extends AnyDataCenterCommand>(
  r: Report,
  cmd: C,
  data: RequestOf<C>,
): Promise<ContentOf<C>> {
  for (let round = 1; ; round++) {
    try {
      return (await r.dc.call(cmd, data, r.signal ? { signal: r.signal } : {})).content
    } catch (e) {
      if (!isDuplicateSid(e) || round >= ROUNDS) throw e
    }
  }
}

/** Takes (and commits) a new SID for a step. */
export function newSid(r: Report, s: Step): string {
  s.sid = r.dc.nextSid()
  r.save()
  return s.sid
}

export type WriteOutcome<C extends AnyDataCenterCommand, T> =
  { sent: true; content: ContentOf<C> } | { sent: false; found: T }

/**
 * A write under the step's SID. 1013 says only that the Data Center has seen the SID: from our
 * earlier try, or from another desktop's command that drew the same SID. So a 1013 is confirmed
 * with a read the document offers (`confirm`); found → the record is there (ours, or the same
 * record another desktop reported); not found → the SID was not ours: a new SID, sent again.
 */
export async function confirmedWrite<C extends AnyDataCenterCommand, T>(
  r: Report,
  s: Step & { duplicate?: boolean; resent?: number },
  cmd: C,
  data: RequestOf<C>,
  confirm: () => Promise<T | null>,
): Promise<WriteOutcome<C, T>> {
  for (let round = 1; ; round++) {
    const sid = s.sid ?? newSid(r, s)
    s.sent = true
    try {
      const res = await r.dc.call(cmd, data, { sid, ...(r.signal ? { signal: r.signal } : {}) })
      delete s.sent
      return { sent: true, content: res.content }
    } catch (e) {
      if (!isDuplicateSid(e)) throw e
      delete s.sent
      const found = await confirm()
      if (found !== null) {
        s.duplicate = true
        return { sent: false, found }
      }
      if (round >= ROUNDS) throw e
      s.resent = (s.resent ?? 0) + 1
      r.dc.sidCollided?.()
      newSid(r, s)
    }
  }
}
