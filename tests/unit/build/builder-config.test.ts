import fs from 'node:fs'
import path from 'node:path'
import { crc32, inflateSync } from 'node:zlib'
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js'
import type { Configuration } from 'electron-builder'
import { load } from 'js-yaml'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { electronFuses } from '../../../build/fuses'
import { icnsTypes, parseSvg, pngSizes, rasterize } from '../../../scripts/build-icons'

/**
 * electron-builder cannot package here (no Electron binary), so the configuration is loaded the
 * way `electron-builder --config build/electron-builder.config.ts` loads it, validated against
 * electron-builder's own schema, and checked requirement by requirement.
 */

const root = path.resolve(import.meta.dirname, '../../..')
const CONFIG = 'build/electron-builder.config.ts'
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  name: string
  productName: string
}

type TargetSpec = { target: string; arch: string[] }
let config: Configuration

beforeAll(async () => {
  config = (await getConfig(root, CONFIG, null)) as Configuration
})

afterEach(() => {
  vi.unstubAllEnvs()
  vi.resetModules()
})

describe('electron-builder configuration', () => {
  it('is valid for electron-builder 26 (its own JSON schema)', async () => {
    await expect(
      validateConfiguration(config as never, { isEnabled: false, add: () => {} } as never),
    ).resolves.toBeUndefined()
  })

  it('identifies the app: appId and the product name of package.json', () => {
    expect(config.appId).toMatch(/^[a-z]+(\.[a-z0-9-]+)+$/)
    expect(config.productName).toBe(pkg.productName)
  })

  it('packages into asar with the fuses of build/fuses.ts', () => {
    expect(config.asar).toBe(true)
    expect(config.electronFuses).toEqual(electronFuses)
    expect(config.files).toBeDefined()
    expect(JSON.stringify(config.files)).toContain('out/**/*')
  })

  it('Windows: NSIS, per-user, for x64 and arm64, named with the version', () => {
    expect(config.win?.target).toEqual([{ target: 'nsis', arch: ['x64', 'arm64'] }])
    expect(config.nsis?.oneClick).toBe(true)
    expect(config.nsis?.perMachine).toBe(false)
    expect(config.nsis?.artifactName).toContain('${version}')
    expect(config.nsis?.deleteAppDataOnUninstall).toBe(false)
  })

  it('Windows: updates must be signed by the configured publisher', () => {
    const publisher = config.win?.signtoolOptions?.publisherName
    expect(typeof publisher === 'string' ? publisher : publisher?.[0]).toBeTruthy()
    expect(config.win?.verifyUpdateCodeSignature).not.toBe(false)
  })

  it('macOS: dmg and zip (electron-updater needs the zip), x64 and arm64, named with version and arch', () => {
    const targets = config.mac?.target as TargetSpec[]
    expect(targets.map((t) => t.target).sort()).toEqual(['dmg', 'zip'])
    for (const t of targets) expect(t.arch.sort()).toEqual(['arm64', 'x64'])
    for (const name of [config.mac?.artifactName, config.dmg?.artifactName]) {
      expect(name).toContain('${version}')
      // electron-updater tells arm64 from x64 files by "arm64" in the name
      expect(name).toContain('${arch}')
    }
    expect(config.mac?.hardenedRuntime).toBe(true)
    expect(config.mac?.notarize).toBe(true)
  })

  it('publishes to a generic feed whose channel follows the version', () => {
    const publish = config.publish as { provider: string; url: string; channel?: string }[]
    expect(publish).toHaveLength(1)
    expect(publish[0]?.provider).toBe('generic')
    expect(publish[0]?.url).toMatch(/^https:\/\//)
    // a fixed channel would put betas into latest.yml
    expect(publish[0]?.channel).toBeUndefined()
    expect(config.detectUpdateChannel).not.toBe(false)
    expect(config.generateUpdatesFilesForAllChannels).toBe(true)
  })

  it('a release build refuses to start without the feed URL and the publisher name', async () => {
    vi.stubEnv('FORCE_CODE_SIGNING', 'true')
    vi.stubEnv('UPDATE_FEED_URL', '')
    await expect(import('../../../build/electron-builder.config')).rejects.toThrow(
      /UPDATE_FEED_URL/,
    )

    vi.resetModules()
    vi.stubEnv('UPDATE_FEED_URL', 'https://download.example.cn/callcenter-desk/')
    vi.stubEnv('WIN_PUBLISHER_NAME', 'Example Co., Ltd.')
    const release = (await import('../../../build/electron-builder.config')).default
    expect(release.forceCodeSigning).toBe(true)
    expect(release.publish).toEqual([
      { provider: 'generic', url: 'https://download.example.cn/callcenter-desk/' },
    ])
    expect(release.win?.signtoolOptions?.publisherName).toBe('Example Co., Ltd.')
  })
})

// ---------------------------------------------------------------------------------------------
// icons: exist, are valid PNG / ICO / ICNS, and match build/icon.svg

/** a PNG's chunks checked (CRC, IHDR, IEND), its pixels decoded (RGBA, 8-bit, any filter) */
function decodePng(buf: Buffer): { width: number; height: number; rgba: Uint8Array } {
  expect(buf.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
  let offset = 8
  let width = 0
  let height = 0
  const idat: Buffer[] = []
  let ended = false
  while (offset < buf.length) {
    const len = buf.readUInt32BE(offset)
    const type = buf.toString('ascii', offset + 4, offset + 8)
    const data = buf.subarray(offset + 8, offset + 8 + len)
    expect(buf.readUInt32BE(offset + 8 + len), `${type} CRC`).toBe(
      crc32(buf.subarray(offset + 4, offset + 8 + len)),
    )
    if (type === 'IHDR') {
      width = data.readUInt32BE(0)
      height = data.readUInt32BE(4)
      expect([data[8], data[9]]).toEqual([8, 6]) // 8-bit RGBA
    }
    if (type === 'IDAT') idat.push(data)
    if (type === 'IEND') ended = true
    offset += 12 + len
  }
  expect(ended).toBe(true)
  const raw = inflateSync(Buffer.concat(idat))
  expect(raw.length).toBe(height * (1 + width * 4))
  const stride = width * 4
  const rgba = new Uint8Array(stride * height)
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!
    expect(filter).toBeLessThanOrEqual(4)
    for (let i = 0; i < stride; i++) {
      const x = raw[y * (stride + 1) + 1 + i]!
      const a = i >= 4 ? rgba[y * stride + i - 4]! : 0
      const b = y > 0 ? rgba[(y - 1) * stride + i]! : 0
      const c = i >= 4 && y > 0 ? rgba[(y - 1) * stride + i - 4]! : 0
      const p = a + b - c
      const paeth =
        Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c)
          ? a
          : Math.abs(p - b) <= Math.abs(p - c)
            ? b
            : c
      const predictor = [0, a, b, (a + b) >> 1, paeth][filter]!
      rgba[y * stride + i] = (x + predictor) & 0xff
    }
  }
  return { width, height, rgba }
}

