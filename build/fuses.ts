/**
 * Electron fuses for packaged builds (#19 of Electron's security checklist: check which fuses you
 * can change), in the shape of electron-builder's `electronFuses` option (app-builder-lib's
 * FuseOptionsV1). Fuses are flipped in the binary before signing, so the OS signature keeps them
 * flipped. Use as `electronFuses` in the electron-builder config.
 */

import type { Configuration } from 'electron-builder'

/**
 * Every fuse of FuseOptionsV1 but resetAdHocDarwinSignature, which is a signing step rather than
 * a fuse (electron-builder signs right after flipping, so it is not needed).
 */
type ElectronBuilderFuseOptions = Omit<
  NonNullable<Configuration['electronFuses']>,
  'resetAdHocDarwinSignature'
>

export const electronFuses = {
  // ELECTRON_RUN_AS_NODE would turn the signed app into a general-purpose Node interpreter
  runAsNode: false,
  // cookies on disk encrypted with the OS keystore, like Chrome (one-way: never turn it off)
  enableCookieEncryption: true,
  // NODE_OPTIONS / NODE_EXTRA_CA_CERTS could inject code or a rogue CA into main
  enableNodeOptionsEnvironmentVariable: false,
  // --inspect and SIGUSR1 would open a debugger on main (and the vault with it)
  enableNodeCliInspectArguments: false,
  // app.asar is checked against the hash embedded in the signed binary (macOS, Windows)
  enableEmbeddedAsarIntegrityValidation: true,
  // only app.asar is loaded: no unpacked app/ folder can be slipped in next to it
  onlyLoadAppFromAsar: true,
  // the default shared snapshot; a separate browser snapshot is not used
  loadBrowserProcessSpecificV8Snapshot: false,
  // file:// gets no extra privileges: the app is served from app://, never from file://
  grantFileProtocolExtraPrivileges: false,
} as const satisfies Required<ElectronBuilderFuseOptions>
