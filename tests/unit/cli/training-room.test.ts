import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseSandboxArgs, sandboxAnnouncement } from '../../../electron/cli/sandbox'
import { startSandbox, type RunningSandbox } from '../../../electron/sandbox'
import { startWebApp, type RunningWebApp } from '../../../electron/bridge/web-app'
import { channelOf } from '../../../shared/ipc/channels'
import { parseStartWebArgs, readProfileFile } from '../../../scripts/start-web'

/**
 * A training room: one sandbox served to the room (`npm run sandbox -- --host ADDR`), each desktop
 * connected to it from the JSON line it prints (`npm run start:web -- --profile FILE`).
 */

let sb: RunningSandbox
let dir: string
beforeAll(async () => {
  sb = await startSandbox({ seed: 3, today: '2026-11-22' })
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-room-'))
  // the bridge serves a renderer; a page is enough here
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>desk</title>')
})
afterAll(async () => {
  await sb.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

describe('training room options', () => {
  it('the sandbox listens where the trainer says', () => {
    expect(parseSandboxArgs(['--host', '192.168.1.20'])).toEqual({ host: '192.168.1.20' })
    expect(parseSandboxArgs(['--host', 'a b'])).toEqual({
      error: expect.stringContaining('--host'),
    })
  })

  it('start:web takes a profile file instead of starting a sandbox', () => {
    expect(parseStartWebArgs(['--profile', 'room.json', '--data-dir', dir])).toMatchObject({
      profile: path.resolve('room.json'),
      dataDir: dir,
    })
    expect(parseStartWebArgs(['--profile'])).toEqual({ error: expect.stringContaining('需要') })
  })

  it('the line `npm run sandbox` prints is a profile a desktop connects with', async () => {
    const file = path.join(dir, 'room.json')
    fs.writeFileSync(file, `${sandboxAnnouncement(sb)}\n`)
    const profile = readProfileFile(file)
    expect(profile.weixin.baseUrl).toBe(sb.profile.weixin.baseUrl)
    expect(profile.datacenter?.appid).toBe(sb.profile.datacenter?.appid)
    expect(profile).not.toHaveProperty('sandbox')

    // two desktops, each its own data dir, on the one sandbox
    const desks: RunningWebApp[] = []
    const quiet = { info: () => {}, warn: () => {}, error: () => {} }
    try {
      for (const n of [1, 2]) {
        desks.push(
          await startWebApp({
            rendererDir: dir,
            dataDir: path.join(dir, `desk-${n}`),
            log: quiet,
            profile,
          }),
        )
      }
      const before = sb.servers.weixin.getRecords().length
      for (const desk of desks) {
        const r = await desk.dispatcher.dispatch(
          channelOf('session', 'login'),
          [{ userNum: '00006', password: '888', remember: false }],
          { senderUrl: `${desk.origin}/index.html` },
        )
        expect(r).toMatchObject({ ok: true })
      }
      const logins = sb.servers.weixin
        .getRecords()
        .slice(before)
        .filter((r) => r.key === 'login')
      expect(logins).toHaveLength(2)
    } finally {
      await Promise.all(desks.map((d) => d.close()))
    }
  })

  it('a missing or broken profile file is named', () => {
    expect(() => readProfileFile(path.join(dir, 'nope.json'))).toThrow()
    const bad = path.join(dir, 'bad.json')
    fs.writeFileSync(bad, '{"weixin": {}}')
    expect(() => readProfileFile(bad)).toThrow(/weixin/)
  })
})
