import path from 'node:path'
import { app, safeStorage } from 'electron'
import {
  EncryptedFileVault,
  safeStorageCipher,
  type SafeStorageLike,
} from '../services/vault/encrypted-file'
import type { Logger } from '../services/ports'

/**
 * The app's vault: ciphertext from Electron's safeStorage (Keychain, DPAPI, libsecret/kwallet),
 * base64 in `secrets.json` under userData, replaced atomically. Refuses to store when the OS
 * offers no real encryption (Linux 'basic_text'). The format, the refusal and re-encryption on
 * `shouldReEncrypt` live in the Electron-free EncryptedFileVault, which is unit-tested in Node;
 * this file only plugs in safeStorage and the path.
 */
export class SafeStorageVault extends EncryptedFileVault {
  constructor(opts: { log: Logger; file?: string }) {
    super({
      file: opts.file ?? path.join(app.getPath('userData'), 'secrets.json'),
      cipher: safeStorageCipher(readySafeStorage(), process.platform),
      log: opts.log,
    })
  }
}

/**
 * The async encryptor initialises on first use after `ready` and the Linux backend is only
 * chosen then ('unknown' before): every call waits for ready, so a vault built early still works.
 */
function readySafeStorage(): SafeStorageLike {
  const ready = <T>(f: () => Promise<T>): Promise<T> => app.whenReady().then(f)
  return {
    isAsyncEncryptionAvailable: () => ready(() => safeStorage.isAsyncEncryptionAvailable()),
    encryptStringAsync: (text) => ready(() => safeStorage.encryptStringAsync(text)),
    decryptStringAsync: (data) => ready(() => safeStorage.decryptStringAsync(data)),
    getSelectedStorageBackend: () => safeStorage.getSelectedStorageBackend(),
  }
}
