/**
 * build/icon.svg → build/icons/: PNGs 16–1024 (png/NxN.png, as Linux wants them, and icon.png),
 * icon.ico (Windows, NSIS) and icon.icns (macOS). No network and no native binaries: a small
 * rasteriser for the SVG subset the icon uses, PNG through node:zlib, ICO and ICNS containers
 * written by hand. The output is deterministic, so a test can tell that the committed icons
 * still match the SVG.
 *
 *   npx tsx scripts/build-icons.ts          write build/icons/
 *   npx tsx scripts/build-icons.ts --check  exit 1 when build/icons/ is stale
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { crc32, deflateSync } from 'node:zlib'

// ---------------------------------------------------------------------------------------------
// SVG subset → shapes (polygons in viewBox units)

type Matrix = [number, number, number, number, number, number]
type Point = [number, number]

interface Shape {
  /** closed rings, already transformed into viewBox units */
  rings: Point[][]
  rgb: [number, number, number]
  alpha: number
}

export interface ParsedSvg {
  width: number
  height: number
  shapes: Shape[]
}

const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0]
/** segments per curve or arc: far below a pixel of error at 1024 px for this icon */
const CURVE_SEGMENTS = 48

function multiply(m: Matrix, n: Matrix): Matrix {
  return [
    m[0] * n[0] + m[2] * n[1],
    m[1] * n[0] + m[3] * n[1],
    m[0] * n[2] + m[2] * n[3],
    m[1] * n[2] + m[3] * n[3],
    m[0] * n[4] + m[2] * n[5] + m[4],
    m[1] * n[4] + m[3] * n[5] + m[5],
  ]
}

function apply(m: Matrix, [x, y]: Point): Point {
  return [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]]
}

function numbers(s: string): number[] {
  return (s.match(/-?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?/gi) ?? []).map(Number)
}

function parseTransform(s: string | undefined): Matrix {
  let m = IDENTITY
  if (!s) return m
  for (const [, fn, args] of s.matchAll(/(\w+)\s*\(([^)]*)\)/g)) {
    const a = numbers(args ?? '')
    let t: Matrix
    switch (fn) {
      case 'translate':
        t = [1, 0, 0, 1, a[0] ?? 0, a[1] ?? 0]
        break
      case 'scale':
        t = [a[0] ?? 1, 0, 0, a[1] ?? a[0] ?? 1, 0, 0]
        break
      case 'rotate': {
        const r = ((a[0] ?? 0) * Math.PI) / 180
        const [cx, cy] = [a[1] ?? 0, a[2] ?? 0]
        t = multiply(
          multiply(
            [1, 0, 0, 1, cx, cy],
            [Math.cos(r), Math.sin(r), -Math.sin(r), Math.cos(r), 0, 0],
          ),
          [1, 0, 0, 1, -cx, -cy],
        )
        break
      }
      case 'matrix':
        t = [a[0] ?? 1, a[1] ?? 0, a[2] ?? 0, a[3] ?? 1, a[4] ?? 0, a[5] ?? 0]
        break
      default:
        throw new Error(`icon.svg: unsupported transform ${fn}()`)
    }
    m = multiply(m, t)
  }
  return m
}

function parseColor(s: string): [number, number, number] | null {
  if (s === 'none') return null
  const named: Record<string, string> = { white: '#ffffff', black: '#000000' }
  const hex = named[s.toLowerCase()] ?? s
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(hex)
  if (!m?.[1]) throw new Error(`icon.svg: unsupported colour ${s}`)
  const h = m[1].length === 3 ? [...m[1]].map((c) => c + c).join('') : m[1]
  return [parseInt(h.slice(0, 2), 16), parseInt(h.slice(2, 4), 16), parseInt(h.slice(4, 6), 16)]
}

