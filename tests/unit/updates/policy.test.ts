import { describe, expect, it } from 'vitest'
import {
  chooseUpdate,
  isAcceptable,
  type ChannelFile,
  type ReleaseInfo,
} from '../../../electron/services/updates'

const release = (version: string, channelFile: ChannelFile = 'latest'): ReleaseInfo => ({
  version,
  releaseDate: null,
  channelFile,
  files: [{ url: `app-${version}.exe`, sha512: 'x'.repeat(88), size: 1 }],
})

describe('channel rules', () => {
  it('orders prereleases before their release: 1.2.0-beta.2 < 1.2.0, beta.2 < beta.10', () => {
    expect(isAcceptable('1.2.0-beta.2', 'beta', release('1.2.0'))).toBe(true)
    expect(isAcceptable('1.2.0', 'beta', release('1.2.0-beta.2', 'beta'))).toBe(false)
    expect(isAcceptable('1.2.0-beta.2', 'beta', release('1.2.0-beta.10', 'beta'))).toBe(true)
    expect(isAcceptable('1.2.0-beta.10', 'beta', release('1.2.0-beta.9', 'beta'))).toBe(false)
  })

  it('stable never offers a downgrade nor the same version', () => {
    expect(isAcceptable('1.3.0', 'stable', release('1.2.9'))).toBe(false)
    expect(isAcceptable('1.3.0', 'stable', release('1.3.0'))).toBe(false)
    expect(isAcceptable('1.3.0', 'stable', release('1.3.1'))).toBe(true)
  })

  it('stable never offers a prerelease, even one wrongly put into latest.yml', () => {
    expect(isAcceptable('1.2.0', 'stable', release('1.3.0-beta.1'))).toBe(false)
    expect(chooseUpdate('1.2.0', 'stable', [release('1.3.0-beta.1')])).toBeNull()
  })

  it('stable ignores beta.yml entirely', () => {
    expect(chooseUpdate('1.2.0', 'stable', [release('1.4.0', 'beta')])).toBeNull()
  })

  it('an agent back on stable from a beta waits for the release instead of downgrading', () => {
    expect(chooseUpdate('1.3.0-beta.1', 'stable', [release('1.2.5')])).toBeNull()
    expect(chooseUpdate('1.3.0-beta.1', 'stable', [release('1.3.0')])?.version).toBe('1.3.0')
  })

  it('beta offers the newer of the beta and the stable release', () => {
    const beta = release('1.3.0-beta.2', 'beta')
    expect(chooseUpdate('1.2.0', 'beta', [beta, release('1.2.1')])).toBe(beta)
    const stable = release('1.3.0')
    expect(chooseUpdate('1.3.0-beta.2', 'beta', [beta, stable])).toBe(stable)
    expect(chooseUpdate('1.3.0', 'beta', [beta, stable])).toBeNull()
  })

  it('an invalid version is never offered', () => {
    expect(isAcceptable('1.2.0', 'beta', release('next'))).toBe(false)
    expect(isAcceptable('dev', 'beta', release('1.2.0'))).toBe(false)
  })
})
