import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import fsp, { type FileHandle } from 'node:fs/promises'
import path from 'node:path'
import type { TempJournal } from './temp-journal'

/**
 * Whole-file replacement: write a temp file beside the target, fsync it, rename it over the
 * target. A crash or a failure mid-write leaves the old file (or none), never a torn one. Used for
 * the small JSON files main keeps (settings, vault) and for the call-log exports, which stream.
 * The temp name is unique per call so two writers never share a temp file, and it sits in the
 * target's folder so the rename is atomic.
 */

function tempPathFor(file: string): string {
  return `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
}

// Set once by the services at start (see TempJournal): every temp file is announced before it
// exists, so one left by a killed process is removed at the next start.
let journal: TempJournal | null = null
export function useTempJournal(j: TempJournal | null): void {
  journal = j
}

export function writeFileAtomicSync(file: string, data: string | Uint8Array, mode = 0o600): void {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  const tmp = tempPathFor(file)
  journal?.begin(tmp)
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
  } finally {
    journal?.end(tmp)
  }
}

/** writeFileAtomicSync's async twin; the folder is created when missing. */
export async function writeFileAtomic(
  file: string,
  data: string | Uint8Array,
  mode = 0o600,
): Promise<void> {
  await fsp.mkdir(path.dirname(file), { recursive: true })
  await replaceFileWithHandle(file, (handle) => handle.writeFile(data), mode)
}

/**
 * Runs write to create the temp file at the path it is given (exclusively: flag 'wx'), then
 * fsyncs it and renames it over target. write must have closed the file when it settles.
 * On any failure (a cancel is one: write throws the signal's reason) the temp file is removed
 * and the error rethrown, so target is either the complete new file or untouched. The folder is
 * not created: an export's folder is the user's choice, and a missing one is an error.
 */
export function replaceFile(
  target: string,
  write: (tempPath: string) => Promise<void>,
): Promise<void> {
  return installTemp(target, async (tmp) => {
    await write(tmp)
    const handle = await fsp.open(tmp, 'r+')
    try {
      await handle.sync()
    } finally {
      await handle.close()
    }
  })
}

/**
 * replaceFile with the temp file open for write: created exclusively with mode (by default
 * Node's 0o666 less the umask), fsynced and closed afterwards.
 */
export function replaceFileWithHandle(
  target: string,
  write: (handle: FileHandle) => Promise<void>,
  mode?: number,
): Promise<void> {
  return installTemp(target, async (tmp) => {
    const handle = await fsp.open(tmp, 'wx', mode)
    try {
      await write(handle)
      await handle.sync()
    } finally {
      await handle.close()
    }
  })
}

/** fill writes and syncs the temp file; then it replaces target, or is removed on failure. */
async function installTemp(target: string, fill: (tmp: string) => Promise<void>): Promise<void> {
  const tmp = tempPathFor(target)
  journal?.begin(tmp)
  try {
    await fill(tmp)
    await fsp.rename(tmp, target)
  } catch (e) {
    // the write's error is the one worth reporting, not a failed cleanup's
    await fsp.rm(tmp, { force: true }).catch(() => {})
    throw e
  } finally {
    journal?.end(tmp)
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
