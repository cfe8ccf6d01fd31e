import { isRemoteError } from '../../core/errors'

/**
 * Every way an update can fail, each with the Chinese text the agent sees in the update banner.
 * Both the feed check (our own HTTP) and electron-updater's download (main) end up here, so one
 * failure reads the same whichever side noticed it.
 */
export type UpdateErrorCode =
  /** the channel file (latest.yml, beta-mac.yml…) is not on the server */
  | 'channel-file-missing'
  /** another file of the release answered 404 (installer not uploaded yet) */
  | 'not-found'
  | 'http'
  /** the channel file is not valid YAML or lacks version / files / sha512 */
  | 'bad-feed'
  | 'network'
  | 'timeout'
  /** sha512 of the downloaded file differs from the channel file's */
  | 'checksum'
  /** the downloaded installer is unsigned or signed by someone else */
  | 'signature'
  /** the running app itself is unsigned: macOS cannot update it */
  | 'unsigned'
  | 'disk'
  /** development build or web bridge: no installer to update */
  | 'unsupported'
  /** the server's version changed between the check and the download */
  | 'version-changed'
  | 'unknown'

export class UpdateError extends Error {
  constructor(
    readonly code: UpdateErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
    this.name = 'UpdateError'
  }
}

export const updateTexts = {
  channelFileMissing: (file: string) =>
    `更新通道文件不存在（${file}）：服务器上还没有发布该通道的版本，请联系管理员确认更新地址与更新通道`,
  notFound: (file: string | null) =>
    `更新文件不存在（HTTP 404${file ? `：${file}` : ''}）：新版本可能尚未发布完成，请稍后再试`,
  http: (status: number) => `更新服务器返回了 HTTP ${status}，请稍后再试`,
  badFeed: (file: string | null) =>
    `更新信息格式错误${file ? `（${file}）` : ''}，无法判断新版本，请联系管理员重新发布`,
  network: '无法连接更新服务器，请检查网络后重试',
  timeout: '连接更新服务器超时，请检查网络后重试',
  checksum:
    '下载的更新文件校验失败（sha512 不一致），已丢弃该文件；请稍后重试，如反复出现请联系管理员',
  signature: '更新安装包未签名或签名不属于本公司，已拒绝安装；请联系管理员',
  unsigned: '当前安装的版本未经代码签名，无法自动更新；请从公司提供的地址下载安装最新版本',
  disk: '磁盘空间不足，无法下载更新；请清理磁盘后重试',
  unsupported: '开发版本或网页版不支持自动更新，请使用安装包安装的版本',
  versionChanged: '服务器上的版本刚刚发生变化，请重新检查更新',
  unknown: '更新失败，请稍后重试；如持续出现，请导出诊断信息并联系支持',
  notDownloaded: '更新尚未下载完成，请先下载',
  refusedOnCall: '正在通话中：请先保存本次通话结果，再重启更新',
} as const

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'ECONNABORTED',
  'CERT_HAS_EXPIRED',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
])

interface ErrorLike {
  code?: unknown
  statusCode?: unknown
  message?: unknown
}

function fieldsOf(e: unknown): { code: string; status: number | null; message: string } {
  if (typeof e === 'string') return { code: '', status: null, message: e }
  if (e === null || typeof e !== 'object') return { code: '', status: null, message: String(e) }
  const x = e as ErrorLike
  return {
    code: typeof x.code === 'string' ? x.code : '',
    status: typeof x.statusCode === 'number' ? x.statusCode : null,
    message: typeof x.message === 'string' ? x.message : '',
  }
}

/** `Cannot find channel "beta-mac.yml" update info…` → beta-mac.yml */
function channelFileIn(message: string): string | null {
  return /"([^"]+\.yml)"/.exec(message)?.[1] ?? /([\w-]+\.yml)\b/.exec(message)?.[1] ?? null
}

