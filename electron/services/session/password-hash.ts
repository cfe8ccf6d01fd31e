import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto'
import { z } from 'zod'

/**
 * Salted scrypt hashes for every password this machine checks by itself: the supervisor
 * password, the offline-login verifier and the idle lock. The parameters are stored with each
 * hash, so a hash made with older (weaker) ones still verifies and is replaced at the next
 * successful check. Always the async crypto.scrypt (libuv's thread pool): a hash costs a few
 * hundred milliseconds and must not stop the main process.
 */

export interface ScryptParams {
  N: number
  r: number
  p: number
}

/** OWASP's minimum for scrypt: N = 2^17, r = 8, p = 1 (128 MiB per hash). */
export const PASSWORD_SCRYPT: Readonly<ScryptParams> = Object.freeze({ N: 2 ** 17, r: 8, p: 1 })

/** What the offline verifier used before parameters were stored with it. */
const LEGACY_SCRYPT: Readonly<ScryptParams> = { N: 2 ** 14, r: 8, p: 1 }

const KEY_LENGTH = 32

export const passwordHashSchema = z.object({
  /** 1: the NFC form of the password was hashed; 0: the typed form (the legacy verifier) */
  v: z.union([z.literal(0), z.literal(1)]),
  algo: z.literal('scrypt'),
  N: z.number().int().min(2),
  r: z.number().int().min(1),
  p: z.number().int().min(1),
  salt: z.string().min(1),
  hash: z.string().min(1),
})
export type PasswordHash = z.infer<typeof passwordHashSchema>

/** The offline verifier before version 1: `{salt, hash}`, scrypt N = 2^14 of the typed password. */
const legacySchema = z.object({ salt: z.string().min(1), hash: z.string().min(1) })

/** A stored hash in either form, or null when it is neither. */
export function readPasswordHash(value: unknown): PasswordHash | null {
  const current = passwordHashSchema.safeParse(value)
  if (current.success) return current.data
  const legacy = legacySchema.safeParse(value)
  if (!legacy.success) return null
  return { v: 0, algo: 'scrypt', ...LEGACY_SCRYPT, ...legacy.data }
}

function derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  // Node refuses a cost above maxmem (32 MiB by default); scrypt needs 128·N·r bytes and a bit.
  const maxmem = 256 * params.N * params.r + 1024 * 1024
  return new Promise((resolve, reject) => {
    scrypt(password, salt, KEY_LENGTH, { ...params, maxmem }, (err, key) =>
      err ? reject(err) : resolve(key),
    )
  })
}

export async function hashPassword(password: string, params: ScryptParams): Promise<PasswordHash> {
  const salt = randomBytes(16)
  const hash = await derive(password.normalize('NFC'), salt, params)
  return {
    v: 1,
    algo: 'scrypt',
    N: params.N,
    r: params.r,
    p: params.p,
    salt: salt.toString('base64'),
    hash: hash.toString('base64'),
  }
}

export async function verifyPassword(password: string, stored: PasswordHash): Promise<boolean> {
  const expected = Buffer.from(stored.hash, 'base64')
  const typed = stored.v === 1 ? password.normalize('NFC') : password
  const candidate = await derive(typed, Buffer.from(stored.salt, 'base64'), stored)
  return candidate.length === expected.length && timingSafeEqual(candidate, expected)
}

/** The stored hash is weaker than `params` (or of the legacy form): rehash at the next success. */
export function needsRehash(stored: PasswordHash, params: ScryptParams): boolean {
  return stored.v !== 1 || stored.N < params.N || stored.r < params.r || stored.p < params.p
}