function arcPoints(
  [x1, y1]: Point,
  rxIn: number,
  ryIn: number,
  phiDeg: number,
  largeArc: boolean,
  sweep: boolean,
  [x2, y2]: Point,
): Point[] {
  // SVG 1.1 implementation notes F.6.5: endpoint → centre parameterisation
  let rx = Math.abs(rxIn)
  let ry = Math.abs(ryIn)
  if (rx === 0 || ry === 0) return [[x2, y2]]
  const phi = (phiDeg * Math.PI) / 180
  const cos = Math.cos(phi)
  const sin = Math.sin(phi)
  const dx = (x1 - x2) / 2
  const dy = (y1 - y2) / 2
  const xp = cos * dx + sin * dy
  const yp = -sin * dx + cos * dy
  const lambda = (xp * xp) / (rx * rx) + (yp * yp) / (ry * ry)
  if (lambda > 1) {
    rx *= Math.sqrt(lambda)
    ry *= Math.sqrt(lambda)
  }
  const num = rx * rx * ry * ry - rx * rx * yp * yp - ry * ry * xp * xp
  const den = rx * rx * yp * yp + ry * ry * xp * xp
  let k = Math.sqrt(Math.max(0, num / den))
  if (largeArc === sweep) k = -k
  const cxp = (k * rx * yp) / ry
  const cyp = (-k * ry * xp) / rx
  const cx = cos * cxp - sin * cyp + (x1 + x2) / 2
  const cy = sin * cxp + cos * cyp + (y1 + y2) / 2
  const angle = (ux: number, uy: number, vx: number, vy: number): number =>
    Math.atan2(ux * vy - uy * vx, ux * vx + uy * vy)
  const t1 = angle(1, 0, (xp - cxp) / rx, (yp - cyp) / ry)
  let dt = angle((xp - cxp) / rx, (yp - cyp) / ry, (-xp - cxp) / rx, (-yp - cyp) / ry)
  if (!sweep && dt > 0) dt -= 2 * Math.PI
  if (sweep && dt < 0) dt += 2 * Math.PI
  const out: Point[] = []
  for (let i = 1; i <= CURVE_SEGMENTS; i++) {
    const t = t1 + (dt * i) / CURVE_SEGMENTS
    const ex = rx * Math.cos(t)
    const ey = ry * Math.sin(t)
    out.push([cos * ex - sin * ey + cx, sin * ex + cos * ey + cy])
  }
  return out
}

function cubic(p0: Point, p1: Point, p2: Point, p3: Point): Point[] {
  const out: Point[] = []
  for (let i = 1; i <= CURVE_SEGMENTS; i++) {
    const t = i / CURVE_SEGMENTS
    const u = 1 - t
    out.push([
      u * u * u * p0[0] + 3 * u * u * t * p1[0] + 3 * u * t * t * p2[0] + t * t * t * p3[0],
      u * u * u * p0[1] + 3 * u * u * t * p1[1] + 3 * u * t * t * p2[1] + t * t * t * p3[1],
    ])
  }
  return out
}

function quadratic(p0: Point, p1: Point, p2: Point): Point[] {
  return cubic(
    p0,
    [p0[0] + (2 / 3) * (p1[0] - p0[0]), p0[1] + (2 / 3) * (p1[1] - p0[1])],
    [p2[0] + (2 / 3) * (p1[0] - p2[0]), p2[1] + (2 / 3) * (p1[1] - p2[1])],
    p2,
  )
}

