import type { ConnectionProfile } from '../../shared/connection-profile'
import { remoteSystems, type RemoteSystem } from '../../shared/remote-error'
import { createCdpServerDef } from './cdp'
import { createDataCenterServerDef } from './datacenter'
import { newControlToken, type ControlAccess } from './control-access'
import { SandboxServer } from './framework'
import { createMiaosuanServerDef } from './miaosuan'
import { createRabbitpreServerDef } from './rabbitpre'
import {
  createSeedWorld,
  DEFAULT_SEED,
  SANDBOX_DATACENTER,
  SANDBOX_ENRICHMENT,
  type SeedWorld,
} from './seed'
import { createWeixinServerDef } from './weixin'

export interface SandboxOptions {
  seed?: number
  /** yyyy-MM-dd the seeded project dates are relative to; default today */
  today?: string
  /** a port per system; 0 (the default) picks a free one */
  ports?: Partial<Record<RemoteSystem, number>>
  host?: string
  /** the control API: a per-launch token by default; 'off' in a packaged build */
  control?: ControlAccess
  /** a world built (and perhaps enlarged) by the caller instead of one from seed and today */
  world?: SeedWorld
}

export interface RunningSandbox {
  world: SeedWorld
  servers: Record<RemoteSystem, SandboxServer>
  /** the profile that points the app at this sandbox (same shape an administrator imports) */
  profile: ConnectionProfile
  /** each server's control root (port and token) for `${root}/__sandbox/...`, also while offline; empty when control is off */
  roots: Record<RemoteSystem, string>
  close(): Promise<void>
}

/** Starts every sandbox double on 127.0.0.1 over one seeded world. */
export async function startSandbox(opts: SandboxOptions = {}): Promise<RunningSandbox> {
  const world = opts.world ?? createSeedWorld(opts.seed ?? DEFAULT_SEED, opts.today)
  const control = opts.control ?? { token: newControlToken() }
  const servers: Record<RemoteSystem, SandboxServer> = {
    weixin: new SandboxServer(createWeixinServerDef(world), control),
    datacenter: new SandboxServer(createDataCenterServerDef(world, SANDBOX_DATACENTER), control),
    cdp: new SandboxServer(createCdpServerDef(world), control),
    rabbitpre: new SandboxServer(createRabbitpreServerDef(world), control),
    miaosuan: new SandboxServer(createMiaosuanServerDef(world), control),
  }
  const started: SandboxServer[] = []
  try {
    for (const system of remoteSystems) {
      await servers[system].listen(opts.ports?.[system] ?? 0, opts.host ?? '127.0.0.1')
      started.push(servers[system])
    }
  } catch (e) {
    await Promise.all(started.map((s) => s.close()))
    throw e
  }
  const roots = (
    control === 'off'
      ? {}
      : Object.fromEntries(remoteSystems.map((s) => [s, servers[s].controlUrl]))
  ) as Record<RemoteSystem, string>
  const url = (s: RemoteSystem): string => servers[s].url
  const profile: ConnectionProfile = {
    name: '培训沙箱',
    weixin: { baseUrl: `${url('weixin')}/estate`, machineNo: 'weixin' },
    datacenter: {
      endpoint: `${url('datacenter')}/openapi`,
      appid: SANDBOX_DATACENTER.appid,
      token: SANDBOX_DATACENTER.token,
      appkey: SANDBOX_DATACENTER.appkey,
      dataCenterAppid: SANDBOX_DATACENTER.dataCenterAppid,
    },
    cdp: {
      baseUrl: url('cdp'),
      hostHeader: SANDBOX_ENRICHMENT.cdpHost,
      // what an administrator would write: each weixin project's id on the CDP
      projects: Object.fromEntries(
        world.projects.flatMap((p) => (p.cdpProjectId ? [[String(p.pro_id), p.cdpProjectId]] : [])),
      ),
    },
    rabbitpre: { baseUrl: url('rabbitpre'), companyId: SANDBOX_ENRICHMENT.rabbitpreCompanyId },
    miaosuan: { baseUrl: url('miaosuan'), userId: SANDBOX_ENRICHMENT.miaosuanUserId },
  }
  return {
    world,
    servers,
    profile,
    roots,
    close: async () => {
      await Promise.all(remoteSystems.map((s) => servers[s].close()))
    },
  }
}
