/**
 * `npm run bench`: figures, not tests. Each is printed for people and once more as
 * `BENCH <name> <value> <unit>` for tools. Nothing here fails on speed.
 */
import { benchCallLog } from './calllog'
import { benchEnvelope } from './envelope'
import { benchFleet } from './fleet'
import { benchOutbox } from './outbox'
import { benchSoftphone } from './softphone'
import { benchWorkspace } from './workspace'
import { benchWeixinClient } from './weixin-client'

const only = process.argv.slice(2)
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

console.log(`node ${process.version} on ${process.platform}/${process.arch}`)
for (const [name, run] of benches) {
  if (only.length > 0 && !only.includes(name)) continue
  await run()
}