/** path data → rings (untransformed) */
export function pathRings(d: string): Point[][] {
  const tokens = d.match(/[a-df-z]|-?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?/gi) ?? []
  const rings: Point[][] = []
  let ring: Point[] = []
  let cur: Point = [0, 0]
  let start: Point = [0, 0]
  let lastCtrl: Point | null = null
  let lastCmd = ''
  let i = 0
  let cmd = ''
  const num = (): number => {
    const t = tokens[i++]
    if (t === undefined || /[a-z]/i.test(t)) throw new Error(`icon.svg: bad path data near "${t}"`)
    return Number(t)
  }
  const close = (): void => {
    if (ring.length > 2) rings.push(ring)
    ring = []
  }
  while (i < tokens.length) {
    const t = tokens[i] ?? ''
    if (/[a-z]/i.test(t)) {
      cmd = t
      i++
    } else if (cmd === 'M') cmd = 'L'
    else if (cmd === 'm') cmd = 'l'
    const rel = cmd === cmd.toLowerCase()
    const at = (x: number, y: number): Point => (rel ? [cur[0] + x, cur[1] + y] : [x, y])
    switch (cmd.toUpperCase()) {
      case 'M': {
        close()
        cur = at(num(), num())
        start = cur
        ring = [cur]
        break
      }
      case 'L':
        cur = at(num(), num())
        ring.push(cur)
        break
      case 'H':
        cur = [rel ? cur[0] + num() : num(), cur[1]]
        ring.push(cur)
        break
      case 'V':
        cur = [cur[0], rel ? cur[1] + num() : num()]
        ring.push(cur)
        break
      case 'C': {
        const c1 = at(num(), num())
        const c2 = at(num(), num())
        const end = at(num(), num())
        ring.push(...cubic(cur, c1, c2, end))
        lastCtrl = c2
        cur = end
        break
      }
      case 'S': {
        const c1: Point =
          lastCtrl && 'CS'.includes(lastCmd.toUpperCase())
            ? [2 * cur[0] - lastCtrl[0], 2 * cur[1] - lastCtrl[1]]
            : cur
        const c2 = at(num(), num())
        const end = at(num(), num())
        ring.push(...cubic(cur, c1, c2, end))
        lastCtrl = c2
        cur = end
        break
      }
      case 'Q': {
        const c = at(num(), num())
        const end = at(num(), num())
        ring.push(...quadratic(cur, c, end))
        lastCtrl = c
        cur = end
        break
      }
      case 'T': {
        const c: Point =
          lastCtrl && 'QT'.includes(lastCmd.toUpperCase())
            ? [2 * cur[0] - lastCtrl[0], 2 * cur[1] - lastCtrl[1]]
            : cur
        const end = at(num(), num())
        ring.push(...quadratic(cur, c, end))
        lastCtrl = c
        cur = end
        break
      }
      case 'A': {
        const rx = num()
        const ry = num()
        const rot = num()
        const large = num() !== 0
        const sweep = num() !== 0
        const end = at(num(), num())
        ring.push(...arcPoints(cur, rx, ry, rot, large, sweep, end))
        cur = end
        break
      }
      case 'Z':
        close()
        // a command after Z without M starts the next subpath where this one started
        cur = start
        ring = [start]
        break
      default:
        throw new Error(`icon.svg: unsupported path command ${cmd || t}`)
    }
    if (!'CSQT'.includes(cmd.toUpperCase())) lastCtrl = null
    lastCmd = cmd
  }
  close()
  return rings
}

function roundedRect(
  x: number,
  y: number,
  w: number,
  h: number,
  rxIn: number,
  ryIn: number,
): Point[] {
  const rx = Math.min(rxIn, w / 2)
  const ry = Math.min(ryIn, h / 2)
  if (rx <= 0 || ry <= 0) {
    return [
      [x, y],
      [x + w, y],
      [x + w, y + h],
      [x, y + h],
    ]
  }
  const out: Point[] = []
  const corner = (cx: number, cy: number, from: number): void => {
    for (let i = 0; i <= CURVE_SEGMENTS / 4; i++) {
      const t = from + ((Math.PI / 2) * i) / (CURVE_SEGMENTS / 4)
      out.push([cx + rx * Math.cos(t), cy + ry * Math.sin(t)])
    }
  }
  corner(x + w - rx, y + ry, -Math.PI / 2)
  corner(x + w - rx, y + h - ry, 0)
  corner(x + rx, y + h - ry, Math.PI / 2)
  corner(x + rx, y + ry, Math.PI)
  return out
}

function ellipse(cx: number, cy: number, rx: number, ry: number): Point[] {
  const n = CURVE_SEGMENTS * 4
  return Array.from({ length: n }, (_, i): Point => {
    const t = (2 * Math.PI * i) / n
    return [cx + rx * Math.cos(t), cy + ry * Math.sin(t)]
  })
}

interface Style {
  fill: [number, number, number] | null
  fillOpacity: number
  opacity: number
  matrix: Matrix
}

