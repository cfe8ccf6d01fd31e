import { readFileSync } from 'node:fs'
import { z } from 'zod'
import { callDraftSchema, type CallDraft } from '../../../shared/domain'
import { moveAsideSync, writeFileAtomicSync } from '../files/atomic-file'
import type { Logger } from '../ports'

/** A draft nobody came back to within this long is dropped (its number went elsewhere). */
const KEEP_MS = 14 * 24 * 3600_000

const entrySchema = z.object({
  userId: z.number().int(),
  packageId: z.number().int(),
  phoneId: z.number().int(),
  draft: callDraftSchema,
  updatedAt: z.number(),
})
type Entry = z.infer<typeof entrySchema>
const fileSchema = z.object({ version: z.literal(1), drafts: z.array(entrySchema) })

/**
 * What an agent typed for a held number (outcome, note, intent, follow-up) and has not saved:
 * one draft per agent and number, on disk at every change, so leaving the screen, switching
 * package or a restart loses nothing. Saving the number's result removes its draft.
 */
export class DraftStore {
  private readonly drafts = new Map<string, Entry>()

  /** `file` null: kept in memory only (tests, a host without a data folder) */
  constructor(
    private readonly file: string | null,
    log: Logger,
    private readonly now: () => number = Date.now,
  ) {
    if (file === null) return
    let text: string | undefined
    try {
      text = readFileSync(file, 'utf8')
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e
    }
    if (text === undefined) return
    try {
      const parsed = fileSchema.parse(JSON.parse(text))
      const fresh = this.now() - KEEP_MS
      for (const e of parsed.drafts) if (e.updatedAt >= fresh) this.drafts.set(this.key(e), e)
    } catch (e) {
      // a damaged file is kept for support; the drafts are a convenience, the app goes on
      const aside = moveAsideSync(file, new Date(this.now()))
      log.error(`call drafts file is damaged; moved to ${aside ?? '(nowhere)'}`, e)
    }
  }

  private key(e: Pick<Entry, 'userId' | 'packageId' | 'phoneId'>): string {
    return `${e.userId}:${e.packageId}:${e.phoneId}`
  }

  get(userId: number, packageId: number, phoneId: number): CallDraft | null {
    return this.drafts.get(this.key({ userId, packageId, phoneId }))?.draft ?? null
  }

  put(userId: number, packageId: number, phoneId: number, draft: CallDraft): void {
    const entry = { userId, packageId, phoneId, draft, updatedAt: this.now() }
    if (isEmpty(draft)) {
      this.clear(userId, packageId, phoneId)
      return
    }
    this.drafts.set(this.key(entry), entry)
    this.persist()
  }

  clear(userId: number, packageId: number, phoneId: number): void {
    if (this.drafts.delete(this.key({ userId, packageId, phoneId }))) this.persist()
  }

  private persist(): void {
    if (this.file === null) return
    writeFileAtomicSync(
      this.file,
      JSON.stringify({ version: 1, drafts: [...this.drafts.values()] }),
    )
  }
}

/** nothing typed: the form as a new number shows it */
function isEmpty(d: CallDraft): boolean {
  return (
    d.callbackItem === '' &&
    d.notes.trim() === '' &&
    d.nextFollowDate === '' &&
    d.nextFollowContent.trim() === '' &&
    d.intent === 'C'
  )
}
