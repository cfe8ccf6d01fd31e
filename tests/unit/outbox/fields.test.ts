import { describe, expect, it } from 'vitest'
import {
  saveCallbackRequestSchema,
  saveToCustomerRequestSchema,
} from '../../../electron/core/weixin/schemas'
import { checkPayload } from '../../../electron/services/outbox/payloads'
import type { OutboxPayloads } from '../../../electron/services/outbox/types'
import { saveCallbackInputSchema, saveToCustomerInputSchema } from '../../../shared/domain'
import { FIELD_MAX as MAX, fitRemoteText, intents, truncationNote } from '../../../shared/fields'

/**
 * One limit per field (shared/fields.ts): a value the screen lets the agent type (its maxlength,
 * then the IPC input check) must pass the outbox's payload check at enqueue AND the weixin
 * client's request check at delivery. Before, the owner name was 64 here and 50 there: the save
 * was acknowledged, then parked as failed.
 */

/** as long as the screen allows: Chinese text, where a character is a character */
const full = (n: number): string => '客'.repeat(n)

describe('a value at the screen’s limit is accepted all the way', () => {
  it('savecallback and its Data Center report', () => {
    const input = saveCallbackInputSchema.parse({
      projectId: 141,
      packageId: 467,
      phoneId: 1,
      phone: '13912345678',
      ownerName: full(MAX.ownerName),
      callbackItem: full(MAX.callbackItem),
      notes: full(MAX.notes),
      nextFollowContent: full(MAX.nextFollowContent),
      intent: 'A',
    })
    const payload: OutboxPayloads['weixin.savecallback'] = {
      user_id: 29,
      phone_no: input.phone,
      owner_name: input.ownerName,
      package_id: input.packageId,
      pro_id: input.projectId,
      call_back_item_name: input.callbackItem,
    }
    expect(checkPayload('weixin.savecallback', payload)).toEqual(payload)
    expect(saveCallbackRequestSchema.safeParse(payload).success).toBe(true)

    // the same call as the Data Center gets it (calling-service cuts the follow content)
    for (const cstWill of intents) {
      const report: OutboxPayloads['datacenter.report_call'] = {
        userNum: '00006',
        mobile: input.phone,
        customerName: input.ownerName,
        gender: 0,
        projectId: input.projectId,
        projectName: full(MAX.projectName),
        followTime: '2026-11-22 10:15:00',
        followContent: `${input.callbackItem}：${input.notes}`.slice(0, MAX.followContent),
        nextDate: '2026-11-29',
        nextContent: input.nextFollowContent!,
        cstWill,
      }
      expect(checkPayload('datacenter.report_call', report)).toEqual(report)
    }
  })

  it('save to customer', () => {
    const input = saveToCustomerInputSchema.parse({
      projectId: 141,
      customerName: full(MAX.customerName),
      phone: '13912345678',
      gender: full(MAX.genderType),
      customerType: full(MAX.customerType),
      recommend: full(MAX.recommend),
      followContent: full(MAX.followContent),
    })
    const payload: OutboxPayloads['weixin.save_to_customer'] = {
      reg_user_id: 29,
      customer_name: input.customerName,
      customer_phone: input.phone,
      gender_type: input.gender,
      customer_type: input.customerType,
      recommend: input.recommend,
      follow_content: input.followContent,
    }
    expect(checkPayload('weixin.save_to_customer', payload)).toEqual(payload)
    expect(saveToCustomerRequestSchema.safeParse(payload).success).toBe(true)
  })

  it('one more character is refused by the screen’s own check, before anything is saved', () => {
    const base = {
      projectId: 141,
      packageId: 467,
      phoneId: 1,
      phone: '13912345678',
      ownerName: '李先生',
      callbackItem: '继续跟进',
    }
    for (const over of [
      { callbackItem: full(MAX.callbackItem + 1) },
      { notes: full(MAX.notes + 1) },
      { nextFollowContent: full(MAX.nextFollowContent + 1) },
    ]) {
      expect(saveCallbackInputSchema.safeParse({ ...base, ...over }).success).toBe(false)
    }
  })

  it('a remote value over our limit is never refused: cut by the one rule, and the cut said', () => {
    // the owner name comes from the call list, not from the agent
    const owner = `${full(MAX.ownerName)}有限公司`
    const input = saveCallbackInputSchema.parse({
      projectId: 141,
      packageId: 467,
      phoneId: 1,
      phone: '020-38861234',
      ownerName: owner,
      callbackItem: '继续跟进',
    })
    const fitted = fitRemoteText(input.ownerName, MAX.ownerName)
    expect(fitted).toEqual({ value: full(MAX.ownerName), cutFrom: MAX.ownerName + 4 })
    const payload = {
      user_id: 29,
      phone_no: input.phone,
      owner_name: fitted.value,
      package_id: 467,
      pro_id: 141,
      call_back_item_name: input.callbackItem,
    }
    expect(checkPayload('weixin.savecallback', payload)).toEqual(payload)
    expect(saveCallbackRequestSchema.safeParse(payload).success).toBe(true)
    expect(truncationNote('客户称呼', fitted, MAX.ownerName)).toBe(
      `〔客户称呼原 ${MAX.ownerName + 4} 字，已截为 ${MAX.ownerName} 字上报〕`,
    )
    // a character is never split: an emoji counts as one
    expect(fitRemoteText('😀'.repeat(3), 2)).toEqual({ value: '😀😀', cutFrom: 3 })
    expect(fitRemoteText('  李先生 ', 64)).toEqual({ value: '李先生', cutFrom: 0 })
  })
})
