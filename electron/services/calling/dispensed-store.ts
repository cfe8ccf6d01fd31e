import { z } from 'zod'
import { dispensedPhoneSchema, type DispensedPhone } from '../../../shared/domain'
import { readFileSync } from 'node:fs'
import { moveAsideSync, writeFileAtomicSync } from '../files/atomic-file'
import type { Logger } from '../ports'

const fileSchema = z.object({
  version: z.literal(1),
  /**
   * key: `${profile}|${userId}:${packageId}` → numbers dispensed and not yet saved, oldest
   * first. Keys without a profile are from before profiles were kept (see adoptLegacy).
   */
  queues: z.record(z.string(), z.array(dispensedPhoneSchema)),
})

/**
 * Every number the server has dispensed to an agent and that has no saved result yet. The server
 * never hands a number out twice, so losing one here loses the customer: it is written to disk
 * before the screen sees it.
 */
export class DispensedStore {
  private queues = new Map<string, DispensedPhone[]>()

  /**
   * `profile`: the connection profile in use (connections/profile-key.ts). A number belongs to
   * the server that dispensed it: after a switch to another system, its numbers wait for it.
   */
  constructor(
    private readonly file: string,
    log: Logger,
    private readonly profile: () => string | null = () => null,
    /**
     * Whether this number's result is already saved (in the outbox). The save commits first
     * and the number leaves this file after: a kill between the two must not hand the number
     * out again, or it would be saved twice.
     */
    private readonly isSaved: (phone: DispensedPhone) => boolean = () => false,
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
    const profile = this.profile()
    if (profile !== null) this.adoptLegacy(profile)
    return `${profile ?? ''}|${userId}:${packageId}`
  }

  /**
   * Numbers kept before profiles were: a mode switch needed a restart then, so they are the
   * first profile's that is used after the upgrade.
   */
  private adoptLegacy(profile: string): void {
    const legacy = [...this.queues.keys()].filter((k) => !k.includes('|'))
    if (legacy.length === 0) return
    for (const k of legacy) {
      const list = this.queues.get(k) ?? []
      this.queues.delete(k)
      this.queues.set(`${profile}|${k}`, list)
    }
    this.persist()
  }

  size(userId: number, packageId: number): number {
    return this.queues.get(this.key(userId, packageId))?.length ?? 0
  }

  head(userId: number, packageId: number): DispensedPhone | null {
    for (;;) {
      const head = this.queues.get(this.key(userId, packageId))?.[0]
      if (!head) return null
      if (!this.isSaved(head)) return head
      this.remove(userId, packageId, head.phoneId)
    }
  }

  /** every number held for the package, the one on screen first */
  list(userId: number, packageId: number): DispensedPhone[] {
    return [...(this.queues.get(this.key(userId, packageId)) ?? [])]
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