function pngInfo(buf: Buffer): { width: number; height: number } {
  const { width, height } = decodePng(buf)
  return { width, height }
}

/** the largest difference of any channel of any pixel */
function maxDiff(a: Uint8Array, b: Uint8Array): number {
  expect(a.length).toBe(b.length)
  let max = 0
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!))
  return max
}

const iconsDir = path.join(root, 'build/icons')
const svg = () => parseSvg(fs.readFileSync(path.join(root, 'build/icon.svg'), 'utf8'))
const read = (name: string) => fs.readFileSync(path.join(iconsDir, name))

describe('icons', () => {
  it('the config points to icons that exist', () => {
    for (const p of [config.win?.icon, config.mac?.icon, config.linux?.icon]) {
      expect(p).toBeTruthy()
      expect(fs.existsSync(path.join(root, p!))).toBe(true)
    }
  })

  it.each(pngSizes.map((s) => [s]))('png/%ix%i.png is a valid PNG of that size', (size) => {
    expect(pngInfo(read(`png/${size}x${size}.png`))).toEqual({ width: size, height: size })
  })

  it('icon.ico holds 16–256 px images (bitmaps, and PNG for 256)', () => {
    const ico = read('icon.ico')
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1])
    const count = ico.readUInt16LE(4)
    const sizes: number[] = []
    for (let i = 0; i < count; i++) {
      const e = 6 + 16 * i
      const size = ico[e] === 0 ? 256 : ico[e]!
      const bytes = ico.readUInt32LE(e + 8)
      const offset = ico.readUInt32LE(e + 12)
      const data = ico.subarray(offset, offset + bytes)
      expect(offset + bytes).toBeLessThanOrEqual(ico.length)
      if (size === 256) expect(pngInfo(data)).toEqual({ width: 256, height: 256 })
      else {
        // BITMAPINFOHEADER: 32 bpp, height doubled for the AND mask
        expect([
          data.readUInt32LE(0),
          data.readInt32LE(4),
          data.readInt32LE(8),
          data.readUInt16LE(14),
        ]).toEqual([40, size, size * 2, 32])
        expect(bytes).toBe(40 + size * size * 4 + Math.ceil(size / 32) * 4 * size)
        // BGRA, bottom-up → RGBA, top-down: the same render as the PNGs
        const rgba = new Uint8Array(size * size * 4)
        for (let y = 0; y < size; y++) {
          for (let x = 0; x < size; x++) {
            const from = 40 + ((size - 1 - y) * size + x) * 4
            const to = (y * size + x) * 4
            rgba.set([data[from + 2]!, data[from + 1]!, data[from]!, data[from + 3]!], to)
          }
        }
        expect(
          maxDiff(rgba, rasterize(svg(), size)),
          `icon.ico ${size} px is stale`,
        ).toBeLessThanOrEqual(1)
      }
      sizes.push(size)
    }
    expect(sizes).toEqual(expect.arrayContaining([16, 24, 32, 48, 256]))
  })

  it('icon.icns holds PNG images 16–1024 px under their ICNS types', () => {
    const icns = read('icon.icns')
    expect(icns.toString('ascii', 0, 4)).toBe('icns')
    expect(icns.readUInt32BE(4)).toBe(icns.length)
    const seen = new Map<string, number>()
    for (let offset = 8; offset < icns.length;) {
      const type = icns.toString('ascii', offset, offset + 4)
      const len = icns.readUInt32BE(offset + 4)
      seen.set(type, pngInfo(icns.subarray(offset + 8, offset + len)).width)
      offset += len
    }
    expect(Object.fromEntries(seen)).toEqual(Object.fromEntries(icnsTypes))
  })

  it('the committed icons show what build/icon.svg renders to (npx tsx scripts/build-icons.ts)', () => {
    // pixels, not bytes: another zlib may compress the same image differently
    const source = svg()
    const rendered = new Map(pngSizes.map((size) => [size, rasterize(source, size)]))
    for (const size of pngSizes) {
      const png = decodePng(read(`png/${size}x${size}.png`))
      expect(
        maxDiff(png.rgba, rendered.get(size)!),
        `png/${size}x${size}.png is stale`,
      ).toBeLessThanOrEqual(1)
    }
    expect(read('icon.png').equals(read('png/1024x1024.png'))).toBe(true)
    // the ICNS images are the same renders
    const icns = read('icon.icns')
    for (let offset = 8; offset < icns.length;) {
      const len = icns.readUInt32BE(offset + 4)
      const img = decodePng(icns.subarray(offset + 8, offset + len))
      expect(
        maxDiff(img.rgba, rendered.get(img.width as (typeof pngSizes)[number])!),
      ).toBeLessThanOrEqual(1)
      offset += len
    }
  })
})

