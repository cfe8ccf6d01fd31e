/**
 * `npm run fleet -- --desktops N --calls M`: N desktops (separate processes) on one sandbox with
 * faults and kills, then the exactly-once checks (tests/fleet/fleet.ts). Prints BENCH lines;
 * exits 1 when a check fails, naming it.
 */
import { benchLines, runFleet } from '../tests/fleet/fleet'

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`)
  if (i < 0) return fallback
  const n = Number(process.argv[i + 1])
  if (!Number.isInteger(n) || n < 1) {
    process.stderr.write(`--${name} 应为正整数\n`)
    process.exit(2)
  }
  return n
}

const desktops = arg('desktops', 5)
const calls = arg('calls', 10)
const started = Date.now()
const r = await runFleet({
  desktops,
  calls,
  // --random-lanes: installations nobody numbered (collisions are then confirmed and re-sent)
  randomLanes: process.argv.includes('--random-lanes'),
  log: (line) => process.stderr.write(`${line}\n`),
  timeoutMs: 30 * 60_000,
})
for (const line of benchLines(r)) process.stdout.write(`${line}\n`)
process.stderr.write(`fleet: ${((Date.now() - started) / 1000).toFixed(1)} s\n`)
if (r.problems.length > 0) {
  process.stderr.write(
    `fleet: ${r.problems.length} problem(s):\n${r.problems.slice(0, 30).join('\n')}\n`,
  )
  process.exit(1)
}
process.exit(0)
