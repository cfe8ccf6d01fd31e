import { createSeedWorld, type SeedWorld } from '../../electron/sandbox/seed'
import type { DesktopConfig } from './desktop'

/** The fleet's worlds: the seeded one, with enough numbers for every desktop's calls. */

const USER = '00006'
const today = (): string => new Date().toISOString().slice(0, 10)

/** Enough numbers in every package the agent may call for `perPackage` calls and prefetch. */
export function enlargedWorld(seed: number, perPackage: number): SeedWorld {
  const world = createSeedWorld(seed, today())
  let n = 0
  for (const project of world.projects) {
    for (const pkg of project.packages) {
      while (pkg.phones.length < perPackage) {
        const phone = `166${String(seed % 100).padStart(2, '0')}${String(n++).padStart(6, '0')}`
        const surname = '赵钱孙李周吴郑王'[n % 8]!
        world.people.set(phone, {
          phone,
          fullName: `${surname}测试`,
          ownerName: `${surname}${n % 2 ? '先生' : '女士'}`,
          gender: n % 2 ? 'M' : 'W',
          birthday: '1985-05-05 00:00:00',
          province: '广东省',
          city: '广州市',
          region: '天河区',
        })
        pkg.phones.push(phone)
      }
    }
  }
  return world
}

/** The packages user 00006 may call, one list per desktop (distinct while there are enough). */
export function packagesFor(world: SeedWorld, desktops: number): DesktopConfig['packages'][] {
  const user = world.users.find((u) => u.user_num === USER)!
  const all = world.projects
    .filter((p) => !p.expired && user.projectIds.includes(p.pro_id))
    .flatMap((p) => p.packages.map((k) => ({ projectId: p.pro_id, packageId: k.package_id })))
  return Array.from({ length: desktops }, (_, d) => [
    all[d % all.length]!,
    all[(d + desktops) % all.length]!,
  ])
}