// ---------------------------------------------------------------------------------------------

describe('release workflow', () => {
  type Step = {
    run?: string
    uses?: string
    with?: Record<string, unknown>
    env?: Record<string, string>
    if?: string
  }
  type Job = {
    'runs-on': string
    steps: Step[]
    strategy?: { matrix: { include: { os: string }[] } }
    env?: Record<string, string>
  }
  const wf = load(fs.readFileSync(path.join(root, '.github/workflows/release.yml'), 'utf8')) as {
    on: { push: { tags: string[] } }
    jobs: Record<string, Job>
  }
  const pkgJob = wf.jobs.package!
  const runs = pkgJob.steps.map((s) => s.run ?? '').join('\n')

  it('runs on v* tags, on Windows and macOS runners with Node 24, npm ci and the tests', () => {
    expect(wf.on.push.tags).toEqual(['v*'])
    expect(pkgJob.strategy?.matrix.include.map((m) => m.os).sort()).toEqual([
      'macos-latest',
      'windows-latest',
    ])
    const node = pkgJob.steps.find((s) => s.uses?.startsWith('actions/setup-node'))
    expect(node?.with?.['node-version']).toBe(24)
    expect(runs).toContain('npm ci')
    expect(runs).toMatch(/npm run test/)
  })

  it('packages each platform with this config and --publish always, signing from secrets', () => {
    for (const flag of ['--win', '--mac']) {
      const step = pkgJob.steps.find((s) => s.run?.includes(flag))
      expect(step?.run).toContain(`electron-builder --config ${CONFIG} ${flag} --publish always`)
      expect(step?.env?.CSC_LINK).toMatch(/secrets\./)
      expect(step?.env?.CSC_KEY_PASSWORD).toMatch(/secrets\./)
    }
    const mac = pkgJob.steps.find((s) => s.run?.includes('--mac'))
    for (const k of ['APPLE_ID', 'APPLE_APP_SPECIFIC_PASSWORD', 'APPLE_TEAM_ID']) {
      expect(mac?.env?.[k]).toMatch(/secrets\./)
    }
    expect(pkgJob.env?.FORCE_CODE_SIGNING).toBe('true')
    expect(pkgJob.env?.WIN_PUBLISHER_NAME).toBeTruthy()
  })

  it('tells beta tags from stable ones (the channel follows the version)', () => {
    const check = wf.jobs.version!.steps.map((s) => s.run ?? '').join('\n')
    expect(check).toContain('-beta\\.')
    expect(check).toContain('package.json')
  })
})