export function parseSvg(text: string): ParsedSvg {
  const source = text.replace(/<!--[\s\S]*?-->/g, '').replace(/<\?[\s\S]*?\?>/g, '')
  const stack: Style[] = [{ fill: [0, 0, 0], fillOpacity: 1, opacity: 1, matrix: IDENTITY }]
  const shapes: Shape[] = []
  let width = 0
  let height = 0
  let root: Matrix = IDENTITY
  for (const [, closing, name, attrText, selfClosing] of source.matchAll(
    /<(\/?)([a-zA-Z]+)([^>]*?)(\/?)>/g,
  )) {
    if (!name) continue
    if (closing) {
      if (name === 'g' || name === 'svg') stack.pop()
      continue
    }
    const attrs: Record<string, string> = {}
    for (const [, k, v] of (attrText ?? '').matchAll(/([\w:-]+)\s*=\s*"([^"]*)"/g)) {
      if (k) attrs[k] = v ?? ''
    }
    if (attrs.style !== undefined || attrs.class !== undefined) {
      throw new Error(`icon.svg: <${name}> uses CSS; use presentation attributes`)
    }
    const parent = stack.at(-1) ?? stack[0]!
    const style: Style = {
      fill: attrs.fill !== undefined ? parseColor(attrs.fill) : parent.fill,
      fillOpacity:
        attrs['fill-opacity'] !== undefined ? Number(attrs['fill-opacity']) : parent.fillOpacity,
      opacity: parent.opacity * (attrs.opacity !== undefined ? Number(attrs.opacity) : 1),
      matrix: multiply(parent.matrix, parseTransform(attrs.transform)),
    }
    const n = (k: string, dflt = 0): number => (attrs[k] === undefined ? dflt : Number(attrs[k]))
    let rings: Point[][] | null = null
    switch (name) {
      case 'svg': {
        const vb = numbers(attrs.viewBox ?? '')
        width = n('width', vb[2] ?? 0)
        height = n('height', vb[3] ?? 0)
        if (vb.length === 4) {
          root = [width / (vb[2] ?? width), 0, 0, height / (vb[3] ?? height), 0, 0]
          root = multiply(root, [1, 0, 0, 1, -(vb[0] ?? 0), -(vb[1] ?? 0)])
        }
        style.matrix = multiply(root, style.matrix)
        if (!selfClosing) stack.push(style)
        continue
      }
      case 'g':
        if (!selfClosing) stack.push(style)
        continue
      case 'rect': {
        const rx = attrs.rx !== undefined ? n('rx') : n('ry')
        const ry = attrs.ry !== undefined ? n('ry') : rx
        rings = [roundedRect(n('x'), n('y'), n('width'), n('height'), rx, ry)]
        break
      }
      case 'circle':
        rings = [ellipse(n('cx'), n('cy'), n('r'), n('r'))]
        break
      case 'ellipse':
        rings = [ellipse(n('cx'), n('cy'), n('rx'), n('ry'))]
        break
      case 'polygon': {
        const p = numbers(attrs.points ?? '')
        const ring: Point[] = []
        for (let i = 0; i + 1 < p.length; i += 2) ring.push([p[i] ?? 0, p[i + 1] ?? 0])
        rings = [ring]
        break
      }
      case 'path':
        rings = pathRings(attrs.d ?? '')
        break
      default:
        throw new Error(`icon.svg: unsupported element <${name}>`)
    }
    if (!style.fill) continue
    shapes.push({
      rings: rings.map((r) => r.map((p) => apply(style.matrix, p))),
      rgb: style.fill,
      alpha: style.fillOpacity * style.opacity,
    })
  }
  if (!width || !height)
    throw new Error('icon.svg: the <svg> element needs width/height or a viewBox')
  return { width, height, shapes }
}

// ---------------------------------------------------------------------------------------------
// Rasteriser: nonzero fill, 16 sub-scanlines per pixel row, exact horizontal coverage

const SUBSAMPLES = 16

