/**
 * build/icon.svg → build/icons/: PNGs 16–1024 rendered by resvg (png/NxN.png, as Linux wants
 * them, and icon.png), icon.ico (Windows, NSIS) and icon.icns (macOS) packed by png2icons from the
 * 1024 px render. Both libraries are plain npm packages (resvg's native build comes from the npm
 * registry) and deterministic, so `--check` can tell that the committed icons match the SVG.
 *
 *   npm run icons                            write build/icons/
 *   npx tsx scripts/build-icons.ts --check   exit 1 when build/icons/ is stale
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Resvg } from '@resvg/resvg-js'
import png2icons from 'png2icons'

export const pngSizes = [16, 24, 32, 48, 64, 128, 256, 512, 1024] as const

/** one size of the icon as a PNG, rendered from the SVG (not scaled from another size) */
export function renderPng(svgText: string, size: number): Buffer {
  return new Resvg(svgText, { fitTo: { mode: 'width', value: size } }).render().asPng()
}

/** every file of build/icons/, relative path → bytes */
export function renderIconSet(svgText: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>()
  for (const size of pngSizes) files.set(`png/${size}x${size}.png`, renderPng(svgText, size))
  const master = files.get('png/1024x1024.png')!
  files.set('icon.png', master)
  // forWinExe: bitmaps below 64 px, PNG above, as Windows' file dialogs want them in an .exe
  const ico = png2icons.createICO(master, png2icons.BICUBIC2, 0, false, true)
  const icns = png2icons.createICNS(master, png2icons.BICUBIC2, 0)
  if (!ico || !icns) throw new Error('png2icons could not read the 1024 px render')
  files.set('icon.ico', ico)
  files.set('icon.icns', icns)
  return files
}

export const iconPaths = {
  source: resolve(dirname(fileURLToPath(import.meta.url)), '../build/icon.svg'),
  outDir: resolve(dirname(fileURLToPath(import.meta.url)), '../build/icons'),
}

function main(args: string[]): number {
  const files = renderIconSet(readFileSync(iconPaths.source, 'utf8'))
  if (args.includes('--check')) {
    const stale = [...files].filter(([name, bytes]) => {
      try {
        return !readFileSync(join(iconPaths.outDir, name)).equals(bytes)
      } catch {
        return true
      }
    })
    for (const [name] of stale) console.error(`stale: build/icons/${name}`)
    return stale.length === 0 ? 0 : 1
  }
  for (const [name, bytes] of files) {
    const file = join(iconPaths.outDir, name)
    mkdirSync(dirname(file), { recursive: true })
    writeFileSync(file, bytes)
    console.log(`build/icons/${name} (${bytes.length} bytes)`)
  }
  return 0
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2))
}
