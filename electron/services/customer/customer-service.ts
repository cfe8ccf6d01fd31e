import type { ProfileSection } from '../../../shared/profile'
import type { CustomerService } from '../../../shared/ipc/contract'
import { cdpDisplayTags } from '../../core/enrichment/cdp'
import { summariseMiaosuanCustomer, type MiaosuanCustomer } from '../../core/enrichment/miaosuan'
import { formatChinaTime, summariseRabbitpreProfile } from '../../core/enrichment/rabbitpre'
import type { CstIdentity, CstInfo } from '../../core/datacenter/schemas'
import { isRemoteError } from '../../core/errors'
import { maskPhone } from '../../../shared/settings'
import type { CallLogWriter } from '../calllog/types'
import type { ConnectionManager } from '../connections/connections'
import type { Outbox } from '../outbox'
import type { Logger } from '../ports'
import type { SessionState } from '../session/session-state'
import { AppError } from '../../core/app-error'
import type { MiaosuanLinks } from './miaosuan-links'

export interface CustomerServiceDeps {
  connections: ConnectionManager
  state: SessionState
  outbox: Outbox
  log: Logger
  /** the Data Center's projGUID for a weixin project, when known (null: no history lookup) */
  projectGuid?: (projectId: number) => Promise<string | null>
  /** the call log: the agent's newest call of the phone is marked saved to customer */
  callLog?: CallLogWriter
  /** which Miaosuan customer a number is, as agents linked them on this machine */
  miaosuanLinks?: MiaosuanLinks
}

const titles: Record<ProfileSection['system'], string> = {
  datacenter: '数据中心档案',
  cdp: '客户标签',
  rabbitpre: '兔展互动',
  miaosuan: '秒算装修',
}

function section(system: ProfileSection['system'], over: Partial<ProfileSection>): ProfileSection {
  return {
    system,
    found: false,
    configured: true,
    title: titles[system],
    fields: [],
    history: [],
    links: {},
    ...over,
  }
}

/**
 * cst_identify's followType (§4.5.1) is a 跟进类别, not cst_follow_update's 跟进方式 (§4.2.8:
 * 1 主动电访 … 7 其它). §4.5.1 names the field without listing values; the 跟进类别 table is
 * §4.5.14's (cst_status_notify), which the Data Center uses for the same follow records.
 */
export const identifyFollowTypes: Record<string, string> = {
  '1': '预约',
  '2': '来电',
  '3': '到访',
  '4': '认筹',
  '5': '认购',
  '6': '签约',
  '7': '回款',
  '8': '其他',
}

export function dataCenterFields(c: CstInfo, id: CstIdentity | null): ProfileSection['fields'] {
  const out: ProfileSection['fields'] = []
  const add = (label: string, value: string | undefined | null): void => {
    if (value && value.trim() !== '') out.push({ label, value: value.trim() })
  }
  add('姓名', c.customerName)
  add('性别', c.gender === 1 ? '男' : c.gender === 2 ? '女' : undefined)
  add('出生日期', c.birthday.slice(0, 10))
  add('客户类型', c.custType === 1 ? '个人客户' : c.custType === 2 ? '公司客户' : undefined)
  add('备用电话', c.phone)
  add('居住地', [c.homeProvince, c.homeCity, c.homeRegion, c.address].filter(Boolean).join(' '))
  add('工作地', [c.workProvince, c.workCity, c.workRegion].filter(Boolean).join(' '))
  if (id) {
    const flags = [
      id.isOwner ? '业主' : '',
      id.isStaff ? '员工' : '',
      id.isMember ? '会员' : '',
    ].filter(Boolean)
    add('身份', flags.join('、'))
  }
  return out
}

function miaosuanSection(customer: MiaosuanCustomer): ProfileSection {
  return section('miaosuan', {
    found: true,
    fields: summariseMiaosuanCustomer(customer),
    links: { miaosuanId: String(customer.id) },
  })
}