/** the file name of the first URL in an HttpError's message, for a 404 */
function fileIn(message: string): string | null {
  const url = /https?:\/\/[^\s"']+/.exec(message)?.[0]
  if (!url) return null
  try {
    const name = new URL(url).pathname.split('/').pop()
    return name ? decodeURIComponent(name) : null
  } catch {
    return null
  }
}

/**
 * Any failure of a check, download or install → UpdateError with the agent's text. Knows the
 * feed's own errors, the transport's RemoteError, electron-updater's codes (ERR_UPDATER_…,
 * ERR_CHECKSUM_MISMATCH), builder-util-runtime's HttpError, Node and Chromium network errors and
 * Squirrel.Mac's code-signature messages.
 */
export function toUpdateError(e: unknown, context: { file?: string } = {}): UpdateError {
  if (e instanceof UpdateError) return e
  const wrap = (code: UpdateErrorCode, message: string) =>
    new UpdateError(code, message, { cause: e })

  if (isRemoteError(e)) {
    if (e.kind === 'http') {
      if (e.status === 404) {
        return context.file
          ? wrap('channel-file-missing', updateTexts.channelFileMissing(context.file))
          : wrap('not-found', updateTexts.notFound(null))
      }
      return wrap('http', updateTexts.http(e.status ?? 0))
    }
    if (e.kind === 'network') {
      return e.code === 'timeout'
        ? wrap('timeout', updateTexts.timeout)
        : wrap('network', updateTexts.network)
    }
  }

  const { code, status, message } = fieldsOf(e)
  switch (code) {
    case 'ERR_UPDATER_CHANNEL_FILE_NOT_FOUND': {
      const file = channelFileIn(message) ?? context.file ?? 'latest.yml'
      return wrap('channel-file-missing', updateTexts.channelFileMissing(file))
    }
    case 'ERR_UPDATER_INVALID_UPDATE_INFO':
    case 'ERR_UPDATER_INVALID_VERSION':
    case 'ERR_UPDATER_NO_FILES_PROVIDED':
    case 'ERR_UPDATER_LATEST_VERSION_NOT_FOUND':
      return wrap('bad-feed', updateTexts.badFeed(channelFileIn(message) ?? context.file ?? null))
    case 'ERR_CHECKSUM_MISMATCH':
      return wrap('checksum', updateTexts.checksum)
    case 'ERR_UPDATER_INVALID_SIGNATURE':
      return wrap('signature', updateTexts.signature)
    case 'ENOSPC':
      return wrap('disk', updateTexts.disk)
    case 'ETIMEDOUT':
    case 'ESOCKETTIMEDOUT':
      return wrap('timeout', updateTexts.timeout)
  }
  if (NETWORK_CODES.has(code)) return wrap('network', updateTexts.network)
  if (status !== null) {
    return status === 404
      ? wrap('not-found', updateTexts.notFound(fileIn(message)))
      : wrap('http', updateTexts.http(status))
  }

  // No code: match what electron-updater, Chromium's net module and Squirrel.Mac put in messages.
  if (/checksum mismatch|sha512 mismatch/i.test(message))
    return wrap('checksum', updateTexts.checksum)
  if (/not signed by the application owner/i.test(message)) {
    return wrap('signature', updateTexts.signature)
  }
  // Squirrel.Mac: the running app has no signature, so it cannot check the update's
  if (/could not get code signature for running application/i.test(message)) {
    return wrap('unsigned', updateTexts.unsigned)
  }
  // Squirrel.Mac: the update's signature does not satisfy the running app's requirement
  if (/code signature .*did not pass validation|code failed to satisfy/i.test(message)) {
    return wrap('signature', updateTexts.signature)
  }
  if (/net::ERR_(?:TIMED_OUT|CONNECTION_TIMED_OUT)/.test(message)) {
    return wrap('timeout', updateTexts.timeout)
  }
  if (/net::ERR_|ECONNREFUSED|ENOTFOUND|socket hang up/.test(message)) {
    return wrap('network', updateTexts.network)
  }
  if (/ENOSPC|no space left/i.test(message)) return wrap('disk', updateTexts.disk)
  return wrap('unknown', updateTexts.unknown)
}
