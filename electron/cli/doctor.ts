import { readFileSync } from 'node:fs'
import { z } from 'zod'
import { connectionProfileSchema, type ConnectionProfile } from '../../shared/connection-profile'
import { remoteSystemNames, type RemoteSystem } from '../../shared/remote-error'
import { DataCenterClient } from '../core/datacenter/client'
import { createSidGenerator } from '../core/datacenter/sid'
import { CdpClient } from '../core/enrichment/cdp'
import { MiaosuanClient } from '../core/enrichment/miaosuan'
import { RabbitpreClient } from '../core/enrichment/rabbitpre'
import { isRemoteError } from '../core/errors'
import { WeixinClient } from '../core/weixin/client'
import { isActiveUserStatus } from '../core/weixin/schemas'
import { doctorSoftphoneSchema, formatSipCheck, runSipChecks } from './doctor-sip'

/** a doctor config: a connection profile, plus an agent's login to try */
export const doctorConfigSchema = connectionProfileSchema.extend({
  login: z.object({ userNum: z.string().min(1), password: z.string().min(1) }).optional(),
  /** a mobile to look up in the enrichment systems and the Data Center */
  probeMobile: z
    .string()
    .regex(/^1\d{10}$/)
    .optional(),
  /** a Miaosuan customer id to look up */
  probeMiaosuanId: z.number().int().positive().optional(),
  /** the built-in softphone's PBX: its SIP WebSocket and an extension to register */
  softphone: doctorSoftphoneSchema.optional(),
})
export type DoctorConfig = z.output<typeof doctorConfigSchema>

export interface CheckResult {
  system: RemoteSystem
  check: string
  status: 'ok' | 'fail' | 'skip'
  detail: string
  ms: number
}

const DEFAULT_PROBE_MOBILE = '13800000000'

async function timed(
  system: RemoteSystem,
  check: string,
  run: () => Promise<string>,
): Promise<CheckResult> {
  const started = performance.now()
  try {
    const detail = await run()
    return { system, check, status: 'ok', detail, ms: Math.round(performance.now() - started) }
  } catch (e) {
    const detail = isRemoteError(e)
      ? `${e.code !== undefined ? `${e.code} ` : ''}${e.message}`
      : e instanceof Error
        ? e.message
        : String(e)
    return { system, check, status: 'fail', detail, ms: Math.round(performance.now() - started) }
  }
}

function skip(system: RemoteSystem, check: string, detail: string): CheckResult {
  return { system, check, status: 'skip', detail, ms: 0 }
}

/** Runs every check the config allows, in order; never throws. */
export async function runDoctorChecks(
  cfg: DoctorConfig,
  opts: { timeoutMs?: number } = {},
): Promise<CheckResult[]> {
  const timeoutMs = opts.timeoutMs ?? 8_000
  const out: CheckResult[] = []
  const mobile = cfg.probeMobile ?? DEFAULT_PROBE_MOBILE

  const wx = new WeixinClient({
    baseUrl: cfg.weixin.baseUrl,
    machineNo: cfg.weixin.machineNo,
    timeoutMs,
  })
  const reach = await timed('weixin', 'reachable', async () => {
    const items = await wx.getCallbackItems()
    return `${cfg.weixin.baseUrl}（反馈类型 ${items.length} 项）`
  })
  out.push(reach)
  out.push(
    await timed('weixin', 'get_server_url', async () => {
      const server = await wx.useLeastLoadedServer()
      return `最闲服务器 ${server}`
    }),
  )
  if (cfg.login) {
    const { userNum, password } = cfg.login
    out.push(
      await timed('weixin', 'login', async () => {
        const user = await wx.login({ user_num: userNum, pwd: password })
        const status = await wx.getUserStatus({ enroll_number: userNum })
        if (!isActiveUserStatus(status)) throw new Error(`用户状态为「${status}」，不是「活动」`)
        return `${userNum} → ${user.user_name}（id ${user.user_id}，${status}）`
      }),
    )
  } else {
    out.push(skip('weixin', 'login', '未提供登录账号（config 中的 login）'))
  }

  if (cfg.datacenter) {
    const dc = new DataCenterClient({
      ...cfg.datacenter,
      sid: createSidGenerator({ appid: cfg.datacenter.appid }),
      timeoutMs,
    })
    out.push(
      await timed('datacenter', 'envelope round-trip', async () => {
        // cst_info_get is a read: a verified answer (found or 1012) proves both directions
        try {
          const c = await dc.cstInfoGet({ mobile })
          return `签名校验通过（${mobile} → ${c.customerName}）`
        } catch (e) {
          if (isRemoteError(e) && e.kind === 'remote' && (e.code === 1012 || e.code === 2001)) {
            return `签名校验通过（${mobile} 无记录：${e.message}）`
          }
          throw e
        }
      }),
    )
  } else {
    out.push(skip('datacenter', 'envelope round-trip', '未配置'))
  }

  if (cfg.cdp) {
    const cdp = new CdpClient({ ...cfg.cdp, timeoutMs })
    out.push(
      await timed('cdp', 'tags', async () => {
        const tags = await cdp.getTags({ projectId: '0', phone: mobile })
        return tags ? `有标签（${tags.user_name || mobile}）` : `可访问（${mobile} 无标签）`
      }),
    )
  } else {
    out.push(skip('cdp', 'tags', '未配置'))
  }

  if (cfg.rabbitpre) {
    const rp = new RabbitpreClient({ ...cfg.rabbitpre, timeoutMs })
    out.push(
      await timed('rabbitpre', 'audience', async () => {
        const list = await rp.getAudienceByPhones([mobile])
        return `可访问（${mobile} 档案 ${list.length} 条）`
      }),
    )
  } else {
    out.push(skip('rabbitpre', 'audience', '未配置'))
  }

  if (cfg.miaosuan) {
    const ms = new MiaosuanClient({ ...cfg.miaosuan, timeoutMs })
    const id = cfg.probeMiaosuanId ?? 1
    out.push(
      await timed('miaosuan', 'customer', async () => {
        try {
          const c = await ms.getCustomer(id)
          return `可访问（客户 ${id}：${c.statusName ?? '—'}）`
        } catch (e) {
          if (isRemoteError(e) && e.kind === 'remote' && String(e.code) === '404') {
            return `可访问（客户 ${id} 不存在）`
          }
          throw e
        }
      }),
    )
  } else {
    out.push(skip('miaosuan', 'customer', '未配置'))
  }
  return out
}

