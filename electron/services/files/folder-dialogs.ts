import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs'
import { extname, join } from 'node:path'
import type { FileDialogs } from '../ports'

/**
 * FileDialogs without a desktop: exports go to one folder, imports come from another (the newest
 * matching file). The web bridge and the tests use it; Electron main shows native dialogs.
 */
export class FolderFileDialogs implements FileDialogs {
  constructor(private readonly dirs: { exportDir: string; importDir: string }) {}

  async chooseSavePath(defaultName: string): Promise<string> {
    mkdirSync(this.dirs.exportDir, { recursive: true })
    return join(this.dirs.exportDir, defaultName)
  }

  async chooseOpenPath(formats: ('csv' | 'xlsx')[]): Promise<string | null> {
    let names: string[]
    try {
      names = readdirSync(this.dirs.importDir)
    } catch {
      return null
    }
    const candidates = names
      .filter((n) => formats.includes(extname(n).slice(1).toLowerCase() as 'csv' | 'xlsx'))
      .map((n) => join(this.dirs.importDir, n))
      .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)
    return candidates[0] ?? null
  }

  /** files: every matching file of the import folder (by name); folder: the folder itself */
  async chooseOpenPaths(formats: ('csv' | 'xlsx')[], pick: 'files' | 'folder'): Promise<string[]> {
    if (pick === 'folder') return existsSync(this.dirs.importDir) ? [this.dirs.importDir] : []
    let names: string[]
    try {
      names = readdirSync(this.dirs.importDir)
    } catch {
      return []
    }
    return names
      .filter((n) => formats.includes(extname(n).slice(1).toLowerCase() as 'csv' | 'xlsx'))
      .sort()
      .map((n) => join(this.dirs.importDir, n))
  }
}
