import { describe, expect, it } from 'vitest'
import {
  buildContentSecurityPolicy,
  isAllowedRendererRequest,
  withoutMetaCsp,
} from '../../../electron/services/app-protocol/app-protocol'
import { isPermissionAllowed } from '../../../electron/services/app-protocol/media-permission'
import { withConnectSource } from '../../../electron/bridge/host'
import { defaultSoftphoneSettings, softphoneOrigin } from '../../../shared/softphone-defaults'

/** The softphone's holes in the Electron fences: the microphone and one WebSocket origin. */

const connectSrc = (csp: string) =>
  csp
    .split('; ')
    .find((d) => d.startsWith('connect-src '))
    ?.split(' ')
    .slice(1)

describe('the microphone permission', () => {
  const ask = (over: Partial<Parameters<typeof isPermissionAllowed>[0]>) =>
    isPermissionAllowed({
      permission: 'media',
      url: 'app://callcenter/index.html',
      mediaTypes: ['audio'],
      softphoneEnabled: true,
      ...over,
    })

  it('is given to the app’s own page while the softphone is on', () => {
    expect(ask({})).toBe(true)
    expect(ask({ url: 'app://callcenter' })).toBe(true)
  })

  it('is refused while the softphone is off', () => {
    expect(ask({ softphoneEnabled: false })).toBe(false)
  })

  it('is refused to any other origin', () => {
    for (const url of [
      'https://evil.example/',
      'app://evil/index.html',
      'app://callcenter:8080/',
      'http://127.0.0.1:5173/',
      'file:///etc/passwd',
      undefined,
    ]) {
      expect(ask({ url }), String(url)).toBe(false)
    }
  })

  it('never covers the camera, nor a request of unknown kind', () => {
    expect(ask({ mediaTypes: ['video'] })).toBe(false)
    expect(ask({ mediaTypes: ['audio', 'video'] })).toBe(false)
    expect(ask({ mediaTypes: [] })).toBe(false)
    expect(ask({ mediaTypes: undefined })).toBe(false)
    expect(ask({ mediaTypes: ['unknown'] })).toBe(false)
  })

  it('is the only permission there is', () => {
    for (const permission of [
      'notifications',
      'geolocation',
      'clipboard-read',
      'openExternal',
      'hid',
      'display-capture',
      'mediaKeySystem',
    ]) {
      expect(ask({ permission }), permission).toBe(false)
    }
  })
})

describe('connect-src and the softphone', () => {
  const on = { ...defaultSoftphoneSettings, enabled: true, wsUrl: 'wss://pbx.example.com:8089/ws' }

  it('gains exactly the configured WebSocket origin', () => {
    const origin = softphoneOrigin(on)
    expect(origin).toBe('wss://pbx.example.com:8089')
    expect(connectSrc(buildContentSecurityPolicy(null, origin))).toEqual([
      "'self'",
      'wss://pbx.example.com:8089',
    ])
  })

  it('gains nothing while the softphone is off or has no address', () => {
    expect(softphoneOrigin({ ...on, enabled: false })).toBeNull()
    expect(softphoneOrigin({ ...on, wsUrl: '' })).toBeNull()
    expect(connectSrc(buildContentSecurityPolicy(null, null))).toEqual(["'self'"])
  })

  it('lets a page reach that origin over ws(s) and no other', () => {
    const origin = 'wss://pbx.example.com:8089'
    expect(isAllowedRendererRequest('wss://pbx.example.com:8089/ws', null, origin)).toBe(true)
    expect(isAllowedRendererRequest('wss://pbx.example.com/ws', null, origin)).toBe(false)
    expect(isAllowedRendererRequest('wss://evil.example:8089/ws', null, origin)).toBe(false)
    expect(isAllowedRendererRequest('https://pbx.example.com:8089/ws', null, origin)).toBe(false)
    expect(isAllowedRendererRequest('wss://pbx.example.com:8089/ws', null, null)).toBe(false)
  })

  it('serves the page over app:// with the header as its one policy', () => {
    const html =
      '<head>\n<meta charset="UTF-8" />\n<meta\n  http-equiv="Content-Security-Policy"\n  content="connect-src \'self\'"\n/>\n<title>x</title></head>'
    expect(withoutMetaCsp(html)).toBe('<head>\n<meta charset="UTF-8" />\n<title>x</title></head>')
  })

  it('adds the origin to the web bridge’s policy once', () => {
    const meta = "default-src 'self'; connect-src 'self' ws://127.0.0.1:*; object-src 'none'"
    const withPbx = withConnectSource(meta, 'ws://127.0.0.1:5099')
    expect(connectSrc(withPbx)).toEqual(["'self'", 'ws://127.0.0.1:*', 'ws://127.0.0.1:5099'])
    expect(withConnectSource(withPbx, 'ws://127.0.0.1:5099')).toBe(withPbx)
    expect(connectSrc(withConnectSource("default-src 'self'", 'wss://p:1'))).toEqual([
      "'self'",
      'wss://p:1',
    ])
  })
})
