import { describe, expect, it } from 'vitest'
import * as shared from '../../../shared/calllog'
import {
  callLogColumnLabels,
  callLogColumns,
  defaultExportColumns,
} from '../../../renderer/src/domain/calllog'

describe('the call-log columns the export dialog offers', () => {
  it('are the shared ones, each with a Chinese label', () => {
    expect([...callLogColumns]).toEqual([...shared.callLogColumns])
    for (const c of callLogColumns) expect(callLogColumnLabels[c]).toMatch(/[\u4e00-\u9fff]/)
  })

  it('defaults to known columns, the phone among them', () => {
    for (const c of defaultExportColumns) expect(shared.callLogColumns).toContain(c)
    expect(defaultExportColumns).toContain('phone')
    expect(defaultExportColumns).not.toContain('id')
  })
})
