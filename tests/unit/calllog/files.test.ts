import { describe, expect, it } from 'vitest'
import { ReusedUtf8 } from '../../../electron/services/calllog/files'

describe('the reused UTF-8 buffer of an export', () => {
  it('gives each text’s exact bytes, Chinese, line breaks and characters beyond the BMP', () => {
    const utf8 = new ReusedUtf8()
    for (const text of ['', 'ascii,1\r\n', '李先生，"周末"\n', '表情 😀 与 𠀋', 'é'.repeat(3)]) {
      expect(Buffer.from(utf8.encode(text))).toEqual(Buffer.from(text, 'utf8'))
    }
  })

  it('grows for a text larger than its buffer, and a shorter text after it is not padded', () => {
    const utf8 = new ReusedUtf8()
    const big = '通话记录'.repeat(1_000_000)
    expect(utf8.encode(big).equals(Buffer.from(big, 'utf8'))).toBe(true)
    expect(utf8.encode('短').toString('utf8')).toBe('短')
  })
})
