import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import fsp from 'node:fs/promises'
import path from 'node:path'
import { AppError } from '../../core/app-error'
import { EncryptedFileVault, type SecretCipher } from './encrypted-file'
import { secretKeys, type Logger, type SecretKey, type Vault, type VaultStatus } from '../ports'

/**
 * Vaults for everything that is not the packaged app: MemoryVault for tests, FileVault for the
 * web bridge and Node tools in development. The app itself uses SafeStorageVault (main/).
 */

/** A problem text makes the vault "unavailable"; a function lets a test switch it at will. */
export type UnavailableOption = string | null | (() => string | null)

function problemOf(option: UnavailableOption | undefined): string | null {
  return typeof option === 'function' ? option() : (option ?? null)
}

function statusOf(option: UnavailableOption | undefined): VaultStatus {
  const problem = problemOf(option)
  return problem === null ? { available: true, problem: null } : { available: false, problem }
}

/** Keeps secrets in a Map; refuses set() like the real vaults when told encryption is off. */
export class MemoryVault implements Vault {
  readonly #values = new Map<SecretKey, string>()
  #unavailable: UnavailableOption | undefined

  constructor(
    opts: { unavailable?: UnavailableOption; initial?: Partial<Record<SecretKey, string>> } = {},
  ) {
    this.#unavailable = opts.unavailable
    for (const [k, v] of Object.entries(opts.initial ?? {})) {
      if (v !== undefined) this.#values.set(k as SecretKey, v)
    }
  }

  /** null makes it available again */
  setUnavailable(problem: string | null): void {
    this.#unavailable = problem
  }

  async status(): Promise<VaultStatus> {
    return statusOf(this.#unavailable)
  }

  async get(key: SecretKey): Promise<string | null> {
    return this.#values.get(key) ?? null
  }

  async set(key: SecretKey, value: string): Promise<void> {
    const problem = problemOf(this.#unavailable)
    if (problem !== null) {
      throw new AppError('vault', `无法保存密钥 ${key}：${problem}`, { field: key })
    }
    this.#values.set(key, value)
  }

  async delete(key: SecretKey): Promise<void> {
    this.#values.delete(key)
  }
}

export interface FileVaultOptions {
  /** the JSON file of {key: base64(iv|tag|ciphertext)} */
  file: string
  /** the random 32-byte key, base64, created with mode 0600 on first use */
  keyFile: string
  /** simulate "encryption unavailable" (tests): set() then refuses and writes nothing */
  unavailable?: UnavailableOption
  log?: Logger
  now?: () => Date
}

const KEY_BYTES = 32
const IV_BYTES = 12
const TAG_BYTES = 16

/**
 * AES-256-GCM with a key kept in its own file. Only as safe as that file's permissions, which is
 * why it is for development: the packaged app uses the OS keyring through safeStorage.
 */
export class FileVault extends EncryptedFileVault {
  constructor(opts: FileVaultOptions) {
    super({
      file: opts.file,
      cipher: aesGcmKeyFileCipher(opts.keyFile, opts.unavailable, opts.log),
      ...(opts.log ? { log: opts.log } : {}),
      ...(opts.now ? { now: opts.now } : {}),
    })
  }
}

export function aesGcmKeyFileCipher(
  keyFile: string,
  unavailable?: UnavailableOption,
  log?: Logger,
): SecretCipher {
  let cached: Buffer | undefined

  async function loadKey(create: boolean): Promise<Buffer> {
    if (cached) return cached
    let text: string | undefined
    try {
      text = await fsp.readFile(keyFile, 'utf8')
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new AppError('vault', `无法读取密钥文件 ${keyFile}`, { cause: e })
      }
    }
    if (text === undefined) {
      if (!create) {
        throw new AppError(
          'vault',
          `密钥文件 ${keyFile} 不存在，无法解密已保存的密钥；请重新导入连接配置`,
        )
      }
      text = await createKeyFile()
    }
    const key = Buffer.from(text.trim(), 'base64')
    if (key.length !== KEY_BYTES || key.toString('base64') !== text.trim()) {
      throw new AppError(
        'vault',
        `密钥文件 ${keyFile} 已损坏（应为 ${KEY_BYTES} 字节密钥的 base64）`,
      )
    }
    await tightenPermissions()
    cached = key
    return key
  }

  async function createKeyFile(): Promise<string> {
    const text = `${randomBytes(KEY_BYTES).toString('base64')}\n`
    await fsp.mkdir(path.dirname(keyFile), { recursive: true })
    try {
      // 'wx': if another process created it meanwhile, use theirs rather than overwrite it
      await fsp.writeFile(keyFile, text, { mode: 0o600, flag: 'wx' })
      return text
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') return fsp.readFile(keyFile, 'utf8')
      throw new AppError('vault', `无法创建密钥文件 ${keyFile}`, { cause: e })
    }
  }

  async function tightenPermissions(): Promise<void> {
    if (process.platform === 'win32') return
    const mode = (await fsp.stat(keyFile)).mode & 0o777
    if ((mode & 0o077) !== 0) {
      await fsp.chmod(keyFile, 0o600)
      log?.warn('vault: key file was readable by others; set to 0600', { keyFile })
    }
  }

  return {
    async status() {
      return statusOf(unavailable)
    },
    async encrypt(plain, name) {
      const key = await loadKey(true)
      const iv = randomBytes(IV_BYTES)
      const cipher = createCipheriv('aes-256-gcm', key, iv)
      // The entry's name is authenticated too, so a ciphertext copied to another entry fails.
      cipher.setAAD(Buffer.from(name, 'utf8'))
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
      return Buffer.concat([iv, cipher.getAuthTag(), body])
    },
    async decrypt(data, name) {
      const key = await loadKey(false)
      if (data.length < IV_BYTES + TAG_BYTES) {
        throw new AppError('vault', `已保存的密钥 ${name} 已损坏，请重新导入连接配置`, {
          field: name,
        })
      }
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES))
      decipher.setAAD(Buffer.from(name, 'utf8'))
      decipher.setAuthTag(data.subarray(IV_BYTES, IV_BYTES + TAG_BYTES))
      try {
        const plain = Buffer.concat([
          decipher.update(data.subarray(IV_BYTES + TAG_BYTES)),
          decipher.final(),
        ])
        return { value: plain.toString('utf8'), shouldReEncrypt: false }
      } catch (e) {
        // GCM authentication failed: never hand back garbage from the wrong key
        throw new AppError(
          'vault',
          `无法解密已保存的密钥 ${name}：密钥文件 ${keyFile} 与密文不匹配（可能被替换或已损坏）。` +
            '请恢复原来的密钥文件，或重新导入连接配置',
          { field: name, cause: e },
        )
      }
    },
  }
}

/** Every stored secret value (for leak tests: none of them may reach the renderer or a log). */
export async function collectSecretValues(vault: Vault): Promise<string[]> {
  const values: string[] = []
  for (const key of secretKeys) {
    const value = await vault.get(key)
    if (value !== null) values.push(value)
  }
  return values
}
