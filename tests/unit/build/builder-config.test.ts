import fs from 'node:fs'
import path from 'node:path'
import { crc32, inflateSync } from 'node:zlib'
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js'
import type { Configuration } from 'electron-builder'
import { load } from 'js-yaml'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import png2icons from 'png2icons'
import { pngSizes, renderPng } from '../../../scripts/build-icons'

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
    expect(config.appId).toBe('cn.zhiye.callcenter-desk')
    expect(config.productName).toBe(pkg.productName)
  })

  it('packages electron-vite output only, into asar, without source maps', () => {
    expect(config.asar).toBe(true)
    expect(config.files).toEqual([{ filter: ['out/**/*', '!out/**/*.map', 'package.json'] }])
  })

  it('flips each fuse the packaged app needs, to the value named here', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      grantFileProtocolExtraPrivileges: false,
    })
  })

  it('Windows: NSIS, per-user, for x64 and arm64, named with the version', () => {
    expect(config.win?.target).toEqual([{ target: 'nsis', arch: ['x64', 'arm64'] }])
    expect(config.nsis?.oneClick).toBe(true)
    expect(config.nsis?.perMachine).toBe(false)
    expect(config.nsis?.artifactName).toBe('${name}-${version}-win-setup.${ext}')
    expect(config.nsis?.deleteAppDataOnUninstall).toBe(false)
    // per-user needs no administrator rights
    expect(config.win?.requestedExecutionLevel).toBe('asInvoker')
  })

  it('Windows: updates must be signed by the configured publisher', () => {
    // a local build (no WIN_PUBLISHER_NAME) names the product; CI sets the certificate's CN
    expect(config.win?.signtoolOptions?.publisherName).toBe('置业外呼工作台')
    expect(config.win?.signtoolOptions?.signingHashAlgorithms).toEqual(['sha256'])
    expect(config.win?.verifyUpdateCodeSignature).toBe(true)
  })

  it('macOS: dmg and zip (electron-updater needs the zip), x64 and arm64, named with version and arch', () => {
    const targets = config.mac?.target as TargetSpec[]
    expect(targets.map((t) => t.target).sort()).toEqual(['dmg', 'zip'])
    for (const t of targets) expect(t.arch.sort()).toEqual(['arm64', 'x64'])
    // electron-updater tells arm64 from x64 files by "arm64" in the name
    expect(config.mac?.artifactName).toBe('${name}-${version}-mac-${arch}.${ext}')
    expect(config.dmg?.artifactName).toBe('${name}-${version}-mac-${arch}.${ext}')
    expect(config.mac?.hardenedRuntime).toBe(true)
    expect(config.mac?.notarize).toBe(true)
  })

  it('publishes to a generic feed whose channel follows the version', () => {
    // a fixed channel would put betas into latest.yml: the entry has no channel key at all;
    // a local build points at a reserved name that never resolves
    expect(config.publish).toEqual([
      { provider: 'generic', url: 'https://updates.invalid/callcenter-desk/' },
    ])
    expect(config.detectUpdateChannel).toBe(true)
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
const svgText = () => fs.readFileSync(path.join(root, 'build/icon.svg'), 'utf8')
const read = (name: string) => fs.readFileSync(path.join(iconsDir, name))

/** ICO directory entries: size and the image bytes */
function icoEntries(ico: Buffer): { size: number; data: Buffer }[] {
  expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1])
  return Array.from({ length: ico.readUInt16LE(4) }, (_, i) => {
    const e = 6 + 16 * i
    const bytes = ico.readUInt32LE(e + 8)
    const offset = ico.readUInt32LE(e + 12)
    expect(offset + bytes).toBeLessThanOrEqual(ico.length)
    return { size: ico[e] === 0 ? 256 : ico[e]!, data: ico.subarray(offset, offset + bytes) }
  })
}

