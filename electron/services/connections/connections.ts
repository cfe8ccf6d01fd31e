import { join } from 'node:path'
import type { ConnectionProfile } from '../../../shared/connection-profile'
import { DataCenterClient } from '../../core/datacenter/client'
import { createSidGenerator, FileSidStateStore, type SidGenerator } from '../../core/datacenter/sid'
import { CdpClient } from '../../core/enrichment/cdp'
import { MiaosuanClient } from '../../core/enrichment/miaosuan'
import { RabbitpreClient } from '../../core/enrichment/rabbitpre'
import { WeixinClient } from '../../core/weixin/client'
import { AppError } from '../../core/app-error'
import type { Logger, SettingsStore, StartTraining, TrainingServers, Vault } from '../ports'
import { profileKeyOf } from './profile-key'

export interface Connections {
  /** talking to the embedded training sandbox */
  training: boolean
  /** the profile key (profile-key.ts): only items tagged with it go through these clients */
  profile: string
  machineNo: string
  weixin: WeixinClient
  datacenter: DataCenterClient | null
  /** this app's Data Center appid (keys the project map cache), when configured */
  datacenterAppid: string | null
  cdp: CdpClient | null
  /** the CDP's own project id per weixin pro_id (the profile's cdp.projects) */
  cdpProjects: Readonly<Record<string, string>>
  rabbitpre: RabbitpreClient | null
  miaosuan: MiaosuanClient | null
}

export interface ConnectionDeps {
  settings: SettingsStore
  vault: Vault
  log: Logger
  dataDir: string
  /** starts the training sandbox; injected so main can load it lazily */
  startSandbox: StartTraining
}

/**
 * Builds the remote clients from settings and vault (or from the embedded sandbox in training
 * mode), once, and again after settings or secrets change.
 */
export class ConnectionManager {
  private current: Promise<Connections> | null = null
  private sandbox: Promise<TrainingServers> | null = null
  private listeners = new Set<() => void>()
  private builtListeners = new Set<(profile: string) => void>()
  // One SID generator per state file for the life of the process: clients are rebuilt after a
  // settings change while deliveries still hold the old ones, and two generators on one file
  // would hand out the same lane and second twice (a 1013 for our own other command).
  private readonly sidGenerators = new Map<string, SidGenerator>()
  private lastProfile: string | null = null
  /** bumped by invalidate: a build that finishes after a newer one says nothing */
  private generation = 0

  constructor(private readonly deps: ConnectionDeps) {}

  get(): Promise<Connections> {
    if (!this.current) {
      this.current = this.build()
      this.current.catch(() => {
        this.current = null
      })
    }
    return this.current
  }

  /** settings or secrets changed: the next get() builds new clients */
  invalidate(): void {
    this.current = null
    this.generation++
    for (const l of this.listeners) l()
  }

  onChange(listener: () => void): void {
    this.listeners.add(listener)
  }

  /** told the profile key each time clients are built (legacy rows are adopted then) */
  onBuilt(listener: (profile: string) => void): void {
    this.builtListeners.add(listener)
  }

  /**
   * The profile of the clients built last: what a write made now belongs to. Every write needs
   * a session, a session needs connections, and another profile ends the session, so this is
   * the session's profile. null before the first build.
   */
  profile(): string | null {
    return this.lastProfile
  }

  async dispose(): Promise<void> {
    const sb = this.sandbox
    this.sandbox = null
    this.current = null
    if (sb) await (await sb).close()
  }

  private async build(): Promise<Connections> {
    const settings = this.deps.settings.get()
    const generation = this.generation
    let conns: Connections
    if (settings.trainingMode) {
      this.sandbox ??= this.deps.startSandbox()
      const sb = await this.sandbox
      conns = this.fromProfile(sb.profile, true)
    } else {
      conns = this.fromProfile(await this.profileFromSettings(), false)
    }
    if (generation === this.generation) {
      this.lastProfile = conns.profile
      for (const l of this.builtListeners) l(conns.profile)
    }
    return conns
  }

