/**
 * The sandbox's deterministic randomness: every double draws from these, so a seed gives the same
 * world and the same answers in every system.
 */

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export interface Rng {
  next(): number
  int(min: number, max: number): number
  pick<T>(items: readonly T[]): T
  chance(p: number): boolean
}

export function createRng(seed: number): Rng {
  const next = mulberry32(seed)
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => {
      const item = items[Math.floor(next() * items.length)]
      if (item === undefined) throw new Error('pick from an empty list')
      return item
    },
    chance: (p) => next() < p,
  }
}

/** 32-bit FNV-1a over UTF-16 code units. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h
}

/**
 * A person's own stream per system (salt): what one system invents about a number does not
 * depend on how many other numbers were asked before it.
 */
export function personRng(seed: number, phone: string, salt: string): Rng {
  return createRng(fnv1a(`${seed}:${salt}:${phone}`))
}

/** n lowercase hex digits */
export function hexDigits(rng: Rng, n: number): string {
  return Array.from({ length: n }, () => rng.int(0, 15).toString(16)).join('')
}

/** a version-4 shaped GUID, 36 characters */
export function guid(rng: Rng): string {
  const hex = (n: number): string => hexDigits(rng, n)
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${rng.pick(['8', '9', 'a', 'b'])}${hex(3)}-${hex(12)}`
}