/** RGBA, straight alpha, 8 bits per channel */
export function rasterize(svg: ParsedSvg, size: number): Uint8Array {
  const sx = size / svg.width
  const sy = size / svg.height
  // premultiplied floating-point canvas
  const canvas = new Float64Array(size * size * 4)
  const cover = new Float64Array(size + 1)
  for (const shape of svg.shapes) {
    const edges: { x0: number; y0: number; x1: number; y1: number; dir: number }[] = []
    let minY = Infinity
    let maxY = -Infinity
    for (const ring of shape.rings) {
      for (let i = 0; i < ring.length; i++) {
        const a = ring[i]!
        const b = ring[(i + 1) % ring.length]!
        const [ax, ay, bx, by] = [a[0] * sx, a[1] * sy, b[0] * sx, b[1] * sy]
        if (ay === by) continue
        edges.push(
          ay < by
            ? { x0: ax, y0: ay, x1: bx, y1: by, dir: 1 }
            : { x0: bx, y0: by, x1: ax, y1: ay, dir: -1 },
        )
        minY = Math.min(minY, ay, by)
        maxY = Math.max(maxY, ay, by)
      }
    }
    const rowFrom = Math.max(0, Math.floor(minY))
    const rowTo = Math.min(size - 1, Math.ceil(maxY))
    const [r, g, b] = shape.rgb.map((c) => c / 255) as [number, number, number]
    for (let row = rowFrom; row <= rowTo; row++) {
      cover.fill(0)
      let touched = false
      for (let k = 0; k < SUBSAMPLES; k++) {
        const y = row + (k + 0.5) / SUBSAMPLES
        const hits: { x: number; dir: number }[] = []
        for (const e of edges) {
          if (y < e.y0 || y >= e.y1) continue
          hits.push({ x: e.x0 + ((y - e.y0) / (e.y1 - e.y0)) * (e.x1 - e.x0), dir: e.dir })
        }
        if (hits.length < 2) continue
        hits.sort((p, q) => p.x - q.x)
        let winding = 0
        for (let h = 0; h < hits.length - 1; h++) {
          winding += hits[h]!.dir
          if (winding === 0) continue
          const xa = Math.max(0, hits[h]!.x)
          const xb = Math.min(size, hits[h + 1]!.x)
          if (xb <= xa) continue
          touched = true
          for (let px = Math.floor(xa); px < Math.ceil(xb) && px < size; px++) {
            cover[px]! += (Math.min(xb, px + 1) - Math.max(xa, px)) / SUBSAMPLES
          }
        }
      }
      if (!touched) continue
      for (let px = 0; px < size; px++) {
        const c = cover[px]!
        if (c <= 0) continue
        const a = Math.min(1, c) * shape.alpha
        const o = (row * size + px) * 4
        canvas[o] = r * a + canvas[o]! * (1 - a)
        canvas[o + 1] = g * a + canvas[o + 1]! * (1 - a)
        canvas[o + 2] = b * a + canvas[o + 2]! * (1 - a)
        canvas[o + 3] = a + canvas[o + 3]! * (1 - a)
      }
    }
  }
  const out = new Uint8Array(size * size * 4)
  for (let i = 0; i < size * size; i++) {
    const a = canvas[i * 4 + 3]!
    out[i * 4 + 3] = Math.round(a * 255)
    if (a <= 0) continue
    for (let c = 0; c < 3; c++)
      out[i * 4 + c] = Math.round(Math.min(1, canvas[i * 4 + c]! / a) * 255)
  }
  return out
}

// ---------------------------------------------------------------------------------------------
// Encoders: PNG, ICO, ICNS

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8)
  head.writeUInt32BE(data.length, 0)
  head.write(type, 4, 'ascii')
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0)
  return Buffer.concat([head, data, crc])
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c
  const pa = Math.abs(p - a)
  const pb = Math.abs(p - b)
  const pc = Math.abs(p - c)
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c
}

