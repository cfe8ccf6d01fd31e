import { z } from 'zod'
import {
  callDraftSchema,
  draftRefSchema,
  dispensedPhoneSchema,
  dncInputSchema,
  mobileSchema,
  packageRefSchema,
  refineAnsweredAt,
  saveCallbackInputSchema,
  writeReceiptSchema,
} from '../../domain'
import { callLogRowSchema } from '../../calllog'
import { none } from './common'

const save = saveCallbackInputSchema.shape
/**
 * A result for a follow-up opened from 今日待回访: the number was not dispensed now, so what the
 * save needs beyond the form (number, owner, project, package) comes from the call-log row that
 * set the follow-up, which main looks up by its id.
 */
export const followUpSaveSchema = z
  .object({
    followUpOf: z.string().trim().min(1).max(64),
    callbackItem: save.callbackItem,
    notes: save.notes,
    nextFollowDate: save.nextFollowDate,
    nextFollowContent: save.nextFollowContent,
    intent: save.intent,
    dialledAt: save.dialledAt,
    answeredAt: save.answeredAt,
    endedAt: save.endedAt,
  })
  .superRefine(refineAnsweredAt)
export type FollowUpSaveInput = z.input<typeof followUpSaveSchema>

export const callingMethods = {
  /** the number already dispensed for this package and not yet saved, if any */
  currentPhone: { args: z.tuple([packageRefSchema]), ret: dispensedPhoneSchema.nullable() },
  nextPhone: { args: z.tuple([packageRefSchema]), ret: dispensedPhoneSchema },
  /** every number held for the package, the one on screen first: the next shows at once */
  held: {
    args: z.tuple([packageRefSchema]),
    ret: z.object({
      phones: z.array(dispensedPhoneSchema),
      /** getphone said the package is called through: nothing more will come */
      exhausted: z.boolean(),
    }),
  },
  saveCallback: { args: z.tuple([saveCallbackInputSchema]), ret: writeReceiptSchema },
  /** 勿扰: never call this number again; a DNC number dispensed later is skipped */
  markDnc: { args: z.tuple([dncInputSchema]), ret: writeReceiptSchema },
  /** a mistaken 勿扰 taken back by the agent who marked it (false: nothing to undo) */
  undoDnc: {
    args: z.tuple([z.object({ phone: z.string().trim().min(1).max(64) })]),
    ret: z.boolean(),
  },
  /** what was typed for a held number and not saved yet (kept across screens and restarts) */
  draft: { args: z.tuple([draftRefSchema]), ret: callDraftSchema.nullable() },
  putDraft: {
    args: z.tuple([draftRefSchema.extend({ draft: callDraftSchema })]),
    ret: z.null(),
  },
  clearDraft: { args: z.tuple([draftRefSchema]), ret: z.null() },
  /** this desktop's calls of a number, newest first: its story on the number card */
  story: {
    args: z.tuple([z.object({ phone: z.string().trim().min(1).max(64) })]),
    ret: z.array(callLogRowSchema),
  },
  /** 今日待回访: the agent's follow-ups set for today with no later call to the number */
  dueToday: { args: none, ret: z.array(callLogRowSchema) },
  /** the result of a due follow-up's call; once saved it leaves 今日待回访 (a second save is refused) */
  saveFollowUp: { args: z.tuple([followUpSaveSchema]), ret: writeReceiptSchema },
  /** whether the call server answers now (any answer counts); also before login */
  reach: { args: none, ret: z.object({ online: z.boolean() }) },
  /** click-to-dial through the settings' URI template (tel:, sip:, callto:) */
  dial: {
    args: z.tuple([z.object({ phone: mobileSchema })]),
    ret: z.object({ uri: z.string() }),
  },
} as const
