import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { DispensedStore } from '../../../electron/services/calling/dispensed-store'
import type { DispensedPhone } from '../../../shared/domain'

const quiet = { info: () => {}, warn: () => {}, error: () => {} }
const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true })
})
function file(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-dispensed-'))
  dirs.push(dir)
  return path.join(dir, 'dispensed-phones.json')
}
const phone = (phoneId: number, n = '13900000001'): DispensedPhone => ({
  phoneId,
  phone: n,
  ownerName: '王先生',
  projectId: 141,
  packageId: 467,
  dispensedAt: '2026-11-22T02:00:00.000Z',
})

describe('dispensed numbers belong to the system that dispensed them', () => {
  it('a training number is not offered while working for real, and comes back in training', () => {
    let profile = 'training'
    const f = file()
    const store = new DispensedStore(f, quiet, () => profile)
    store.add(29, phone(1))
    profile = 'p-prod'
    expect(store.head(29, 467)).toBeNull()
    // a restart keeps them apart too
    const again = new DispensedStore(f, quiet, () => profile)
    expect(again.head(29, 467)).toBeNull()
    profile = 'training'
    expect(again.head(29, 467)?.phoneId).toBe(1)
  })

  it('numbers kept before profiles were go to the first profile used', () => {
    const f = file()
    fs.writeFileSync(f, JSON.stringify({ version: 1, queues: { '29:467': [phone(7)] } }))
    const store = new DispensedStore(f, quiet, () => 'p-prod')
    expect(store.head(29, 467)?.phoneId).toBe(7)
    expect(new DispensedStore(f, quiet, () => 'training').head(29, 467)).toBeNull()
  })

  it('a number whose result is already saved (a kill after the save) is not offered again', () => {
    const saved = new Set<number>([1])
    const store = new DispensedStore(
      file(),
      quiet,
      () => 'p-prod',
      (p) => saved.has(p.phoneId),
    )
    store.add(29, phone(1))
    store.add(29, phone(2, '13900000002'))
    expect(store.head(29, 467)?.phoneId).toBe(2)
    expect(store.size(29, 467)).toBe(1)
  })
})
