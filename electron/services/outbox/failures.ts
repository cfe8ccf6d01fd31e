import { DC_DUPLICATE_SID } from '../../core/datacenter/codes'
import { isRemoteError, NOT_JSON_HTML_PAGE, type RemoteError } from '../../core/errors'
import { AppError } from '../../core/app-error'
import type { DeliveryResult } from './delivery'
import { stepLabel, WRITE_STEPS, type ReportSteps, type StepName } from './report-steps'
import type { OutboxError } from './rows'

/** What a failed send means for the item: retried, maybe delivered, or parked for the agent. */

const OFFLINE_CAUSES = new Set<unknown>(['refused', 'timeout', 'dns'])

function errorInfo(e: RemoteError, suffix?: string): OutboxError {
  const out: OutboxError = {
    kind: e.kind,
    message: suffix ? `${e.message}（${suffix}）` : e.message,
  }
  if (e.code !== undefined) out.code = e.code
  if (e.field !== undefined) out.field = e.field
  return out
}

function reachOf(e: RemoteError): 'online' | 'offline' {
  return e.kind === 'network' && OFFLINE_CAUSES.has(e.code) ? 'offline' : 'online'
}

const internalError = (e: unknown): OutboxError =>
  // a step's progress could not be saved (disk full, …): the agent's text as it is
  e instanceof AppError && e.kind === 'storage'
    ? { kind: 'storage', message: e.message }
    : {
        kind: 'internal',
        message: `同步时发生内部错误：${e instanceof Error ? e.message : String(e)}`,
      }

/**
 * A weixin write's failure → what happens to the item, by what the answer proves. An HTTP error
 * status or an HTML error page is an answer from a server (or gateway) that did not process the
 * request: passing trouble, retried with back-off. Only a lost answer (the connection dropped
 * after sending) or an answer that arrived damaged (cut short, unrecognisable) leaves the item
 * uncertain, since the server may have done the work.
 */
export function classifyWeixinFailure(e: unknown): DeliveryResult {
  // Clients throw only RemoteErrors; anything else happened somewhere after we started, so the
  // request may have gone out.
  if (!isRemoteError(e)) return { type: 'maybe-delivered', error: internalError(e) }
  const error = errorInfo(e)
  switch (e.kind) {
    case 'network':
      if (e.maybeDelivered === false) return { type: 'retry', error, reach: reachOf(e) }
      return { type: 'maybe-delivered', error, reach: reachOf(e) }
    case 'http':
      return { type: 'retry', error, reach: 'online' }
    case 'not-json':
      if (e.code === NOT_JSON_HTML_PAGE) return { type: 'retry', error, reach: 'online' }
      return { type: 'maybe-delivered', error, reach: 'online' }
    case 'shape':
    case 'signature':
      return { type: 'maybe-delivered', error, reach: 'online' }
    case 'rate-limited':
      return { type: 'retry', error, reach: 'online' }
    case 'remote':
      return { type: 'failed', error, reach: 'online' }
    case 'invalid-request':
      return { type: 'failed', error }
  }
}

/**
 * Data Center codes that are the server's passing trouble rather than a verdict on the data: the
 * item is retried (with a new SID for that step, since the server has answered the old one).
 */
const DC_TRANSIENT = new Set<unknown>([-1, 1005, 1014, 6001])

/**
 * A Data Center failure → what happens to the item. Transport trouble retries under the same
 * SIDs (never uncertain: the SID makes a re-send safe). A §5 answer retires the SID of the step
 * it answered; passing server trouble retries, anything else parks the item with the reason.
 */
export interface DataCenterFailureHooks {
  /** 4001: the cached project map is wrong */
  onUnknownProject?: () => void
  /** 4002: the cached consultant map is wrong */
  onUnknownConsultant?: () => void
}

/** 4002 in words an agent can act on; parked, never retried blindly. */
const CONSULTANT_UNKNOWN =
  '数据中心：置业顾问不存在——数据中心不认识这个工号对应的置业顾问，跟进无法上报。' +
  '请管理员在数据中心核对该工号的置业顾问后，在同步面板点“重试”'

export function classifyDataCenterFailure(
  e: unknown,
  step: StepName,
  steps: ReportSteps,
  hooks: DataCenterFailureHooks = {},
): DeliveryResult {
  const label = stepLabel[step]
  if (!isRemoteError(e)) {
    // a storage failure while saving the steps, or an unexpected answer sequence
    return {
      type: 'retry',
      error: { ...internalError(e), message: `${internalError(e).message}（${label}）` },
      steps,
    }
  }
  const error = errorInfo(e, label)
  const retire = (): void => {
    if (step !== 'project' && step !== 'consultant') {
      const s = steps[step]
      if (!s.done) {
        s.sid = null
        delete s.sent
      }
    }
  }
  switch (e.kind) {
    case 'network':
      return { type: 'retry', error, steps, reach: reachOf(e) }
    case 'http':
    case 'not-json':
    case 'shape':
    case 'signature':
    case 'rate-limited':
      return { type: 'retry', error, steps, reach: 'online' }
    case 'invalid-request':
      if (e.code === 1015 && e.field === 'sid') {
        // SIDs taken under another appid (the connection profile changed): new ones, now
        for (const name of WRITE_STEPS) if (!steps[name].done) steps[name].sid = null
        return { type: 'retry', error, steps, immediate: true }
      }
      return { type: 'failed', error, steps }
    case 'remote':
      if (e.code === DC_DUPLICATE_SID) {
        // 1013 again and again, with no record to show for it: passing trouble, a new SID
        retire()
        return { type: 'retry', error, steps, reach: 'online' }
      }
      retire()
      if (e.code === 4001) {
        // the cached projGUID is unknown there (the map is old): look the project up again
        delete steps.projGUID
        hooks.onUnknownProject?.()
      }
      if (e.code === 4002) {
        // the mapped consultant is unknown there: map the 工号 again when the agent retries
        delete steps.userGUID
        hooks.onUnknownConsultant?.()
        return {
          type: 'failed',
          error: { ...error, message: `${CONSULTANT_UNKNOWN}（${label}）` },
          steps,
          reach: 'online',
        }
      }
      if (DC_TRANSIENT.has(e.code)) return { type: 'retry', error, steps, reach: 'online' }
      return { type: 'failed', error, steps, reach: 'online' }
  }
}
