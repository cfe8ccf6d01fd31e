import { z } from 'zod'
import type { KeyValueCache } from '../db/ref-cache'

/**
 * Which Miaosuan customer a phone number is: no service tells us (the Data Center and the CDP
 * know nothing of Miaosuan ids), so an agent links them and the link is kept on this machine,
 * in the database of the profile in use (training links never reach production).
 */
const linkSchema = z.object({
  customerId: z.number().int().positive(),
  /** the 工号 that linked it */
  by: z.string(),
  at: z.string(),
})
export type MiaosuanLink = z.infer<typeof linkSchema>

const keyOf = (phone: string): string => `miaosuan-link:${phone.trim()}`

export class MiaosuanLinks {
  constructor(
    private readonly cache: KeyValueCache,
    private readonly now: () => Date = () => new Date(),
  ) {}

  get(phone: string): MiaosuanLink | null {
    const parsed = linkSchema.safeParse(this.cache.get(keyOf(phone)))
    return parsed.success ? parsed.data : null
  }

  set(phone: string, customerId: number, by: string): MiaosuanLink {
    const link = { customerId, by, at: this.now().toISOString() }
    this.cache.put(keyOf(phone), link)
    return link
  }
}
