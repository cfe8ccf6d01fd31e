import { describe, expect, it } from 'vitest'
import { maskSecret } from '../../../shared/settings'

describe('maskSecret', () => {
  it('shows at most the first and last character, and never the length', () => {
    const token = '52e41ab0d3eee56b725e3e29999762a8'
    const hint = maskSecret(token)
    expect(hint).toBe('5********8')
    expect(maskSecret('a'.repeat(8))).toHaveLength(hint.length)
    // no run of two real characters anywhere in the hint
    expect(hint.replace(/\*/g, '')).toHaveLength(2)
  })

  it('reveals nothing of a short secret', () => {
    for (const s of ['', 'x', '2021', 'abcdefg']) expect(maskSecret(s)).toBe('********')
  })
})
