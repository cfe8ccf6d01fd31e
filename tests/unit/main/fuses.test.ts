import { describe, expect, it } from 'vitest'
import { electronFuses } from '../../../build/fuses'

describe('electron fuses for packaged builds', () => {
  it('sets every FuseOptionsV1 fuse, and nothing else', () => {
    expect(Object.keys(electronFuses).sort()).toEqual(
      [
        'enableCookieEncryption',
        'enableEmbeddedAsarIntegrityValidation',
        'enableNodeCliInspectArguments',
        'enableNodeOptionsEnvironmentVariable',
        'grantFileProtocolExtraPrivileges',
        'loadBrowserProcessSpecificV8Snapshot',
        'onlyLoadAppFromAsar',
        'runAsNode',
      ].sort(),
    )
  })

  it.each([
    ['runAsNode', false],
    ['enableCookieEncryption', true],
    ['enableNodeOptionsEnvironmentVariable', false],
    ['enableNodeCliInspectArguments', false],
    ['enableEmbeddedAsarIntegrityValidation', true],
    ['onlyLoadAppFromAsar', true],
    ['loadBrowserProcessSpecificV8Snapshot', false],
    ['grantFileProtocolExtraPrivileges', false],
  ] as const)('%s is %s', (fuse, value) => {
    expect(electronFuses[fuse]).toBe(value)
  })
})
