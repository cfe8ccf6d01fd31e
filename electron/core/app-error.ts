import type { AppErrorInfo, AppErrorKind } from '../../shared/ipc/errors'

/** A failure of main's own (not a remote system's) that a service wants the screen to show. */
export class AppError extends Error {
  readonly kind: AppErrorKind
  readonly field?: string
  readonly code?: string | number
  readonly params?: Record<string, string | number>

  constructor(
    kind: AppErrorKind,
    message: string,
    extra?: {
      field?: string
      code?: string | number
      /** the values in the message, for the screen's wording of `code` in another language */
      params?: Record<string, string | number>
      cause?: unknown
    },
  ) {
    super(message, extra?.cause === undefined ? undefined : { cause: extra.cause })
    this.name = 'AppError'
    this.kind = kind
    if (extra?.field !== undefined) this.field = extra.field
    if (extra?.code !== undefined) this.code = extra.code
    if (extra?.params !== undefined) this.params = extra.params
  }

  toJSON(): AppErrorInfo {
    const out: AppErrorInfo = { kind: this.kind, message: this.message }
    if (this.field !== undefined) out.field = this.field
    if (this.code !== undefined) out.code = this.code
    if (this.params !== undefined) out.params = this.params
    return out
  }
}