export function formatCheck(r: CheckResult): string {
  const mark = r.status === 'ok' ? '✔' : r.status === 'fail' ? '✘' : '–'
  const name = `${remoteSystemNames[r.system]}（${r.system}）`
  const ms = r.status === 'skip' ? '' : ` ${r.ms} ms`
  return `${mark} ${name} ${r.check}: ${r.detail}${ms}`
}

export function loadDoctorConfig(file: string): DoctorConfig {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (e) {
    throw new Error(`读取配置文件失败：${file}（${(e as Error).message}）`)
  }
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (e) {
    throw new Error(`配置文件不是有效的 JSON：${(e as Error).message}`)
  }
  const parsed = doctorConfigSchema.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const field = issue?.path.map(String).join('.') ?? ''
    throw new Error(`配置文件字段 ${field || '(根)'} 无效：${issue?.message ?? ''}`)
  }
  return parsed.data
}

export const DOCTOR_USAGE = `用法: npm run doctor [-- --config FILE]
  不带 --config：启动内置沙箱并检查它（登录 00006 / 888）。
  --config FILE：连接配置 JSON（与 npm run sandbox 输出的格式相同），可加
    "login": {"userNum": "...", "password": "..."}、"probeMobile": "138…"、"probeMiaosuanId": 1、
    "softphone": {"wsUrl": "wss://…", "sipDomain": "…", "extension": "…", "password": "…"}`

export async function runDoctorCli(
  argv: string[],
  io: { out: (s: string) => void; err: (s: string) => void },
  startSandbox: () => Promise<{ profile: ConnectionProfile; close(): Promise<void> }>,
): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.out(DOCTOR_USAGE)
    return 0
  }
  let cfg: DoctorConfig
  let cleanup = async (): Promise<void> => {}
  const i = argv.indexOf('--config')
  const unknown = argv.filter(
    (a, k) => a.startsWith('-') && a !== '--config' && (i < 0 || k !== i + 1),
  )
  if (unknown.length > 0) {
    io.err(`未知选项 ${unknown.join(' ')}\n${DOCTOR_USAGE}`)
    return 2
  }
  if (i >= 0) {
    const file = argv[i + 1]
    if (!file) {
      io.err('--config 需要一个文件路径')
      return 2
    }
    try {
      cfg = loadDoctorConfig(file)
    } catch (e) {
      io.err((e as Error).message)
      return 2
    }
    io.out(`检查配置 ${file}`)
  } else {
    const sb = await startSandbox()
    cleanup = () => sb.close()
    cfg = { ...sb.profile, login: { userNum: '00006', password: '888' } }
    io.out('未指定 --config：检查内置沙箱（127.0.0.1）')
  }
  try {
    const results = await runDoctorChecks(cfg)
    for (const r of results) io.out(formatCheck(r))
    // the softphone's PBX, when the config names one
    const sip = cfg.softphone ? await runSipChecks(cfg.softphone) : []
    for (const r of sip) io.out(formatSipCheck(r))
    const failed = [...results, ...sip].filter((r) => r.status === 'fail').length
    io.out(failed === 0 ? '全部检查通过' : `${failed} 项检查失败`)
    return failed === 0 ? 0 : 1
  } finally {
    await cleanup()
  }
}
