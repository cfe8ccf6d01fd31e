import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  APP_ENTRY_URL,
  buildContentSecurityPolicy,
  mimeTypeOf,
  resolveAppFile,
  resolveAppPath,
} from '../../../electron/services/app-protocol/app-protocol'

const ROOT = resolve('/srv/app/out/renderer')

describe('resolveAppPath (no disk)', () => {
  it.each([
    ['app://callcenter/', 'index.html'],
    ['app://callcenter', 'index.html'],
    [APP_ENTRY_URL, 'index.html'],
    ['app://callcenter/assets/index-abc123.js', 'assets/index-abc123.js'],
    ['app://callcenter/assets/index.css?v=1#x', 'assets/index.css'],
    ['app://callcenter/assets/%E5%9B%BE.png', 'assets/图.png'],
    // the URL parser resolves dot segments (also %2e%2e) before we see the path
    ['app://callcenter/assets/../index.html', 'index.html'],
    ['app://callcenter/%2e%2e/%2e%2e/index.html', 'index.html'],
    ['app://callcenter/../../../etc/passwd', 'etc/passwd'],
  ])('%s → %s inside the root', (url, rel) => {
    const r = resolveAppPath(url, ROOT)
    expect(r).toMatchObject({ ok: true, path: join(ROOT, rel) })
  })

  it.each([
    ['encoded slash traversal', 'app://callcenter/..%2f..%2fetc%2fpasswd'],
    ['encoded slash traversal, upper case', 'app://callcenter/..%2F..%2Fsecret'],
    ['encoded backslash traversal', 'app://callcenter/..%5c..%5cWindows%5cwin.ini'],
    ['encoded dot-dot then slash', 'app://callcenter/assets/%2e%2e%2f%2e%2e%2fx'],
    ['encoded absolute path', 'app://callcenter/%2Fetc%2Fpasswd'],
    ['double slash absolute path', 'app://callcenter//etc/passwd'],
    ['Windows drive', 'app://callcenter/C:%5CWindows%5Cwin.ini'],
    ['Windows drive, plain', 'app://callcenter/C:/Windows/win.ini'],
    ['UNC path', 'app://callcenter/%5C%5Cserver%5Cshare'],
    ['NUL byte', 'app://callcenter/index.html%00.png'],
    ['control character', 'app://callcenter/a%0Ab'],
    ['dotfile', 'app://callcenter/.env'],
    ['dot directory', 'app://callcenter/.git/config'],
    ['trailing slash (directory)', 'app://callcenter/assets/'],
  ])('refuses %s', (_label, url) => {
    const r = resolveAppPath(url, ROOT)
    expect(r.ok).toBe(false)
  })

  it('answers 400 to malformed percent-encoding', () => {
    expect(resolveAppPath('app://callcenter/%E5%9B', ROOT)).toMatchObject({
      ok: false,
      status: 400,
    })
  })

  it.each([
    'app://evil/index.html',
    'app://callcenter.evil/index.html',
    'app://callcenter:8080/index.html',
    'app://user@callcenter/index.html',
    'file:///srv/app/out/renderer/index.html',
    'http://callcenter/index.html',
    'not a url',
  ])('refuses %s: not the app origin', (url) => {
    expect(resolveAppPath(url, ROOT)).toMatchObject({ ok: false, status: 403 })
  })

  it('gives MIME types by extension', () => {
    expect(mimeTypeOf('a/index.html')).toBe('text/html; charset=utf-8')
    expect(mimeTypeOf('a/x.JS')).toBe('text/javascript; charset=utf-8')
    expect(mimeTypeOf('a/x.css')).toBe('text/css; charset=utf-8')
    expect(mimeTypeOf('a/x.woff2')).toBe('font/woff2')
    expect(mimeTypeOf('a/x.exe')).toBe('application/octet-stream')
  })
})

describe('resolveAppFile (disk)', () => {
  let dir: string
  let root: string

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'app-protocol-'))
    root = join(dir, 'renderer')
    mkdirSync(join(root, 'assets'), { recursive: true })
    writeFileSync(join(root, 'index.html'), '<!doctype html>')
    writeFileSync(join(root, 'assets', 'app.js'), 'export {}')
    writeFileSync(join(dir, 'secret.txt'), 'outside')
    try {
      symlinkSync(join(dir, 'secret.txt'), join(root, 'assets', 'leak.js'))
    } catch {
      // no symlinks on this system (Windows without privilege): the test below skips itself
    }
  })

  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('serves files inside the root', async () => {
    await expect(resolveAppFile('app://callcenter/', root)).resolves.toMatchObject({
      ok: true,
      mimeType: 'text/html; charset=utf-8',
    })
    await expect(resolveAppFile('app://callcenter/assets/app.js', root)).resolves.toMatchObject({
      ok: true,
    })
  })

  it('answers 404 for a missing file', async () => {
    await expect(resolveAppFile('app://callcenter/assets/nope.js', root)).resolves.toMatchObject({
      ok: false,
      status: 404,
    })
  })

  it('answers 404 for a directory', async () => {
    await expect(resolveAppFile('app://callcenter/assets', root)).resolves.toMatchObject({
      ok: false,
      status: 404,
    })
  })

  it('refuses a sibling of the root reached by traversal', async () => {
    for (const url of [
      'app://callcenter/..%2fsecret.txt',
      'app://callcenter/%2e%2e%2fsecret.txt',
      `app://callcenter/${encodeURIComponent(join(dir, 'secret.txt'))}`,
    ]) {
      await expect(resolveAppFile(url, root)).resolves.toMatchObject({ ok: false })
    }
  })

  it('refuses a symlink that leads outside the root', async (ctx) => {
    const r = await resolveAppFile('app://callcenter/assets/leak.js', root)
    if (r.ok === false && r.status === 404) ctx.skip()
    expect(r).toMatchObject({ ok: false, status: 403 })
  })
})

describe('buildContentSecurityPolicy', () => {
  const directives = (csp: string) =>
    new Map(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]))

  it('is strict in production', () => {
    const d = directives(buildContentSecurityPolicy())
    expect(d.get('default-src')).toEqual(["'none'"])
    expect(d.get('script-src')).toEqual(["'self'"])
    expect(d.get('object-src')).toEqual(["'none'"])
    expect(d.get('base-uri')).toEqual(["'none'"])
    expect(d.get('frame-ancestors')).toEqual(["'none'"])
    expect(d.get('connect-src')).toEqual(["'self'"])
    expect(buildContentSecurityPolicy()).not.toMatch(/unsafe-eval|\*/)
    expect(d.get('script-src')).not.toContain("'unsafe-inline'")
  })

  it('adds only the dev server (and its HMR socket) in development', () => {
    const d = directives(buildContentSecurityPolicy('http://localhost:5173'))
    expect(d.get('script-src')).toEqual(["'self'", 'http://localhost:5173'])
    expect(d.get('connect-src')).toEqual(["'self'", 'http://localhost:5173', 'ws://localhost:5173'])
    expect(d.get('object-src')).toEqual(["'none'"])
  })
})
