import fs from 'node:fs'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import {
  replaceFile,
  useTempJournal,
  writeFileAtomicSync,
} from '../../../electron/services/files/atomic-file'
import { TempJournal } from '../../../electron/services/files/temp-journal'

const dir = mkdtempSync(join(tmpdir(), 'temp-journal-'))
const journalFile = join(dir, 'temp-files.journal')

afterEach(() => {
  useTempJournal(null)
  fs.rmSync(journalFile, { force: true })
})

const tempsIn = (d: string): string[] => fs.readdirSync(d).filter((n) => n.endsWith('.tmp'))

describe('temp files left by a killed write', () => {
  it('an export cut off mid-write leaves its temp file; the next start removes it and says which', async () => {
    useTempJournal(new TempJournal(journalFile))
    const target = join(dir, '通话记录.csv')
    let wrote!: () => void
    const written = new Promise<void>((r) => (wrote = r))
    // the "killed" export: it has written customer data and never finishes
    void replaceFile(target, async (tmp) => {
      fs.writeFileSync(tmp, '13800138000,李先生\n')
      wrote()
      await new Promise(() => {})
    })
    await written
    const [left] = tempsIn(dir)
    expect(left).toBeDefined()

    // the next start: a new journal over the same file
    const removed = new TempJournal(journalFile).sweep()
    expect(removed).toEqual([join(dir, left!)])
    expect(tempsIn(dir)).toEqual([])
    expect(fs.existsSync(target)).toBe(false)
    expect(new TempJournal(journalFile).sweep()).toEqual([])
  })

  it('finished and failed writes leave nothing to sweep', async () => {
    useTempJournal(new TempJournal(journalFile))
    writeFileAtomicSync(join(dir, 'settings.json'), '{}')
    await replaceFile(join(dir, 'a.csv'), async (tmp) => fs.writeFileSync(tmp, 'x'))
    await expect(
      replaceFile(join(dir, 'b.csv'), async () => {
        throw new Error('disk full')
      }),
    ).rejects.toThrow('disk full')
    expect(new TempJournal(journalFile).sweep()).toEqual([])
    expect(fs.readFileSync(join(dir, 'a.csv'), 'utf8')).toBe('x')
  })

  it('never deletes a file that is not one of its own temp names, and survives a torn line', () => {
    const userFile = join(dir, 'important.xlsx')
    fs.writeFileSync(userFile, 'keep')
    fs.writeFileSync(journalFile, `${JSON.stringify({ op: 'begin', path: userFile })}\n{"op":"beg`)
    expect(new TempJournal(journalFile).sweep()).toEqual([])
    expect(fs.readFileSync(userFile, 'utf8')).toBe('keep')
  })
})