/** ICNS chunks: type → the chunk's payload */
function icnsChunks(icns: Buffer): Map<string, Buffer> {
  expect(icns.toString('ascii', 0, 4)).toBe('icns')
  expect(icns.readUInt32BE(4)).toBe(icns.length)
  const chunks = new Map<string, Buffer>()
  for (let offset = 8; offset < icns.length;) {
    const len = icns.readUInt32BE(offset + 4)
    chunks.set(icns.toString('ascii', offset, offset + 4), icns.subarray(offset + 8, offset + len))
    offset += len
  }
  return chunks
}

const isPng = (b: Buffer): boolean => b.subarray(1, 4).toString('ascii') === 'PNG'

/** a packed PNG's size from its IHDR (png2icons may store a palette image: any colour type) */
function packedPngSize(buf: Buffer): { width: number; height: number } {
  expect(buf.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
  expect(buf.toString('ascii', 12, 16)).toBe('IHDR')
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) }
}

describe('icons', () => {
  it('the config points to the generated icons', () => {
    expect(config.win?.icon).toBe('build/icons/icon.ico')
    expect(config.mac?.icon).toBe('build/icons/icon.icns')
    expect(config.linux?.icon).toBe('build/icons/png')
  })

  it.each(pngSizes.map((s) => [s, s]))('png/%ix%i.png is a valid PNG of that size', (size) => {
    expect(pngInfo(read(`png/${size}x${size}.png`))).toEqual({ width: size, height: size })
  })

  it('icon.ico holds 16–256 px images: 32-bit bitmaps below 64 px, PNG from 64 px', () => {
    const entries = icoEntries(read('icon.ico'))
    for (const { size, data } of entries) {
      if (size >= 64) {
        expect(isPng(data), `${size} px`).toBe(true)
        expect(packedPngSize(data)).toEqual({ width: size, height: size })
      } else {
        // BITMAPINFOHEADER: 32 bpp, height doubled for the AND mask
        expect([
          data.readUInt32LE(0),
          data.readInt32LE(4),
          data.readInt32LE(8),
          data.readUInt16LE(14),
        ]).toEqual([40, size, size * 2, 32])
      }
    }
    expect(entries.map((e) => e.size).sort((a, b) => a - b)).toEqual([
      16, 24, 32, 48, 64, 72, 96, 128, 256,
    ])
  })

  it('icon.icns holds PNG images 16@2x–1024 px under their ICNS types', () => {
    const chunks = icnsChunks(read('icon.icns'))
    const pngTypes = {
      ic11: 32,
      ic12: 64,
      ic07: 128,
      ic13: 256,
      ic08: 256,
      ic14: 512,
      ic09: 512,
      ic10: 1024,
    }
    for (const [type, size] of Object.entries(pngTypes)) {
      const data = chunks.get(type)
      expect(data, type).toBeDefined()
      expect(packedPngSize(data!), type).toEqual({ width: size, height: size })
    }
  })

  it('the committed PNGs show what build/icon.svg renders to (npm run icons)', () => {
    // pixels, not bytes, and one step of tolerance: the renderer may round differently per CPU
    const source = svgText()
    for (const size of pngSizes) {
      const committed = decodePng(read(`png/${size}x${size}.png`))
      const fresh = decodePng(renderPng(source, size))
      expect(
        maxDiff(committed.rgba, fresh.rgba),
        `png/${size}x${size}.png is stale`,
      ).toBeLessThanOrEqual(1)
    }
    expect(read('icon.png').equals(read('png/1024x1024.png'))).toBe(true)
  })

  it('icon.ico and icon.icns are packed from the committed icon.png (npm run icons)', () => {
    const master = read('icon.png')
    expect(
      png2icons.createICO(master, png2icons.BICUBIC2, 0, false, true)?.equals(read('icon.ico')),
    ).toBe(true)
    expect(png2icons.createICNS(master, png2icons.BICUBIC2, 0)?.equals(read('icon.icns'))).toBe(
      true,
    )
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
    expect(pkgJob.env?.WIN_PUBLISHER_NAME).toBe('${{ vars.WIN_PUBLISHER_NAME }}')
  })

  it('tells beta tags from stable ones (the channel follows the version)', () => {
    const check = wf.jobs.version!.steps.map((s) => s.run ?? '').join('\n')
    expect(check).toContain('-beta\\.')
    expect(check).toContain('package.json')
  })
})
