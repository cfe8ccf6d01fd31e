import { z } from 'zod'
import { dispensedPhoneSchema, type DispensedPhone } from '../../../shared/domain'
import { readFileSync } from 'node:fs'
import { moveAsideSync, writeFileAtomicSync } from '../files/atomic-file'
import type { Logger } from '../ports'

const fileSchema = z.object({
  version: z.literal(1),
  /** key: `${userId}:${packageId}` → numbers dispensed and not yet saved, oldest first */
  queues: z.record(z.string(), z.array(dispensedPhoneSchema)),
})

/**
 * Every number the server has dispensed to an agent and that has no saved result yet. The server
 * never hands a number out twice, so losing one here loses the customer: it is written to disk
 * before the screen sees it.
 */
export class DispensedStore {
  private queues = new Map<string, DispensedPhone[]>()

  constructor(
    private readonly file: string,
    log: Logger,
  ) {
    let text: string | undefined
    try {
      text = readFileSync(file, 'utf8')
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e
    }
    if (text === undefined) return
    try {
      const parsed = fileSchema.parse(JSON.parse(text))
      for (const [key, list] of Object.entries(parsed.queues)) this.queues.set(key, list)
    } catch (e) {
      // keep the damaged file for support rather than overwrite the only copy
      const aside = moveAsideSync(file, new Date())
      log.error(`dispensed numbers file is damaged; moved to ${aside ?? '(nowhere)'}`, e)
    }
  }

  private key(userId: number, packageId: number): string {
    return `${userId}:${packageId}`
  }

  size(userId: number, packageId: number): number {
    return this.queues.get(this.key(userId, packageId))?.length ?? 0
  }

  head(userId: number, packageId: number): DispensedPhone | null {
    return this.queues.get(this.key(userId, packageId))?.[0] ?? null
  }

  add(userId: number, phone: DispensedPhone): void {
    const key = this.key(userId, phone.packageId)
    const list = this.queues.get(key) ?? []
    if (list.some((p) => p.phoneId === phone.phoneId)) return
    this.queues.set(key, [...list, phone])
    this.persist()
  }

  remove(userId: number, packageId: number, phoneId: number): void {
    const key = this.key(userId, packageId)
    const list = this.queues.get(key)
    if (!list) return
    const rest = list.filter((p) => p.phoneId !== phoneId)
    if (rest.length === list.length) return
    if (rest.length === 0) this.queues.delete(key)
    else this.queues.set(key, rest)
    this.persist()
  }

  private persist(): void {
    writeFileAtomicSync(
      this.file,
      JSON.stringify({ version: 1, queues: Object.fromEntries(this.queues) }),
    )
  }
}
