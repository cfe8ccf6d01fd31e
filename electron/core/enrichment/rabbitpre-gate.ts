import { networkError, type RemoteError } from '../errors'

/**
 * Rabbitpre's one-request-per-second limit ("允许一秒请求一次") as a gate per account: shared by
 * every client of the same server origin and companyId in the process, one request at a time,
 * each start at least RABBITPRE_MIN_INTERVAL_MS (+ a small margin for clock and network jitter)
 * after the previous one. The margin keeps two starts 1000 ms apart from arriving 999 ms apart.
 */

export const RABBITPRE_MIN_INTERVAL_MS = 1_000
const SPACING_MARGIN_MS = 20

/** Time as the limiter sees it; tests swap in a fake one. */
export interface Timer {
  now(): number
  /** resolves after ms, rejects when the signal aborts */
  sleep(ms: number, signal?: AbortSignal): Promise<void>
}

export const realTimer: Timer = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason)
        return
      }
      const onAbort = (): void => {
        clearTimeout(timer)
        reject(signal?.reason)
      }
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort)
        resolve()
      }, ms)
      signal?.addEventListener('abort', onAbort, { once: true })
    }),
}

/**
 * One account's request slot: tasks run one at a time in arrival order, and every request start
 * (begin) is spaced at least intervalMs after the previous one.
 */
export class RateGate {
  private busy = false
  private readonly waiters: (() => void)[] = []
  private lastStart = Number.NEGATIVE_INFINITY

  constructor(
    readonly timer: Timer,
    readonly intervalMs: number,
  ) {}

  async run<T>(task: (begin: () => Promise<void>) => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.acquire(signal)
    try {
      return await task(() => this.begin(signal))
    } finally {
      this.release()
    }
  }

  /** when the last request through this gate started (timer time), for tests */
  get lastStartAt(): number {
    return this.lastStart
  }

  private acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortedError(false))
    if (!this.busy) {
      this.busy = true
      return Promise.resolve()
    }
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        const i = this.waiters.indexOf(waiter)
        if (i >= 0) this.waiters.splice(i, 1)
        reject(abortedError(false))
      }
      const waiter = (): void => {
        signal?.removeEventListener('abort', onAbort)
        resolve()
      }
      this.waiters.push(waiter)
      signal?.addEventListener('abort', onAbort, { once: true })
    })
  }

  private release(): void {
    const next = this.waiters.shift()
    // The slot passes straight to the next waiter, so nobody can slip in between.
    if (next) next()
    else this.busy = false
  }

  private async begin(signal?: AbortSignal): Promise<void> {
    const wait = this.lastStart + this.intervalMs - this.timer.now()
    if (wait > 0) await sleepOrAbort(this.timer, wait, signal)
    this.lastStart = this.timer.now()
  }
}

/** Gates per time source, then per account: all real-time clients of one account share one. */
const gates = new WeakMap<Timer, Map<string, RateGate>>()

export function rabbitpreGate(
  baseUrl: string,
  companyId: string,
  timer: Timer = realTimer,
): RateGate {
  let byAccount = gates.get(timer)
  if (!byAccount) {
    byAccount = new Map()
    gates.set(timer, byAccount)
  }
  const key = `${accountOrigin(baseUrl)}|${companyId}`
  let gate = byAccount.get(key)
  if (!gate) {
    gate = new RateGate(timer, RABBITPRE_MIN_INTERVAL_MS + SPACING_MARGIN_MS)
    byAccount.set(key, gate)
  }
  return gate
}

function accountOrigin(baseUrl: string): string {
  try {
    return new URL(baseUrl).origin
  } catch {
    return baseUrl
  }
}

/** the wait for a turn or a back-off was cancelled: nothing was sent */
export function abortedError(maybeDelivered: boolean): RemoteError {
  return networkError('rabbitpre', 'aborted', maybeDelivered)
}

export async function sleepOrAbort(timer: Timer, ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) throw abortedError(false)
  try {
    await timer.sleep(ms, signal)
  } catch (e) {
    throw networkError('rabbitpre', 'aborted', false, e)
  }
}
