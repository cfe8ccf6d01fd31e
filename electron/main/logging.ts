import { ipcMain } from 'electron'
import log from 'electron-log/main'
import {
  createRedactor,
  rotateLogFiles,
  tailLogLines,
  type Redactor,
} from '../services/diagnostics/log-redact'
import type { Logger } from '../services/ports'

/**
 * The app's log: electron-log's file transport (main.log in the OS's log folder), rotated at
 * ~5 MB with a few archives kept, and a hook that runs every message through the redactor
 * before any transport sees it, so no secret reaches the disk or a diagnostics bundle.
 */

export interface MainLogging {
  /** the services' Logger (ports.ts) */
  logger: Logger
  /** electron-updater's logger: the same file and redaction, scope "updater" */
  updaterLogger: {
    info(m: string): void
    warn(m: string): void
    error(m: string): void
    debug(m: string): void
  }
  /** exact values never to log (the vault's secrets as they are read or stored) */
  addSecrets(values: Iterable<string | null | undefined>): void
  /** the last lines of the log file, for diagnostics */
  recentLines(max?: number): string[]
  /** the current log file's path */
  file(): string
}

export interface LoggingOptions {
  /** rotate when main.log exceeds this; 5 MB by default */
  maxSizeBytes?: number
  /** archives kept (main.1.log … main.N.log); 3 by default */
  keepArchives?: number
  /** what also goes to the terminal; 'info' in development, 'warn' when packaged */
  consoleLevel?: 'info' | 'warn' | 'error' | false
  /** log uncaught exceptions and rejections (redacted) instead of losing them */
  catchErrors?: boolean
  redactor?: Redactor
}

export function setupLogging(opts: LoggingOptions = {}): MainLogging {
  const redactor = opts.redactor ?? createRedactor()
  const keep = opts.keepArchives ?? 3

  const file = log.transports.file
  file.level = 'info'
  file.maxSize = opts.maxSizeBytes ?? 5 * 1024 * 1024
  file.archiveLogFn = (old) => {
    try {
      rotateLogFiles(old.path, keep)
    } catch (e) {
      // a locked archive (antivirus, an open editor) must not stop logging: start over instead
      console.error('log rotation failed', e)
      old.clear()
    }
  }
  log.transports.console.level = opts.consoleLevel ?? 'info'
  // Main's lines are not echoed to the renderer's devtools, and the renderer cannot write into
  // main's log: electron-log/main listens on its own IPC channel on import, outside the
  // contract and the sender check. The renderer reports through the contract instead.
  if (log.transports.ipc) log.transports.ipc.level = false
  ipcMain.removeAllListeners('__ELECTRON_LOG__')
  ipcMain.removeHandler('__ELECTRON_LOG__')

  // Runs before every transport: the file and the console get the same redacted message.
  log.hooks.push((message) => {
    message.data = message.data.map((d) => redactor.value(d))
    return message
  })

  if (opts.catchErrors ?? true) {
    log.errorHandler.startCatching({ showDialog: false })
  }

  const updater = log.scope('updater')
  return {
    logger: {
      info: (message, data) => (data === undefined ? log.info(message) : log.info(message, data)),
      warn: (message, data) => (data === undefined ? log.warn(message) : log.warn(message, data)),
      // errors by name, message and stack only (the hook scrubs them), never attached data
      error: (message, error) =>
        error === undefined ? log.error(message) : log.error(message, redactor.error(error)),
    },
    updaterLogger: {
      info: (m) => updater.info(m),
      warn: (m) => updater.warn(m),
      error: (m) => updater.error(m),
      debug: (m) => updater.debug(m),
    },
    addSecrets: (values) => redactor.addSecrets(values),
    recentLines: (max = 500) => tailLogLines(file.getFile().path, max),
    file: () => file.getFile().path,
  }
}
