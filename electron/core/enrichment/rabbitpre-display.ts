import type { RabbitpreProfile } from './rabbitpre-profile'

/** A Rabbitpre profile as label/value lines for the agent. */

export interface RabbitpreDisplayItem {
  label: string
  value: string
}

const SEX_NAMES = { 0: '未知', 1: '男', 2: '女' } as const
const CHANNEL_TYPES: Record<string, string> = { EMPLOYEE: '员工', FIXED: '自有渠道' }

/** yyyy-MM-dd HH:mm in China time (UTC+8 all year), whatever the machine's zone. */
export function formatChinaTime(ms: number): string {
  const d = new Date(ms + 8 * 3_600_000)
  const p = (n: number): string => String(n).padStart(2, '0')
  return (
    `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ` +
    `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`
  )
}

function ago(ms: number, now: number): string {
  const days = Math.floor((now - ms) / 86_400_000)
  if (days < 0) return ''
  if (days === 0) return '（今天）'
  return `（${days} 天前）`
}

/** The profile as label/value lines for the agent; absent facts are left out. */
export function summariseRabbitpreProfile(
  p: RabbitpreProfile,
  now: number = Date.now(),
): RabbitpreDisplayItem[] {
  const out: RabbitpreDisplayItem[] = []
  const add = (label: string, value: string | undefined): void => {
    if (value !== undefined && value.trim() !== '') out.push({ label, value: value.trim() })
  }
  add('姓名', p.realName)
  add('昵称', p.wxNickname)
  if (p.sex !== undefined && p.sex !== 0) add('性别', SEX_NAMES[p.sex])
  // IP city is the freshest, then the WeChat profile's, then the location grant.
  const place =
    joinPlace(p.province, p.city) ??
    joinPlace(p.wxProvince, p.wxCity) ??
    joinPlace(p.lbsProvince, p.lbsCity)
  add('城市', place)
  if (p.lastActiveTime !== undefined) {
    add('最近活跃', formatChinaTime(p.lastActiveTime) + ago(p.lastActiveTime, now))
  }
  if (p.active !== undefined) {
    const parts = [`总 ${p.active}`]
    if (p.weekActive) parts.push(`7 天 ${p.weekActive.count}`)
    if (p.monthActive) parts.push(`30 天 ${p.monthActive.count}`)
    add('活跃度', parts.join(' · '))
  }
  if (p.spread !== undefined && p.spread > 0) add('传播力', String(p.spread))
  if (p.sourceCnlName !== undefined) {
    const type = p.sourceCnlType ? CHANNEL_TYPES[p.sourceCnlType] : undefined
    add('来源渠道', type ? `${p.sourceCnlName}（${type}）` : p.sourceCnlName)
  }
  add('来源作品', p.sourceAppType)
  const wechats = (p.wechatList ?? [])
    .map((w) => w.wechatName)
    .filter((n) => n !== undefined && n !== '')
  if (wechats.length > 0) add('关注公众号', wechats.join('、'))
  add('备注', p.remark)
  return out
}

function joinPlace(province: string | undefined, city: string | undefined): string | undefined {
  const c = city?.trim() ?? ''
  const pr = province?.trim() ?? ''
  if (c === '' && pr === '') return undefined
  if (pr === '' || c === pr || c.startsWith(pr)) return c || pr
  return c === '' ? pr : `${pr} ${c}`
}
