import { benchLines, runFleet } from '../tests/fleet/fleet'

/** A modest fleet (5 desktops × 10 calls, faults and kills); the full one is `npm run fleet`. */
export async function benchFleet(): Promise<void> {
  console.log('\nfleet: 5 desktops × 10 calls on one sandbox, with faults and kills')
  const r = await runFleet({ desktops: 5, calls: 10 })
  for (const line of benchLines(r)) console.log(line)
  if (r.problems.length > 0) console.log(`fleet problems:\n${r.problems.join('\n')}`)
}
