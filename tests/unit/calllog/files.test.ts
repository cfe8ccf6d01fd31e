import { describe, expect, it } from 'vitest'
import { Utf8Batch } from '../../../electron/services/calllog/files'

describe('the reused UTF-8 buffer of an export', () => {
  it('holds each batch’s exact bytes: Chinese, line breaks, characters beyond the BMP', () => {
    const batch = new Utf8Batch()
    const texts = ['', 'ascii,1\r\n', '李先生，"周末"\n', '表情 😀 与 𠀋', 'é'.repeat(3)]
    for (const text of texts) batch.append(text)
    expect(Buffer.from(batch.bytes())).toEqual(Buffer.from(texts.join(''), 'utf8'))
    batch.reset()
    batch.append('下一批')
    expect(batch.bytes().toString('utf8')).toBe('下一批')
  })

  it('grows past its buffer keeping what it holds, and a shorter batch after it is not padded', () => {
    const batch = new Utf8Batch()
    const line = '通话记录,13800138000\r\n'
    for (let i = 0; i < 200_000; i++) batch.append(line)
    expect(batch.bytes().equals(Buffer.from(line.repeat(200_000), 'utf8'))).toBe(true)
    batch.reset()
    batch.append('短')
    expect(batch.bytes().toString('utf8')).toBe('短')
  })
})
