import { z } from 'zod'

/**
 * One part of the customer 360 panel. Each part loads on its own and shows its own error, so
 * the panel is a list of independent sections with the same simple shape.
 */
export const profileFieldSchema = z.object({ label: z.string(), value: z.string() })

export const profileSectionSchema = z.object({
  system: z.enum(['datacenter', 'cdp', 'rabbitpre', 'miaosuan']),
  /** false: the system answered, and does not know this person */
  found: z.boolean(),
  /** false: the system is not configured on this machine */
  configured: z.boolean(),
  title: z.string(),
  fields: z.array(profileFieldSchema),
  history: z.array(z.object({ time: z.string(), type: z.string(), content: z.string() })),
  /** ids the section revealed (cstGUID, oneId, the linked Miaosuan customerId) */
  links: z.record(z.string(), z.string()),
  /** why there is nothing to show when it is not simply 无记录, e.g. 未配置 CDP 项目 */
  note: z.string().optional(),
  /** Miaosuan: no customer id is linked to this number yet (the agent may link one) */
  unlinked: z.boolean().optional(),
})
export type ProfileSection = z.infer<typeof profileSectionSchema>