/** RGBA 8-bit → PNG, each row with the filter that makes it smallest (sum of abs heuristic) */
export function encodePng(rgba: Uint8Array, width: number, height: number): Buffer {
  const stride = width * 4
  const raw = Buffer.alloc((stride + 1) * height)
  const candidate = Buffer.alloc(stride)
  for (let y = 0; y < height; y++) {
    const line = rgba.subarray(y * stride, (y + 1) * stride)
    const prev = y > 0 ? rgba.subarray((y - 1) * stride, y * stride) : null
    let best = 0
    let bestScore = Infinity
    let bestBytes = Buffer.from(line)
    for (let f = 0; f <= 4; f++) {
      let score = 0
      for (let i = 0; i < stride; i++) {
        const left = i >= 4 ? line[i - 4]! : 0
        const up = prev ? prev[i]! : 0
        const upLeft = prev && i >= 4 ? prev[i - 4]! : 0
        const predictor =
          f === 0
            ? 0
            : f === 1
              ? left
              : f === 2
                ? up
                : f === 3
                  ? (left + up) >> 1
                  : paeth(left, up, upLeft)
        const v = (line[i]! - predictor) & 0xff
        candidate[i] = v
        score += v < 128 ? v : 256 - v
      }
      if (score < bestScore) {
        bestScore = score
        best = f
        bestBytes = Buffer.from(candidate)
      }
    }
    raw[y * (stride + 1)] = best
    bestBytes.copy(raw, y * (stride + 1) + 1)
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr[8] = 8 // bit depth
  ihdr[9] = 6 // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

/** a 32-bit BMP (DIB) image for an ICO entry: BGRA bottom-up, then the 1-bit AND mask */
function icoBitmap(rgba: Uint8Array, size: number): Buffer {
  const header = Buffer.alloc(40)
  const maskStride = Math.ceil(size / 32) * 4
  header.writeUInt32LE(40, 0)
  header.writeInt32LE(size, 4)
  header.writeInt32LE(size * 2, 8) // XOR image + AND mask
  header.writeUInt16LE(1, 12)
  header.writeUInt16LE(32, 14)
  header.writeUInt32LE(size * size * 4 + maskStride * size, 20)
  const pixels = Buffer.alloc(size * size * 4)
  const mask = Buffer.alloc(maskStride * size)
  for (let y = 0; y < size; y++) {
    const src = size - 1 - y
    for (let x = 0; x < size; x++) {
      const i = (src * size + x) * 4
      const o = (y * size + x) * 4
      pixels[o] = rgba[i + 2]!
      pixels[o + 1] = rgba[i + 1]!
      pixels[o + 2] = rgba[i]!
      pixels[o + 3] = rgba[i + 3]!
      if (rgba[i + 3] === 0) mask[y * maskStride + (x >> 3)]! |= 0x80 >> (x & 7)
    }
  }
  return Buffer.concat([header, pixels, mask])
}

/** PNG for 256 px (Vista+), classic bitmaps below: what every Windows tool and NSIS accept */
export function encodeIco(images: { size: number; rgba: Uint8Array; png: Buffer }[]): Buffer {
  const header = Buffer.alloc(6)
  header.writeUInt16LE(0, 0)
  header.writeUInt16LE(1, 2)
  header.writeUInt16LE(images.length, 4)
  const entries: Buffer[] = []
  const datas: Buffer[] = []
  let offset = 6 + 16 * images.length
  for (const img of images) {
    const data = img.size >= 256 ? img.png : icoBitmap(img.rgba, img.size)
    const e = Buffer.alloc(16)
    e[0] = img.size >= 256 ? 0 : img.size
    e[1] = img.size >= 256 ? 0 : img.size
    e.writeUInt16LE(1, 4) // planes
    e.writeUInt16LE(32, 6) // bits per pixel
    e.writeUInt32LE(data.length, 8)
    e.writeUInt32LE(offset, 12)
    offset += data.length
    entries.push(e)
    datas.push(data)
  }
  return Buffer.concat([header, ...entries, ...datas])
}

/** ICNS types that hold PNG data, by the pixel size they carry */
export const icnsTypes: [string, number][] = [
  ['icp4', 16],
  ['icp5', 32],
  ['ic11', 32], // 16@2x
  ['icp6', 64],
  ['ic12', 64], // 32@2x
  ['ic07', 128],
  ['ic08', 256],
  ['ic13', 256], // 128@2x
  ['ic09', 512],
  ['ic14', 512], // 256@2x
  ['ic10', 1024], // 512@2x
]

export function encodeIcns(pngBySize: Map<number, Buffer>): Buffer {
  const parts: Buffer[] = []
  for (const [type, size] of icnsTypes) {
    const png = pngBySize.get(size)
    if (!png) throw new Error(`icns: no ${size} px image`)
    const head = Buffer.alloc(8)
    head.write(type, 0, 'ascii')
    head.writeUInt32BE(png.length + 8, 4)
    parts.push(head, png)
  }
  const body = Buffer.concat(parts)
  const head = Buffer.alloc(8)
  head.write('icns', 0, 'ascii')
  head.writeUInt32BE(body.length + 8, 4)
  return Buffer.concat([head, body])
}

// ---------------------------------------------------------------------------------------------

export const pngSizes = [16, 24, 32, 48, 64, 128, 256, 512, 1024] as const
export const icoSizes = [16, 24, 32, 48, 64, 128, 256] as const

/** every file of build/icons/, relative path → bytes */
export function renderIconSet(svgText: string): Map<string, Buffer> {
  const svg = parseSvg(svgText)
  const rgbaBySize = new Map<number, Uint8Array>()
  const pngBySize = new Map<number, Buffer>()
  for (const size of pngSizes) {
    const rgba = rasterize(svg, size)
    rgbaBySize.set(size, rgba)
    pngBySize.set(size, encodePng(rgba, size, size))
  }
  const files = new Map<string, Buffer>()
  for (const size of pngSizes) files.set(`png/${size}x${size}.png`, pngBySize.get(size)!)
  files.set('icon.png', pngBySize.get(1024)!)
  files.set(
    'icon.ico',
    encodeIco(
      icoSizes.map((size) => ({ size, rgba: rgbaBySize.get(size)!, png: pngBySize.get(size)! })),
    ),
  )
  files.set('icon.icns', encodeIcns(pngBySize))
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
