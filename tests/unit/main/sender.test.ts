import { describe, expect, it } from 'vitest'
import {
  createSenderCheck,
  devServerOrigin,
  isAllowedRendererRequest,
  isAppOrigin,
} from '../../../electron/services/app-protocol/app-protocol'

const DEV = 'http://localhost:5173'

describe('isAllowedSender (createSenderCheck)', () => {
  const prod = createSenderCheck(null)
  const dev = createSenderCheck(DEV)

  it('accepts the app origin, in production and in development', () => {
    for (const check of [prod, dev]) {
      expect(check('app://callcenter/index.html')).toBe(true)
      expect(check('app://callcenter/')).toBe(true)
      expect(check('app://callcenter/index.html#/calling?x=1')).toBe(true)
    }
  })

  it('accepts the dev server only in development', () => {
    expect(dev('http://localhost:5173/')).toBe(true)
    expect(dev('http://localhost:5173/index.html')).toBe(true)
    expect(prod('http://localhost:5173/')).toBe(false)
  })

  it.each([
    ['undefined', undefined],
    ['empty', ''],
    ['file://', 'file:///C:/app/out/renderer/index.html'],
    ['file:// (posix)', 'file:///opt/app/out/renderer/index.html'],
    ['http://evil', 'http://evil.example/'],
    ['https://evil', 'https://evil.example/index.html'],
    ['another app host', 'app://evil/index.html'],
    ['look-alike host', 'app://callcenter.evil.example/'],
    ['app origin with a port', 'app://callcenter:1/index.html'],
    ['app origin with userinfo', 'app://x@callcenter/index.html'],
    ['about:blank', 'about:blank'],
    ['data:', 'data:text/html,<script>1</script>'],
    ['devtools', 'devtools://devtools/bundled/inspector.html'],
    ['other dev port', 'http://localhost:5174/'],
    ['dev host on another scheme', 'https://localhost:5173/'],
    ['dev origin with userinfo', 'http://a@localhost:5173/'],
    ['garbage', 'not a url'],
  ])('refuses %s', (_label, url) => {
    expect(prod(url)).toBe(false)
    expect(dev(url)).toBe(false)
  })
})

describe('devServerOrigin', () => {
  it.each([
    ['http://localhost:5173', 'http://localhost:5173'],
    ['http://localhost:5173/', 'http://localhost:5173'],
    ['http://127.0.0.1:5173/index.html', 'http://127.0.0.1:5173'],
    ['http://[::1]:5173', 'http://[::1]:5173'],
  ])('takes %s as %s', (raw, origin) => expect(devServerOrigin(raw)).toBe(origin))

  it.each([
    undefined,
    '',
    'https://evil.example',
    'http://evil.example:5173',
    'http://localhost.evil.example:5173',
    'http://user:pw@localhost:5173',
    'file:///tmp/index.html',
    'app://callcenter/',
    'garbage',
  ])('refuses %s: a dev window may only load a loopback server', (raw) => {
    expect(devServerOrigin(raw)).toBeNull()
  })
})

describe('isAllowedRendererRequest', () => {
  it('allows the app, data: images and DevTools', () => {
    expect(isAllowedRendererRequest('app://callcenter/assets/a.js', null)).toBe(true)
    expect(isAllowedRendererRequest('data:image/png;base64,AAAA', null)).toBe(true)
    expect(isAllowedRendererRequest('devtools://devtools/bundled/x.js', null)).toBe(true)
  })

  it('allows the dev server and its HMR socket only in development', () => {
    expect(isAllowedRendererRequest('ws://localhost:5173/', DEV)).toBe(true)
    expect(isAllowedRendererRequest('http://localhost:5173/@vite/client', DEV)).toBe(true)
    expect(isAllowedRendererRequest('ws://localhost:5173/', null)).toBe(false)
    expect(isAllowedRendererRequest('ws://localhost:9999/', DEV)).toBe(false)
  })

  it.each(['https://evil.example/x.js', 'http://127.0.0.1:8080/', 'file:///etc/passwd', 'blob:x'])(
    'blocks %s',
    (url) => {
      expect(isAllowedRendererRequest(url, null)).toBe(false)
      expect(isAllowedRendererRequest(url, DEV)).toBe(false)
    },
  )

  it('treats isAppOrigin the same way for navigation', () => {
    expect(isAppOrigin('app://callcenter/index.html', null)).toBe(true)
    expect(isAppOrigin('https://evil.example/', DEV)).toBe(false)
  })
})
