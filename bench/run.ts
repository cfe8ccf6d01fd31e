/**
 * `npm run bench`: figures, not tests. Each is printed for people and once more as
 * `BENCH <name> <value> <unit>` for tools. Nothing here fails on speed.
 *
 * `npm run bench -- calllog workspace` runs only those. Each suite runs in a fresh process of its
 * own: a figure must not depend on the heap and RSS the suites before it left behind (the call
 * log's exports started at 349 MB RSS after the envelope, weixin and outbox suites in one
 * process, at 204 MB in their own).
 */
import { spawnSync } from 'node:child_process'
import { benchCallLog } from './calllog'
import { benchEnvelope } from './envelope'
import { benchFleet } from './fleet'
import { benchOutbox } from './outbox'
import { benchSoftphone } from './softphone'
import { benchWorkspace } from './workspace'
import { benchWeixinClient } from './weixin-client'

const benches: [string, () => Promise<void>][] = [
  ['envelope', benchEnvelope],
  ['weixin', benchWeixinClient],
  ['outbox', benchOutbox],
  ['calllog', benchCallLog],
  ['fleet', benchFleet],
  // Kamailio and Chromium with fake media; skips when kamailio is not installed
  ['softphone', benchSoftphone],
  // needs out/renderer: run `npm run build` first
  ['workspace', benchWorkspace],
]

/** set in the process that runs one suite for the parent */
const SUITE_ENV = 'CALLCENTER_BENCH_SUITE'

const names = benches.map(([name]) => name)
const only = process.argv.slice(2)
const unknown = only.filter((n) => !names.includes(n))
if (unknown.length > 0) {
  console.error(`unknown bench: ${unknown.join(', ')} (choose from ${names.join(', ')})`)
  process.exit(2)
}

const suite = process.env[SUITE_ENV]
if (suite) {
  await benches.find(([name]) => name === suite)?.[1]()
} else {
  console.log(`node ${process.version} on ${process.platform}/${process.arch}`)
  const failed: string[] = []
  for (const name of names) {
    if (only.length > 0 && !only.includes(name)) continue
    const run = spawnSync(process.execPath, [...process.execArgv, import.meta.filename], {
      stdio: 'inherit',
      env: { ...process.env, [SUITE_ENV]: name },
    })
    if (run.status !== 0) failed.push(name)
  }
  if (failed.length > 0) {
    console.error(`bench failed: ${failed.join(', ')}`)
    process.exit(1)
  }
}
