import { WeixinClient } from '../electron/core/weixin/client'
import { SandboxServer } from '../electron/sandbox/framework'
import { createSeedWorld } from '../electron/sandbox/seed'
import { createWeixinServerDef } from '../electron/sandbox/weixin'

function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[i] ?? Number.NaN
}

/**
 * The client's own overhead: one weixin call (request validation, HTTP on loopback, JSON, errmsg
 * folding, zod) against the sandbox at 0 ms latency. A read (getcallback, pooled connection) and
 * a write (savecallback, always a fresh connection so that "refused" means "never arrived").
 */
export async function benchWeixinClient(): Promise<void> {
  const world = createSeedWorld(1, '2026-11-22')
  const server = new SandboxServer(createWeixinServerDef(world))
  const base = await server.listen(0)
  const client = new WeixinClient({ baseUrl: `${base}/estate` })
  const run = async (name: string, n: number, call: () => Promise<unknown>): Promise<void> => {
    for (let i = 0; i < 50; i++) await call()
    const times: number[] = []
    for (let i = 0; i < n; i++) {
      const t = performance.now()
      await call()
      times.push(performance.now() - t)
    }
    times.sort((a, b) => a - b)
    const p50 = percentile(times, 50)
    const p99 = percentile(times, 99)
    console.log(
      `  ${name.padEnd(28)} p50 ${p50.toFixed(3)} ms   p99 ${p99.toFixed(3)} ms   (n=${n})`,
    )
    console.log(`BENCH weixin_${name}_p50 ${p50.toFixed(3)} ms`)
    console.log(`BENCH weixin_${name}_p99 ${p99.toFixed(3)} ms`)
  }
  console.log('\nWeixin client overhead against the sandbox at 0 ms latency')
  try {
    await run('read_getcallback', 2000, () => client.getCallbackItems())
    const save = {
      user_id: 29,
      phone_no: '15920447900',
      owner_name: '李先生',
      package_id: 467,
      pro_id: 141,
      call_back_item_name: '继续跟进',
    }
    await run('write_savecallback', 1000, () => client.saveCallback(save))
  } finally {
    await server.close()
  }
}
