import { readFileSync } from 'node:fs'
import { load } from 'js-yaml'
import semver from 'semver'
import { z } from 'zod'
import type { RemoteSystem } from '../../../shared/remote-error'
import { nodeHttpTransport, type HttpTransport } from '../../core/http/transport'
import type { Logger } from '../ports'
import { UpdateError, toUpdateError, updateTexts } from './errors'
import {
  chooseUpdate,
  channelFilesFor,
  isPrerelease,
  type ChannelFile,
  type ReleaseInfo,
  type UpdateChannel,
} from './policy'

/** The transport labels its own error texts by system; the feed replaces them with its own. */
const TRANSPORT_LABEL: RemoteSystem = 'weixin'
/** A channel file is a few hundred bytes; anything slow is a network problem. */
const DEFAULT_TIMEOUT_MS = 20_000

const channelFileSchema = z.object({
  version: z.string().refine((v) => semver.valid(v) !== null, '不是有效的版本号'),
  files: z
    .array(
      z.object({
        url: z.string().min(1),
        // electron-updater verifies downloads against it: a file without one is unusable
        sha512: z.string().min(40),
        size: z.number().int().nonnegative().optional(),
      }),
    )
    .min(1),
  // js-yaml reads an unquoted ISO timestamp as a string (core schema) and a quoted one too
  releaseDate: z.union([z.string(), z.date()]).optional(),
})

export interface FeedCheck {
  /** the release to offer, or null when the agent is up to date */
  update: ReleaseInfo | null
  /** every release read, for the log */
  seen: ReleaseInfo[]
}

/** What the update service needs from a feed; tests may stand in. */
export interface UpdateFeed {
  check(currentVersion: string, channel: UpdateChannel): Promise<FeedCheck>
}

export interface FeedCheckerOptions {
  /** the generic provider's base URL (publish.url of the builder config, app-update.yml) */
  url: string
  platform: NodeJS.Platform
  /** only Linux names its files by architecture */
  arch?: string
  transport?: HttpTransport
  timeoutMs?: number
  log?: Logger
}

/**
 * Reads the channel files of an electron-builder generic feed and decides, with semver, whether
 * there is something to offer. It is the one place the channel rules live; electron-updater is
 * then told exactly which channel file and version to download.
 */
export class FeedChecker implements UpdateFeed {
  private readonly base: string
  private readonly transport: HttpTransport

  constructor(private readonly opts: FeedCheckerOptions) {
    // new URL('latest.yml', base) would drop the last path segment without the slash
    this.base = opts.url.endsWith('/') ? opts.url : `${opts.url}/`
    this.transport = opts.transport ?? nodeHttpTransport
  }

  /** latest.yml / beta.yml on Windows, latest-mac.yml / beta-mac.yml on macOS (as the builder). */
  channelFileName(file: ChannelFile): string {
    const { platform } = this.opts
    if (platform === 'darwin') return `${file}-mac.yml`
    if (platform === 'linux') {
      const arch = this.opts.arch ?? 'x64'
      return `${file}-linux${arch === 'x64' ? '' : `-${arch}`}.yml`
    }
    return `${file}.yml`
  }

  async read(file: ChannelFile): Promise<ReleaseInfo> {
    const name = this.channelFileName(file)
    let text: string
    try {
      const url = new URL(name, this.base).toString()
      const res = await this.transport(TRANSPORT_LABEL, {
        method: 'GET',
        url,
        // a CDN must not answer with yesterday's channel file
        headers: { 'cache-control': 'no-cache', accept: 'application/x-yaml, text/yaml, */*' },
        timeoutMs: this.opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      })
      if (res.status === 404) {
        throw new UpdateError('channel-file-missing', updateTexts.channelFileMissing(name))
      }
      if (res.status !== 200) throw new UpdateError('http', updateTexts.http(res.status))
      text = res.text
    } catch (e) {
      throw toUpdateError(e, { file: name })
    }
    return parseChannelFile(text, name, file)
  }

  async check(currentVersion: string, channel: UpdateChannel): Promise<FeedCheck> {
    const files = channelFilesFor(channel)
    const results = await Promise.allSettled(files.map((f) => this.read(f)))
    const seen: ReleaseInfo[] = []
    const failures: UpdateError[] = []
    results.forEach((r, i) => {
      if (r.status === 'fulfilled') seen.push(r.value)
      else {
        const err = toUpdateError(r.reason)
        failures.push(err)
        this.opts.log?.warn('updates: a channel file could not be read', {
          file: this.channelFileName(files[i] ?? 'latest'),
          code: err.code,
        })
      }
    })
    // Beta reads two files: one is enough to decide. The channel's own file's error wins.
    if (seen.length === 0) throw failures[0] ?? new UpdateError('unknown', updateTexts.unknown)
    for (const r of seen) {
      if (r.channelFile === 'latest' && isPrerelease(r.version)) {
        this.opts.log?.warn('updates: latest channel file carries a prerelease; ignored', {
          version: r.version,
        })
      }
    }
    return { update: chooseUpdate(currentVersion, channel, seen), seen }
  }
}

/** A channel file's text → ReleaseInfo; bad YAML or a missing field → 'bad-feed'. */
export function parseChannelFile(text: string, fileName: string, file: ChannelFile): ReleaseInfo {
  let doc: unknown
  try {
    doc = load(text)
  } catch (e) {
    throw new UpdateError('bad-feed', updateTexts.badFeed(fileName), { cause: e })
  }
  const parsed = channelFileSchema.safeParse(doc)
  if (!parsed.success) {
    throw new UpdateError('bad-feed', updateTexts.badFeed(fileName), { cause: parsed.error })
  }
  const d = parsed.data
  const releaseDate =
    d.releaseDate instanceof Date ? d.releaseDate.toISOString() : (d.releaseDate ?? null)
  return {
    version: d.version,
    releaseDate,
    channelFile: file,
    files: d.files.map((f) => ({ url: f.url, sha512: f.sha512, size: f.size ?? null })),
  }
}

/**
 * The generic provider's URL from the app-update.yml electron-builder puts into a packaged app's
 * resources (the builder config's publish setting), or null when there is none (development).
 */
export function readAppUpdateConfig(file: string): { url: string } | null {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    return null
  }
  let doc: unknown
  try {
    doc = load(text)
  } catch {
    return null
  }
  const parsed = z.object({ provider: z.literal('generic'), url: z.url() }).safeParse(doc)
  return parsed.success ? { url: parsed.data.url } : null
}
