import { createHash } from 'node:crypto'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { NodeHttpExecutor } from 'builder-util/out/nodeHttpExecutor'
import { DigestTransform, HttpError, newError } from 'builder-util-runtime'
import { GenericProvider } from 'electron-updater/out/providers/GenericProvider'
import { afterEach, describe, expect, it } from 'vitest'
import { httpStatusError, networkError } from '../../../electron/core/errors'
import { toUpdateError, updateTexts } from '../../../electron/services/updates'
import { channelYml, startFeedServer, type FeedServer } from './support'

let feed: FeedServer | null = null
afterEach(async () => {
  await feed?.close()
  feed = null
})

/** electron-updater's own generic provider, reading the local feed over builder-util's Node HTTP */
function provider(
  url: string,
  channel: string,
  platform: NodeJS.Platform = 'win32',
): GenericProvider {
  const updater = { channel, isAddNoCacheQuery: false }
  return new GenericProvider(
    { provider: 'generic', url },
    updater as never,
    {
      isUseMultipleRangeRequest: false,
      platform,
      executor: new NodeHttpExecutor(),
    } as never,
  )
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p
  } catch (e) {
    return e
  }
  throw new Error('expected a rejection')
}

describe('electron-updater failures, produced by its own code, in the agent’s words', () => {
  it('a missing channel file (ERR_UPDATER_CHANNEL_FILE_NOT_FOUND) names the file', async () => {
    feed = await startFeedServer({ 'latest-mac.yml': channelYml('1.3.0') })
    const e = await rejection(provider(`${feed.url}/`, 'beta', 'darwin').getLatestVersion())
    expect((e as { code?: string }).code).toBe('ERR_UPDATER_CHANNEL_FILE_NOT_FOUND')
    const mapped = toUpdateError(e)
    expect(mapped.code).toBe('channel-file-missing')
    expect(mapped.message).toBe(updateTexts.channelFileMissing('beta-mac.yml'))
  })

  it('a channel file that is not YAML (ERR_UPDATER_INVALID_UPDATE_INFO) is a bad feed', async () => {
    feed = await startFeedServer({ 'latest.yml': 'version: [1.3.0\nfiles: {' })
    const e = await rejection(provider(`${feed.url}/`, 'latest').getLatestVersion())
    expect((e as { code?: string }).code).toBe('ERR_UPDATER_INVALID_UPDATE_INFO')
    expect(toUpdateError(e).message).toBe(updateTexts.badFeed('latest.yml'))
  })

  it('a sha512 mismatch (ERR_CHECKSUM_MISMATCH from DigestTransform)', async () => {
    const expected = createHash('sha512').update('the published installer').digest('base64')
    // the transform electron-updater streams every download through; it checks on flush
    const digest = new DigestTransform(expected)
    const e = await rejection(
      pipeline(Readable.from([Buffer.from('a tampered installer')]), digest),
    )
    expect((e as { code?: string }).code).toBe('ERR_CHECKSUM_MISMATCH')
    expect((e as Error).message).toMatch(/sha512 checksum mismatch/)
    expect(toUpdateError(e)).toMatchObject({ code: 'checksum', message: updateTexts.checksum })
  })

  it('a 404 for the installer itself (HttpError) is not a missing channel file', () => {
    const e = new HttpError(
      404,
      'Not Found\n"method: GET url: https://dl.example.cn/x/callcenter-desk-1.3.0-win-setup.exe"',
    )
    const mapped = toUpdateError(e)
    expect(mapped.code).toBe('not-found')
    expect(mapped.message).toContain('callcenter-desk-1.3.0-win-setup.exe')
    expect(toUpdateError(new HttpError(502)).message).toBe(updateTexts.http(502))
  })

  it('Windows: an installer not signed by the publisher (ERR_UPDATER_INVALID_SIGNATURE)', () => {
    const e = newError(
      'New version 1.3.0 is not signed by the application owner: publisherNames: 示例公司, raw info: {"Status":2}',
      'ERR_UPDATER_INVALID_SIGNATURE',
    )
    expect(toUpdateError(e)).toMatchObject({ code: 'signature', message: updateTexts.signature })
  })

  it('macOS: Squirrel cannot check an unsigned running app; or the update fails validation', () => {
    const unsigned = new Error('Could not get code signature for running application')
    expect(toUpdateError(unsigned)).toMatchObject({
      code: 'unsigned',
      message: updateTexts.unsigned,
    })
    const invalid = new Error(
      'Code signature at URL file:///…/置业外呼工作台.app/ did not pass validation: code failed to satisfy specified code requirement(s)',
    )
    expect(toUpdateError(invalid).code).toBe('signature')
  })

  it('network failures from Node and from Chromium’s net module', () => {
    expect(
      toUpdateError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))
        .code,
    ).toBe('network')
    expect(toUpdateError(new Error('net::ERR_INTERNET_DISCONNECTED')).message).toBe(
      updateTexts.network,
    )
    expect(toUpdateError(new Error('net::ERR_CONNECTION_TIMED_OUT')).message).toBe(
      updateTexts.timeout,
    )
    expect(toUpdateError(networkError('weixin', 'timeout', false)).code).toBe('timeout')
    expect(toUpdateError(Object.assign(new Error('write'), { code: 'ENOSPC' })).message).toBe(
      updateTexts.disk,
    )
  })

  it('the transport’s 404 on a channel file is a missing channel file', () => {
    expect(toUpdateError(httpStatusError('weixin', 404), { file: 'beta.yml' }).message).toBe(
      updateTexts.channelFileMissing('beta.yml'),
    )
  })

  it('anything else is a generic failure that points to diagnostics', () => {
    expect(toUpdateError(new Error('something odd'))).toMatchObject({
      code: 'unknown',
      message: updateTexts.unknown,
    })
  })
})
