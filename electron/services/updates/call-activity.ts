import type { CallingService } from '../../../shared/ipc/contract'

/**
 * Whether the agent is on a call, as main can know it: a number was dialled from the workbench
 * and its result is not saved yet. An update never restarts the app in between: the agent would
 * lose the form they are filling in while talking.
 */
export class CallActivity {
  /** phone → when it was dialled (ms) */
  private readonly active = new Map<string, number>()
  private readonly listeners = new Set<() => void>()

  constructor(
    private readonly opts: {
      now?: () => number
      /** a dial never saved (the agent walked away) stops counting after this long */
      maxCallMs?: number
    } = {},
  ) {}

  private now(): number {
    return this.opts.now?.() ?? Date.now()
  }

  started(phone: string): void {
    this.active.set(phone, this.now())
  }

  /** the result of `phone` is saved (or, without a phone, every call is over: logout) */
  ended(phone?: string): void {
    const before = this.isOnCall()
    if (phone === undefined) this.active.clear()
    else this.active.delete(phone)
    if (before && !this.isOnCall()) for (const l of [...this.listeners]) l()
  }

  isOnCall(): boolean {
    const max = this.opts.maxCallMs ?? 2 * 60 * 60 * 1000
    const now = this.now()
    for (const [phone, at] of this.active) if (now - at > max) this.active.delete(phone)
    return this.active.size > 0
  }

  /** told when the last open call is saved; returns the unsubscribe */
  onEnded(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
}

/**
 * The calling service, reporting dials and saves to `activity`. Wrapping keeps the calling
 * service unaware of updates.
 */
export function withCallTracking(calling: CallingService, activity: CallActivity): CallingService {
  return {
    ...calling,
    async dial(input) {
      const out = await calling.dial(input)
      activity.started(input.phone)
      return out
    },
    async saveCallback(input) {
      const out = await calling.saveCallback(input)
      activity.ended(input.phone)
      return out
    },
    // 勿扰 ends the conversation: the customer asked not to be called
    async markDnc(input) {
      const out = await calling.markDnc(input)
      activity.ended(input.phone)
      return out
    },
  }
}
