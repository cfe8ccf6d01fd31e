import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { startWebApp, type RunningWebApp } from '../../../electron/bridge/web-app'
import { startSandbox, type RunningSandbox } from '../../../electron/sandbox'
import type { SeedWorld } from '../../../electron/sandbox/seed'
import type { Logger } from '../../../electron/services/ports'

export const REPO_ROOT = resolve(import.meta.dirname, '../../..')
export const RENDERER_DIR = join(REPO_ROOT, 'out', 'renderer')

export interface LogLine {
  level: 'info' | 'warn' | 'error'
  message: string
  data?: unknown
}

export interface E2eApp {
  sandbox: RunningSandbox
  app: RunningWebApp
  dataDir: string
  /** everything the app logged, for assertions and for failure output */
  logs: LogLine[]
  close(): Promise<void>
}

/**
 * What `npm run start:web` starts (startWebApp over the sandbox's profile), on free ports and a
 * temporary data directory that close() removes. `world`: the sandbox's world instead of the
 * seeded one (a file that needs its own package).
 */
export async function startE2eApp(opts: { world?: SeedWorld } = {}): Promise<E2eApp> {
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) {
    throw new Error('out/renderer is missing: run `npx electron-vite build` before the E2E tests')
  }
  const logs: LogLine[] = []
  const log: Logger = {
    info: (message, data) => void logs.push({ level: 'info', message, data }),
    warn: (message, data) => void logs.push({ level: 'warn', message, data }),
    error: (message, data) => void logs.push({ level: 'error', message, data }),
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'callcenter-web-'))
  const sandbox = await startSandbox({ world: opts.world })
  let app: RunningWebApp
  try {
    app = await startWebApp({
      rendererDir: RENDERER_DIR,
      dataDir,
      port: 0,
      log,
      profile: sandbox.profile,
    })
  } catch (e) {
    await sandbox.close()
    rmSync(dataDir, { recursive: true, force: true })
    throw e
  }
  return {
    sandbox,
    app,
    dataDir,
    logs,
    async close() {
      await app.close()
      await sandbox.close()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
