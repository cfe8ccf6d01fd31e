import type { Configuration } from 'electron-builder'
import { electronFuses } from './fuses'

/**
 * electron-builder configuration: `electron-builder --config build/electron-builder.config.ts`
 * (electron-builder loads TypeScript configs through jiti). Installers need Electron's binary
 * and, for releases, signing certificates: see README "Installers and updates".
 *
 * Channels: the version decides. x.y.z publishes latest*.yml (and, with
 * generateUpdatesFilesForAllChannels, beta*.yml too, so beta agents also get stable releases);
 * x.y.z-beta.n publishes beta*.yml only. The publish entry sets no channel on purpose:
 * electron-builder then derives it from the version (detectUpdateChannel).
 */

/** Release builds (CI) must be signed and must say where updates come from and who signs them. */
const releaseBuild = process.env.FORCE_CODE_SIGNING === 'true'

function required(name: string, fallback: string): string {
  const value = process.env[name]
  if (value) return value
  if (releaseBuild) throw new Error(`${name} must be set for a release build`)
  return fallback
}

/**
 * The generic feed the app checks (latest.yml, beta.yml, latest-mac.yml…, installers, blockmaps).
 * Local builds fall back to a reserved name that never resolves: such a build fails its update
 * checks visibly instead of asking a stranger's server.
 */
export const updateFeedUrl = required('UPDATE_FEED_URL', 'https://updates.invalid/callcenter-desk/')

/**
 * The subject CN of the Windows code-signing certificate, exactly. electron-updater refuses an
 * update whose installer is not signed by one of these names (it is written into app-update.yml).
 * The fallback only serves unsigned local builds, which are never updated.
 */
export const windowsPublisherName = required('WIN_PUBLISHER_NAME', '置业外呼工作台')

const config: Configuration = {
  appId: 'cn.zhiye.callcenter-desk',
  productName: '置业外呼工作台',
  copyright: `Copyright © ${new Date().getFullYear()} 置业外呼工作台`,
  directories: { output: 'dist', buildResources: 'build' },
  // electron-vite's output only (dependencies from package.json are added by the builder)
  files: ['out/**/*', '!out/**/*.map', 'package.json'],
  asar: true,
  // release builds must be signed (certificates from the CI's secrets: CSC_LINK, …)
  forceCodeSigning: releaseBuild,
  // nothing native to rebuild: the database is node:sqlite
  npmRebuild: false,
  electronFuses,
  compression: 'normal',
  detectUpdateChannel: true,
  generateUpdatesFilesForAllChannels: true,
  publish: [{ provider: 'generic', url: updateFeedUrl }],

  win: {
    target: [{ target: 'nsis', arch: ['x64', 'arm64'] }],
    icon: 'build/icons/icon.ico',
    // a Latin file name keeps paths and shortcuts simple on every Windows locale
    executableName: 'callcenter-desk',
    requestedExecutionLevel: 'asInvoker',
    verifyUpdateCodeSignature: true,
    signtoolOptions: {
      publisherName: windowsPublisherName,
      signingHashAlgorithms: ['sha256'],
      rfc3161TimeStampServer: 'http://timestamp.digicert.com',
    },
  },
  nsis: {
    // per-user, one click: no administrator rights, and updates install silently
    oneClick: true,
    perMachine: false,
    // one installer for x64 and arm64; electron-updater picks the matching package
    buildUniversalInstaller: true,
    artifactName: '${name}-${version}-win-setup.${ext}',
    shortcutName: '置业外呼工作台',
    createDesktopShortcut: true,
    createStartMenuShortcut: true,
    runAfterFinish: true,
    // the outbox and the call log live in the user data folder: an uninstall keeps them
    deleteAppDataOnUninstall: false,
    differentialPackage: true,
  },

  mac: {
    target: [
      { target: 'dmg', arch: ['x64', 'arm64'] },
      // electron-updater updates macOS from the zip; the dmg is for the first install
      { target: 'zip', arch: ['x64', 'arm64'] },
    ],
    icon: 'build/icons/icon.icns',
    category: 'public.app-category.business',
    // ${arch} in the name is how electron-updater tells arm64 from x64 files on a Mac
    artifactName: '${name}-${version}-mac-${arch}.${ext}',
    hardenedRuntime: true,
    gatekeeperAssess: false,
    // credentials from APPLE_ID / APPLE_APP_SPECIFIC_PASSWORD / APPLE_TEAM_ID (CI secrets)
    notarize: true,
  },
  dmg: {
    artifactName: '${name}-${version}-mac-${arch}.${ext}',
  },

  // `npm run build:unpack` on a Linux workstation: an unpacked folder only
  linux: {
    target: ['dir'],
    icon: 'build/icons/png',
    category: 'Office',
  },
}

export default config
