import fs from 'node:fs'

/**
 * Which temp files an atomic write has open, so the next start can remove what a killed process
 * left: an export's temp file holds customer data, and a kill (task manager, power loss) skips
 * the write's own cleanup. One JSON line per event; a `begin` is fsynced before the temp file is
 * created, an `end` need not be (a lost one only makes the sweep look for a file that is gone).
 */
export class TempJournal {
  constructor(private readonly file: string) {}

  begin(tempPath: string): void {
    this.append({ op: 'begin', path: tempPath }, true)
  }

  end(tempPath: string): void {
    this.append({ op: 'end', path: tempPath }, false)
  }

  /**
   * Removes every temp file begun and never ended (by an earlier process: call it before this
   * one writes), empties the journal and answers the paths it removed.
   */
  sweep(): string[] {
    let text = ''
    try {
      text = fs.readFileSync(this.file, 'utf8')
    } catch {
      return []
    }
    const open = new Set<string>()
    for (const line of text.split('\n')) {
      const entry = parseLine(line)
      if (!entry) continue // a torn last line: its file was never created
      if (entry.op === 'begin') open.add(entry.path)
      else open.delete(entry.path)
    }
    const removed: string[] = []
    for (const p of open) {
      if (!isOurTemp(p) || !fs.existsSync(p)) continue
      fs.rmSync(p, { force: true })
      removed.push(p)
    }
    fs.writeFileSync(this.file, '')
    return removed
  }

  // Best effort: an unwritable data folder must not stop an export to a writable one; the cost
  // is only that a temp file of this run would not be swept.
  private append(entry: JournalEntry, durable: boolean): void {
    try {
      const fd = fs.openSync(this.file, 'a', 0o600)
      try {
        fs.writeSync(fd, `${JSON.stringify(entry)}\n`)
        if (durable) fs.fsyncSync(fd)
      } finally {
        fs.closeSync(fd)
      }
    } catch {
      // see above
    }
  }
}

interface JournalEntry {
  op: 'begin' | 'end'
  path: string
}

function parseLine(line: string): JournalEntry | null {
  try {
    const v = JSON.parse(line) as Partial<JournalEntry>
    return (v.op === 'begin' || v.op === 'end') && typeof v.path === 'string'
      ? (v as JournalEntry)
      : null
  } catch {
    return null
  }
}

/** Only ever delete what our own tempPathFor names: a damaged journal must not name a user file. */
function isOurTemp(p: string): boolean {
  return /\.\d+\.[0-9a-f]{8}\.tmp$/.test(p)
}
