import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import fsp from 'node:fs/promises'
import path from 'node:path'

/**
 * Whole-file replacement for the small JSON files main keeps (settings, vault): write a temp file
 * beside the target, fsync it, rename it over the target. A crash mid-write leaves the old file,
 * never a torn one. The temp name is unique per call so two writers never share a temp file.
 */

function tempPathFor(file: string): string {
  return `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
}

export function writeFileAtomicSync(file: string, data: string | Uint8Array, mode = 0o600): void {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  const tmp = tempPathFor(file)
  try {
    const fd = fs.openSync(tmp, 'wx', mode)
    try {
      fs.writeFileSync(fd, data)
      fs.fsyncSync(fd)
    } finally {
      fs.closeSync(fd)
    }
    fs.renameSync(tmp, file)
  } catch (e) {
    fs.rmSync(tmp, { force: true })
    throw e
  }
}

export async function writeFileAtomic(
  file: string,
  data: string | Uint8Array,
  mode = 0o600,
): Promise<void> {
  await fsp.mkdir(path.dirname(file), { recursive: true })
  const tmp = tempPathFor(file)
  try {
    const handle = await fsp.open(tmp, 'wx', mode)
    try {
      await handle.writeFile(data)
      await handle.sync()
    } finally {
      await handle.close()
    }
    await fsp.rename(tmp, file)
  } catch (e) {
    await fsp.rm(tmp, { force: true })
    throw e
  }
}

/** `settings.json.corrupt-2025-01-31T08-00-00-000Z`: sortable, and legal on Windows too. */
export function corruptPathFor(file: string, now: Date): string {
  return `${file}.corrupt-${now.toISOString().replace(/[:.]/g, '-')}`
}

/**
 * Moves a damaged file out of the way (kept for diagnosis, never deleted) and returns where it
 * went, or null when it could not be moved.
 */
export function moveAsideSync(file: string, now: Date): string | null {
  const target = corruptPathFor(file, now)
  try {
    fs.renameSync(file, target)
    return target
  } catch {
    return null
  }
}
