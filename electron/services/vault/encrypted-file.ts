import fsp from 'node:fs/promises'
import { AppError } from '../../core/app-error'
import { moveAsideSync, writeFileAtomic } from '../files/atomic-file'
import type { Logger, SecretKey, Vault, VaultStatus } from '../ports'

/**
 * The vault's file format and logic, free of Electron so it is unit-tested in plain Node: a JSON
 * object {secretKey: base64(ciphertext)} replaced atomically on every change. What the
 * ciphertext is comes from a SecretCipher: Electron's safeStorage in the app (SafeStorageVault),
 * AES-256-GCM with a key file for the web bridge and Node tools (FileVault).
 */

export interface SecretCipher {
  /** whether secrets can be encrypted now; when not, `problem` says why (Chinese) */
  status(): Promise<VaultStatus>
  /** `key` names the entry; a cipher may bind the ciphertext to it */
  encrypt(plain: string, key: SecretKey): Promise<Uint8Array>
  /** throws (preferably an AppError 'vault' saying why) when the data cannot be decrypted */
  decrypt(data: Buffer, key: SecretKey): Promise<{ value: string; shouldReEncrypt: boolean }>
}

export interface EncryptedFileVaultOptions {
  file: string
  cipher: SecretCipher
  /** key names only, never values */
  log?: Logger
  now?: () => Date
}

type Entries = Partial<Record<SecretKey, string>>

const base64Pattern = /^[A-Za-z0-9+/]*={0,2}$/

export class EncryptedFileVault implements Vault {
  readonly file: string
  readonly #cipher: SecretCipher
  readonly #log: Logger | undefined
  readonly #now: () => Date
  // Every operation is a read-modify-write of one file: run them one at a time so two
  // concurrent set() calls cannot each write a file missing the other's entry.
  #queue: Promise<unknown> = Promise.resolve()

  constructor(opts: EncryptedFileVaultOptions) {
    this.file = opts.file
    this.#cipher = opts.cipher
    this.#log = opts.log
    this.#now = opts.now ?? (() => new Date())
  }

  status(): Promise<VaultStatus> {
    return this.#cipher.status()
  }

  get(key: SecretKey): Promise<string | null> {
    return this.#exclusive(async () => {
      const entries = await this.#read()
      const stored = entries[key]
      if (stored === undefined) return null
      const { value, shouldReEncrypt } = await this.#decrypt(stored, key)
      if (shouldReEncrypt) {
        // The OS rotated its key or offers a stronger one: store the value under the new key.
        // A failure here is not the caller's problem; the old ciphertext still decrypts.
        try {
          entries[key] = Buffer.from(await this.#cipher.encrypt(value, key)).toString('base64')
          await this.#write(entries)
          this.#log?.info('vault: re-encrypted a secret', { key })
        } catch (e) {
          this.#log?.warn('vault: re-encryption failed', { key, error: errorName(e) })
        }
      }
      return value
    })
  }

  set(key: SecretKey, value: string): Promise<void> {
    return this.#exclusive(async () => {
      // Checked before anything touches the disk: with no real encryption nothing is stored.
      const status = await this.#cipher.status()
      if (!status.available) {
        throw new AppError('vault', `无法保存密钥 ${key}：${status.problem ?? '系统不支持加密'}`, {
          field: key,
        })
      }
      let data: Uint8Array
      try {
        data = await this.#cipher.encrypt(value, key)
      } catch (e) {
        if (e instanceof AppError) throw e
        throw new AppError('vault', `加密密钥 ${key} 失败，未保存`, { field: key, cause: e })
      }
      const entries = await this.#read()
      entries[key] = Buffer.from(data).toString('base64')
      await this.#write(entries)
    })
  }

  delete(key: SecretKey): Promise<void> {
    // Removing needs no encryption, so it works even when the OS keyring is gone.
    return this.#exclusive(async () => {
      const entries = await this.#read()
      if (!(key in entries)) return
      delete entries[key]
      await this.#write(entries)
    })
  }

  #exclusive<T>(op: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(op, op)
    this.#queue = run.catch(() => undefined)
    return run
  }

  async #decrypt(
    stored: string,
    key: SecretKey,
  ): Promise<{ value: string; shouldReEncrypt: boolean }> {
    if (!base64Pattern.test(stored)) {
      throw new AppError('vault', `已保存的密钥 ${key} 已损坏，请重新导入连接配置`, { field: key })
    }
    try {
      return await this.#cipher.decrypt(Buffer.from(stored, 'base64'), key)
    } catch (e) {
      if (e instanceof AppError) throw e
      throw new AppError(
        'vault',
        `无法解密已保存的密钥 ${key}（系统加密密钥可能已变更），请重新导入连接配置`,
        { field: key, cause: e },
      )
    }
  }

  async #read(): Promise<Entries> {
    let text: string
    try {
      text = await fsp.readFile(this.file, 'utf8')
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {}
      throw new AppError('storage', `无法读取密钥文件 ${this.file}`, { cause: e })
    }
    const entries = parseEntries(text)
    if (entries) return entries
    // A damaged file must not block a new import: keep it aside for diagnosis, start empty.
    const aside = moveAsideSync(this.file, this.#now())
    this.#log?.warn('vault: damaged secrets file moved aside', { file: this.file, movedTo: aside })
    if (aside === null) {
      throw new AppError('storage', `密钥文件 ${this.file} 已损坏且无法移走，请手动删除后重试`)
    }
    return {}
  }

  async #write(entries: Entries): Promise<void> {
    try {
      await writeFileAtomic(this.file, `${JSON.stringify(entries, null, 2)}\n`, 0o600)
    } catch (e) {
      throw new AppError('storage', `写入密钥文件 ${this.file} 失败`, { cause: e })
    }
  }
}

