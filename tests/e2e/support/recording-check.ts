import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { expect } from 'vitest'
import { ok, type E2eSession } from './app-state'

export interface CheckedRecording {
  /** the file's path under the data dir */
  path: string
  bytes: number
  /** its length as a browser decodes it */
  seconds: number
}

/**
 * A call's recording as the app keeps it: exactly one file under `<dataDir>/recordings` named
 * with the number, the one its call-log row links to; decoded in `page` (any page with
 * WebAudio) for its length. Null when the number has no recording file at all.
 */
export async function recordingOfCall(
  s: E2eSession,
  page: Page,
  row: { phone: string; dialledAt: string | null; endedAt: string | null },
): Promise<CheckedRecording | null> {
  const root = join(s.env.dataDir, 'recordings')
  const files = readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((f) => f.isFile() && f.name.includes(row.phone))
    .map((f) => join(f.parentPath, f.name))
  if (files.length === 0) return null
  expect(files).toHaveLength(1)
  const linked = await ok(
    s.api.softphone.recordingOf({
      phone: row.phone,
      dialledAt: row.dialledAt!,
      endedAt: row.endedAt,
    }),
  )
  expect(join(root, linked!.file)).toBe(files[0])
  const path = files[0]!
  const seconds = await page.evaluate(async (b64) => {
    const data = Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0))
    const g = globalThis as unknown as {
      AudioContext: new () => {
        decodeAudioData(b: ArrayBuffer): Promise<{ duration: number }>
        close(): Promise<void>
      }
    }
    const ctx = new g.AudioContext()
    const audio = await ctx.decodeAudioData(data.buffer)
    await ctx.close()
    return audio.duration
  }, readFileSync(path).toString('base64'))
  return { path, bytes: statSync(path).size, seconds }
}
