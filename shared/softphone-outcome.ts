/**
 * What a call's SIP outcome suggests as its disposition. Zod-free: the renderer imports it.
 * The agent still confirms (one key); an answered call suggests nothing and waits for the agent.
 */

export type CallOutcome = 'answered' | 'busy' | 'no-answer' | 'invalid-number' | 'failed'

/** the keyword of the server's callback item each outcome suggests (items: 占线/稍后回电, …) */
export const outcomeKeyword: Record<Exclude<CallOutcome, 'answered' | 'failed'>, string> = {
  busy: '占线',
  'no-answer': '无人接听',
  'invalid-number': '空号',
}

/**
 * The outcome of a call that ended before or after being answered: the final SIP status
 * (486/600 busy; 480/408 or our own no-answer timeout; 404/484/604 no such number), or null
 * when no final response came (a cancelled or timed-out attempt counts as no answer).
 */
export function outcomeOf(call: {
  answered: boolean
  status: number | null
  noAnswerTimeout?: boolean
}): CallOutcome {
  if (call.answered) return 'answered'
  if (call.noAnswerTimeout) return 'no-answer'
  switch (call.status) {
    case 486:
    case 600:
      return 'busy'
    case 480:
    case 408:
    case 487:
      return 'no-answer'
    case 404:
    case 484:
    case 604:
      return 'invalid-number'
    default:
      return 'failed'
  }
}

/** the callback item to preselect for an outcome, among the server's items; null = agent picks */
export function suggestedItem(outcome: CallOutcome, items: readonly string[]): string | null {
  if (outcome === 'answered' || outcome === 'failed') return null
  const keyword = outcomeKeyword[outcome]
  return items.find((i) => i.includes(keyword)) ?? null
}
