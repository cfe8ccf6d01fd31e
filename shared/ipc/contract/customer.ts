import { z } from 'zod'
import {
  mobileSchema,
  dispensedNumberSchema,
  saveToCustomerInputSchema,
  writeReceiptSchema,
} from '../../domain'
import { profileSectionSchema } from '../../profile'
import { id } from './common'

export const customerMethods = {
  saveToCustomer: { args: z.tuple([saveToCustomerInputSchema]), ret: writeReceiptSchema },
  profileDatacenter: {
    args: z.tuple([z.object({ phone: mobileSchema, projectId: id })]),
    ret: profileSectionSchema,
  },
  profileCdp: {
    args: z.tuple([z.object({ phone: mobileSchema, projectId: id })]),
    ret: profileSectionSchema,
  },
  profileRabbitpre: {
    args: z.tuple([z.object({ phone: mobileSchema })]),
    ret: profileSectionSchema,
  },
  /** the Miaosuan customer linked to this number on this machine (unlinked: none yet) */
  profileMiaosuan: {
    args: z.tuple([z.object({ phone: dispensedNumberSchema })]),
    ret: profileSectionSchema,
  },
  /** the agent links a Miaosuan customer id to the number; checked with Miaosuan, then kept */
  linkMiaosuan: {
    args: z.tuple([
      z.object({
        phone: dispensedNumberSchema,
        customerId: z
          .number({ error: '秒算客户 id 应为正整数' })
          .int({ error: '秒算客户 id 应为正整数' })
          .positive({ error: '秒算客户 id 应为正整数' })
          .max(2_147_483_647, { error: '秒算客户 id 过大' }),
      }),
    ]),
    ret: profileSectionSchema,
  },
} as const