/** Save to customer, and the customer 360 panel: each section loads and fails on its own. */
export function createCustomerService(deps: CustomerServiceDeps): CustomerService {
  const { connections, state, log } = deps
  const projectGuid = deps.projectGuid ?? (async () => null)

  /** "not found" answers are a normal outcome for a profile, not an error */
  function notFound(e: unknown, codes: (string | number)[]): boolean {
    return isRemoteError(e) && e.kind === 'remote' && e.code !== undefined && codes.includes(e.code)
  }

  /**
   * The Rabbitpre lookup of the number on screen. Rabbitpre allows one request a second per
   * account; an agent saving quickly moves on faster than that, so a newer number's lookup
   * cancels an older one still waiting for its turn (the screen has dropped that number, and
   * the queue would otherwise grow with every save).
   */
  let rabbitpreLookup: { phone: string; cancel: AbortController } | null = null

  return {
    async saveToCustomer(input) {
      const user = state.require()
      // same phone as its savecallback: the outbox delivers it after that one
      const enqueue = () =>
        deps.outbox.enqueue([
          {
            kind: 'weixin.save_to_customer',
            phone: input.phone,
            title: `添加电子客 · ${input.customerName} ${maskPhone(input.phone)}`,
            payload: {
              reg_user_id: user.userId,
              customer_name: input.customerName,
              customer_phone: input.phone,
              gender_type: input.gender,
              customer_type: input.customerType,
              recommend: input.recommend,
              follow_content: input.followContent,
            },
          },
        ])
      const callLog = deps.callLog
      const [item] = callLog
        ? callLog.transaction(() => {
            const out = enqueue()
            callLog.markSavedToCustomer(user.userNum, input.phone)
            return out
          })
        : enqueue()
      deps.outbox.kick()
      log.info('saved to customer (queued)', { projectId: input.projectId })
      if (!item) throw new Error('the outbox returned no item')
      return { id: item.id, state: 'pending' as const, message: '已保存，正在同步' }
    },

    async profileDatacenter({ phone, projectId }) {
      state.require()
      const dc = (await connections.get()).datacenter
      if (!dc) return section('datacenter', { configured: false })
      let info: CstInfo
      try {
        info = await dc.cstInfoGet({ mobile: phone })
      } catch (e) {
        if (notFound(e, [1012, 2001])) return section('datacenter', {})
        throw e
      }
      const guid = await projectGuid(projectId)
      const identity = guid ? await dc.cstIdentify({ cstMobile: phone, projGUID: guid }) : null
      return section('datacenter', {
        found: true,
        fields: dataCenterFields(info, identity),
        history: (identity?.list ?? []).map((f) => ({
          time: f.followTime,
          type: identifyFollowTypes[String(f.followType).trim()] ?? String(f.followType),
          content: f.followContent,
        })),
        links: { cstGUID: info.cstGUID },
      })
    },

    async profileCdp({ phone, projectId }) {
      state.require()
      const conns = await connections.get()
      const cdp = conns.cdp
      if (!cdp) return section('cdp', { configured: false })
      // the CDP numbers its projects itself: only the profile's mapping names ours there
      const cdpProject = conns.cdpProjects[String(projectId)]
      if (cdpProject === undefined) {
        return section('cdp', {
          note: '未配置 CDP 项目：连接配置中没有此项目在客户数据中台的项目 id（cdp.projects）',
        })
      }
      const tags = await cdp.getTags({ projectId: cdpProject, phone })
      if (!tags) return section('cdp', {})
      return section('cdp', {
        found: true,
        fields: cdpDisplayTags(tags).map(({ label, value }) => ({ label, value })),
        links: tags.one_id ? { oneId: tags.one_id } : {},
      })
    },

    async profileRabbitpre({ phone }) {
      state.require()
      const rp = (await connections.get()).rabbitpre
      if (!rp) return section('rabbitpre', { configured: false })
      // the account is shared by every desktop: when it stays busy, the last answer and its time
      if (rabbitpreLookup && rabbitpreLookup.phone !== phone) rabbitpreLookup.cancel.abort()
      const lookup = { phone, cancel: new AbortController() }
      rabbitpreLookup = lookup
      let answer: Awaited<ReturnType<typeof rp.getAudienceOrLast>>
      try {
        answer = await rp.getAudienceOrLast([phone], { signal: lookup.cancel.signal })
      } catch (e) {
        if (!lookup.cancel.signal.aborted) throw e
        return section('rabbitpre', { note: '已换到下一个号码，未查询' })
      } finally {
        if (rabbitpreLookup === lookup) rabbitpreLookup = null
      }
      const { profiles, asOf } = answer
      const note = asOf === null ? {} : { note: `兔展繁忙，显示 ${formatChinaTime(asOf)} 的结果` }
      const [profile] = profiles
      if (!profile) return section('rabbitpre', note)
      return section('rabbitpre', {
        found: true,
        fields: summariseRabbitpreProfile(profile),
        ...note,
      })
    },

    async profileMiaosuan({ phone }) {
      state.require()
      const ms = (await connections.get()).miaosuan
      if (!ms) return section('miaosuan', { configured: false })
      const link = deps.miaosuanLinks?.get(phone)
      if (!link) return section('miaosuan', { unlinked: true })
      try {
        return miaosuanSection(await ms.getCustomer(link.customerId))
      } catch (e) {
        if (notFound(e, [404, '404'])) {
          return section('miaosuan', {
            links: { miaosuanId: String(link.customerId) },
            note: `已关联的秒算客户 id ${link.customerId} 在秒算中不存在，可重新关联`,
          })
        }
        throw e
      }
    },

    async linkMiaosuan({ phone, customerId }) {
      const user = state.require()
      const ms = (await connections.get()).miaosuan
      if (!ms) throw new AppError('invalid-settings', '未配置秒算：请先在设置中导入连接配置')
      if (!deps.miaosuanLinks) throw new Error('no Miaosuan link store')
      let out: ProfileSection
      try {
        out = miaosuanSection(await ms.getCustomer(customerId))
      } catch (e) {
        if (notFound(e, [404, '404'])) {
          throw new AppError(
            'invalid-args',
            `秒算客户 id：秒算中没有客户 ${customerId}，请核对后再关联`,
            {
              field: 'customerId',
            },
          )
        }
        throw e
      }
      deps.miaosuanLinks.set(phone, customerId, user.userNum)
      log.info('linked a Miaosuan customer', { phone: maskPhone(phone), customerId })
      return out
    },
  }
}