/** The entries of a vault file, or null when it is not one (entries of unknown keys are kept). */
function parseEntries(text: string): Entries | null {
  let raw: unknown
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''))
  } catch {
    return null
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return null
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(raw)) {
    if (typeof v !== 'string') return null
    out[k] = v
  }
  return out as Entries
}

function errorName(e: unknown): string {
  return e instanceof Error ? e.name : typeof e
}

// ---------------------------------------------------------------------------------------------
// Electron's safeStorage, seen through the few methods the vault uses (no `electron` import).

export type StorageBackend =
  'basic_text' | 'gnome_libsecret' | 'kwallet' | 'kwallet5' | 'kwallet6' | 'unknown'

export interface SafeStorageLike {
  isAsyncEncryptionAvailable(): Promise<boolean>
  encryptStringAsync(plainText: string): Promise<Uint8Array>
  decryptStringAsync(encrypted: Buffer): Promise<{ result: string; shouldReEncrypt: boolean }>
  /** Linux only */
  getSelectedStorageBackend(): StorageBackend
}

/**
 * Whether safeStorage really protects secrets on this machine. On Linux without a keyring
 * Chromium falls back to 'basic_text': a hard-coded key, i.e. plain text with extra steps, so the
 * vault refuses rather than pretend. 'unknown' (backend not chosen, app not ready) is refused too.
 */
export function osEncryptionStatus(
  platform: NodeJS.Platform,
  asyncAvailable: boolean,
  backend: StorageBackend | null,
): VaultStatus {
  if (platform === 'linux') {
    if (backend === 'basic_text') {
      return {
        available: false,
        problem:
          '系统没有可用的密钥环（如 GNOME Keyring 或 KWallet），密钥只能以明文保存，因此拒绝保存。' +
          '请安装并启用 gnome-keyring 或 kwallet，重新登录桌面后再试。',
      }
    }
    if (backend === 'unknown' || backend === null) {
      return {
        available: false,
        problem:
          '无法确定系统密钥环（桌面环境未被识别），为安全起见拒绝保存密钥。' +
          '请安装并启用 gnome-keyring 或 kwallet，或以 --password-store=gnome-libsecret 启动。',
      }
    }
  }
  if (!asyncAvailable) {
    const problem =
      platform === 'darwin'
        ? '无法访问系统钥匙串（Keychain），暂时不能加密保存密钥。请解锁钥匙串后重试。'
        : platform === 'win32'
          ? '系统加密服务（DPAPI）不可用，暂时不能加密保存密钥。请以当前 Windows 用户重新登录后重试。'
          : '系统密钥环不可用或已锁定，暂时不能加密保存密钥。请解锁 gnome-keyring 或 kwallet 后重试。'
    return { available: false, problem }
  }
  return { available: true, problem: null }
}

export function safeStorageCipher(ss: SafeStorageLike, platform: NodeJS.Platform): SecretCipher {
  return {
    async status() {
      // Asked first: it initialises the async encryptor, after which the backend is known.
      let available: boolean
      try {
        available = await ss.isAsyncEncryptionAvailable()
      } catch {
        available = false
      }
      const backend = platform === 'linux' ? ss.getSelectedStorageBackend() : null
      return osEncryptionStatus(platform, available, backend)
    },
    encrypt: (plain) => ss.encryptStringAsync(plain),
    async decrypt(data) {
      const { result, shouldReEncrypt } = await ss.decryptStringAsync(data)
      return { value: result, shouldReEncrypt }
    },
  }
}
