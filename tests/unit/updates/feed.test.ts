import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import {
  FeedChecker,
  parseChannelFile,
  readAppUpdateConfig,
  UpdateError,
} from '../../../electron/services/updates'
import { channelYml, closedPort, startFeedServer, type FeedServer } from './support'

let feed: FeedServer | null = null
afterEach(async () => {
  await feed?.close()
  feed = null
})

async function failure(p: Promise<unknown>): Promise<UpdateError> {
  try {
    await p
  } catch (e) {
    expect(e).toBeInstanceOf(UpdateError)
    return e as UpdateError
  }
  throw new Error('expected a failure')
}

const win = (url: string) => new FeedChecker({ url, platform: 'win32' })

describe('FeedChecker against a local feed', () => {
  it('stable reads only latest.yml and offers a newer release', async () => {
    feed = await startFeedServer({
      'latest.yml': channelYml('1.3.0'),
      'beta.yml': channelYml('1.4.0-beta.1'),
    })
    const result = await win(feed.url).check('1.2.0', 'stable')
    expect(result.update).toMatchObject({
      version: '1.3.0',
      channelFile: 'latest',
      releaseDate: '2026-11-20T08:00:00.000Z',
    })
    expect(result.update?.files[0]).toMatchObject({
      url: 'callcenter-desk-1.3.0-win-setup.exe',
      size: 104857600,
    })
    expect(feed.hits).toEqual(['latest.yml'])
  })

  it('stable: nothing newer, nothing offered (no downgrade)', async () => {
    feed = await startFeedServer({ 'latest.yml': channelYml('1.1.0') })
    expect((await win(feed.url).check('1.2.0', 'stable')).update).toBeNull()
  })

  it('beta reads beta.yml and latest.yml and offers the newer', async () => {
    feed = await startFeedServer({
      'latest.yml': channelYml('1.3.0'),
      'beta.yml': channelYml('1.3.0-beta.4'),
    })
    const checker = win(feed.url)
    expect((await checker.check('1.2.0', 'beta')).update).toMatchObject({
      version: '1.3.0',
      channelFile: 'latest',
    })
    expect([...feed.hits].sort()).toEqual(['beta.yml', 'latest.yml'])

    feed.files.set('beta.yml', channelYml('1.4.0-beta.1'))
    expect((await checker.check('1.3.0', 'beta')).update).toMatchObject({
      version: '1.4.0-beta.1',
      channelFile: 'beta',
    })
  })

  it('beta still sees a stable release when beta.yml is missing', async () => {
    feed = await startFeedServer({ 'latest.yml': channelYml('1.3.0') })
    const result = await win(feed.url).check('1.2.0', 'beta')
    expect(result.update?.version).toBe('1.3.0')
  })

  it('macOS reads latest-mac.yml / beta-mac.yml', async () => {
    feed = await startFeedServer({
      'latest-mac.yml': channelYml('1.3.0'),
      'beta-mac.yml': channelYml('1.3.1-beta.1'),
    })
    const mac = new FeedChecker({ url: feed.url, platform: 'darwin' })
    expect((await mac.check('1.2.0', 'beta')).update?.version).toBe('1.3.1-beta.1')
    expect([...feed.hits].sort()).toEqual(['beta-mac.yml', 'latest-mac.yml'])
    expect(mac.channelFileName('latest')).toBe('latest-mac.yml')
    expect(
      new FeedChecker({ url: feed.url, platform: 'linux', arch: 'arm64' }).channelFileName('beta'),
    ).toBe('beta-linux-arm64.yml')
  })

  it('a missing channel file says so, naming the file', async () => {
    feed = await startFeedServer({})
    const e = await failure(win(feed.url).check('1.2.0', 'stable'))
    expect(e.code).toBe('channel-file-missing')
    expect(e.message).toMatch(/^更新通道文件不存在（latest\.yml）/)
    const beta = await failure(win(feed.url).check('1.2.0', 'beta'))
    // the channel's own file is named when both are missing
    expect(beta.message).toContain('beta.yml')
  })

  it('another HTTP status is reported with its number', async () => {
    feed = await startFeedServer({ 'latest.yml': { status: 503 } })
    const e = await failure(win(feed.url).check('1.2.0', 'stable'))
    expect(e.code).toBe('http')
    expect(e.message).toBe('更新服务器返回了 HTTP 503，请稍后再试')
  })

  it('bad YAML, a missing sha512 or an invalid version are a bad feed', async () => {
    feed = await startFeedServer({ 'latest.yml': 'version: [1.3.0\nfiles: {' })
    const bad = await failure(win(feed.url).check('1.2.0', 'stable'))
    expect(bad.code).toBe('bad-feed')
    expect(bad.message).toContain('更新信息格式错误（latest.yml）')

    feed.files.set('latest.yml', 'version: 1.3.0\nfiles:\n  - url: a.exe\n')
    expect((await failure(win(feed.url).check('1.2.0', 'stable'))).code).toBe('bad-feed')

    feed.files.set('latest.yml', channelYml('1.3'))
    expect((await failure(win(feed.url).check('1.2.0', 'stable'))).code).toBe('bad-feed')
  })

  it('an unreachable server is a network error', async () => {
    const port = await closedPort()
    const e = await failure(win(`http://127.0.0.1:${port}/feed/`).check('1.2.0', 'stable'))
    expect(e.code).toBe('network')
    expect(e.message).toBe('无法连接更新服务器，请检查网络后重试')
  })

  it('parseChannelFile keeps every file with its hash', () => {
    const r = parseChannelFile(channelYml('2.0.0', { file: 'x.zip' }), 'latest-mac.yml', 'latest')
    expect(r.files).toHaveLength(1)
    expect(r.files[0]?.sha512.length).toBeGreaterThan(40)
  })
})

describe('readAppUpdateConfig', () => {
  it('reads the generic URL electron-builder writes into app-update.yml', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-appupdate-'))
    const file = path.join(dir, 'app-update.yml')
    fs.writeFileSync(
      file,
      'provider: generic\nurl: https://download.example.cn/callcenter-desk/\nchannel: beta\nupdaterCacheDirName: callcenter-desk-updater\npublisherName:\n  - 示例公司\n',
    )
    expect(readAppUpdateConfig(file)).toEqual({
      url: 'https://download.example.cn/callcenter-desk/',
    })
    fs.writeFileSync(file, 'provider: github\nowner: x\nrepo: y\n')
    expect(readAppUpdateConfig(file)).toBeNull()
    expect(readAppUpdateConfig(path.join(dir, 'missing.yml'))).toBeNull()
    fs.rmSync(dir, { recursive: true, force: true })
  })
})