  private async profileFromSettings(): Promise<ConnectionProfile> {
    const s = this.deps.settings.get()
    const v = this.deps.vault
    if (!s.servers.weixin) {
      throw new AppError(
        'invalid-settings',
        '尚未配置置业外呼服务地址：请在设置中填写，或导入连接配置',
        {
          field: 'servers.weixin',
        },
      )
    }
    const [appid, token, appkey, dcAppid, companyId, instanceAppid, userId] = await Promise.all([
      v.get('datacenter.appid'),
      v.get('datacenter.token'),
      v.get('datacenter.appkey'),
      v.get('datacenter.dataCenterAppid'),
      v.get('rabbitpre.companyId'),
      v.get('rabbitpre.instanceAppid'),
      v.get('miaosuan.userId'),
    ])
    const profile: ConnectionProfile = {
      weixin: { baseUrl: s.servers.weixin, machineNo: s.machineNo },
    }
    if (s.servers.datacenter && appid && token && appkey && dcAppid) {
      profile.datacenter = {
        endpoint: s.servers.datacenter,
        appid,
        token,
        appkey,
        dataCenterAppid: dcAppid,
      }
    }
    if (s.servers.cdp && s.cdpHostHeader) {
      profile.cdp = {
        baseUrl: s.servers.cdp,
        hostHeader: s.cdpHostHeader,
        projects: s.cdpProjects ?? {},
      }
    }
    if (s.servers.rabbitpre && companyId) {
      profile.rabbitpre = { baseUrl: s.servers.rabbitpre, companyId }
      if (instanceAppid) profile.rabbitpre.instanceAppid = instanceAppid
    }
    const uid = Number(userId)
    if (s.servers.miaosuan && Number.isInteger(uid) && uid > 0) {
      profile.miaosuan = { baseUrl: s.servers.miaosuan, userId: uid }
    }
    return profile
  }

  private sidGeneratorFor(file: string, appid: string): SidGenerator {
    let gen = this.sidGenerators.get(file)
    if (!gen) {
      gen = createSidGenerator({ appid, store: new FileSidStateStore(file) })
      this.sidGenerators.set(file, gen)
    }
    return gen
  }

  private fromProfile(p: ConnectionProfile, training: boolean): Connections {
    const log = this.deps.log
    const weixin = new WeixinClient({
      baseUrl: p.weixin.baseUrl,
      machineNo: p.weixin.machineNo,
      onServerChange: (server, reason) => log.info('weixin server changed', { server, reason }),
    })
    let datacenter: DataCenterClient | null = null
    if (p.datacenter) {
      const sidFile = join(this.deps.dataDir, `sid-${p.datacenter.appid}.json`)
      datacenter = new DataCenterClient({
        ...p.datacenter,
        sid: this.sidGeneratorFor(sidFile, p.datacenter.appid),
      })
    }
    return {
      training,
      profile: profileKeyOf(p, training),
      machineNo: p.weixin.machineNo,
      weixin,
      datacenter,
      datacenterAppid: p.datacenter?.appid ?? null,
      cdp: p.cdp ? new CdpClient({ baseUrl: p.cdp.baseUrl, hostHeader: p.cdp.hostHeader }) : null,
      cdpProjects: p.cdp?.projects ?? {},
      rabbitpre: p.rabbitpre
        ? new RabbitpreClient({
            baseUrl: p.rabbitpre.baseUrl,
            companyId: p.rabbitpre.companyId,
            ...(p.rabbitpre.instanceAppid ? { instanceAppid: p.rabbitpre.instanceAppid } : {}),
          })
        : null,
      miaosuan: p.miaosuan
        ? new MiaosuanClient({ baseUrl: p.miaosuan.baseUrl, userId: p.miaosuan.userId })
        : null,
    }
  }
}
