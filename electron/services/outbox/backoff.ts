import type { DeliveryResult } from './delivery'
import type { Outcome } from './outbox-store'

/**
 * When a failed item is tried again. Exponential back-off with full jitter:
 * delay = random() × min(cap, base × 2^(n−1)) for the n-th consecutive failure (n ≥ 1).
 */
export function jitteredBackoff(
  n: number,
  opts: { baseMs: number; capMs: number; random: () => number },
): number {
  const ceiling = Math.min(opts.capMs, opts.baseMs * 2 ** Math.max(0, Math.min(n, 40) - 1))
  return Math.floor(opts.random() * ceiling)
}

/**
 * A delivery's result as the store records it: a retry waits backoff(attempts), unless the
 * delivery asked for an immediate one.
 */
export function toOutcome(
  attempts: number,
  r: DeliveryResult,
  backoff: (n: number) => number,
): Outcome {
  const steps = r.steps === undefined ? {} : { steps: r.steps }
  switch (r.type) {
    case 'delivered':
      return {
        type: 'delivered',
        ...(r.result === undefined ? {} : { result: r.result }),
        ...steps,
      }
    case 'failed':
      return { type: 'failed', error: r.error, ...steps }
    case 'retry':
      return {
        type: 'retry',
        error: r.error,
        delayMs: r.immediate ? 0 : backoff(attempts),
        ...steps,
      }
    case 'maybe-delivered':
      return { type: 'maybe-delivered', error: r.error, delayMs: backoff(attempts), ...steps }
  }
}
