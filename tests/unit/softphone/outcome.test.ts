import { describe, expect, it } from 'vitest'
import { outcomeOf, suggestedItem } from '../../../shared/softphone-outcome'

const items = ['有意向', '无人接听', '占线/稍后回电', '空号/错号', '要求勿扰']

describe('SIP outcome → suggested disposition', () => {
  it.each([
    [486, 'busy', '占线/稍后回电'],
    [600, 'busy', '占线/稍后回电'],
    [480, 'no-answer', '无人接听'],
    [408, 'no-answer', '无人接听'],
    [404, 'invalid-number', '空号/错号'],
    [484, 'invalid-number', '空号/错号'],
    [604, 'invalid-number', '空号/错号'],
  ] as const)('%i → %s → %s', (status, outcome, item) => {
    expect(outcomeOf({ answered: false, status })).toBe(outcome)
    expect(suggestedItem(outcomeOf({ answered: false, status }), items)).toBe(item)
  })

  it('our own no-answer timeout is 无人接听 whatever the status', () => {
    expect(outcomeOf({ answered: false, status: null, noAnswerTimeout: true })).toBe('no-answer')
  })

  it('an answered call suggests nothing: the agent chooses', () => {
    expect(outcomeOf({ answered: true, status: 200 })).toBe('answered')
    expect(suggestedItem('answered', items)).toBeNull()
  })

  it('other failures suggest nothing, and a missing item is not invented', () => {
    expect(outcomeOf({ answered: false, status: 503 })).toBe('failed')
    expect(suggestedItem('failed', items)).toBeNull()
    expect(suggestedItem('busy', ['有意向'])).toBeNull()
  })
})
