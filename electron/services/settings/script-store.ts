import { projectScriptsSchema, type ProjectScripts } from '../../../shared/connection-profile'
import type { KeyValueCache } from '../db/ref-cache'

const KEY = 'project-scripts'

/**
 * The projects' 话术 and 卖点 on this desktop: what the last imported connection profile carried,
 * or what a supervisor wrote here since. Kept in the database beside the other reference data; a
 * value that no longer parses reads as none.
 */
export class ProjectScriptStore {
  constructor(private readonly cache: KeyValueCache) {}

  get(): ProjectScripts {
    const parsed = projectScriptsSchema.safeParse(this.cache.get(KEY) ?? {})
    return parsed.success ? parsed.data : {}
  }

  /** throws AppError 'storage' when the database refuses the write */
  put(scripts: ProjectScripts): void {
    this.cache.put(KEY, scripts)
  }
}
