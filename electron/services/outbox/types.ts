import type { Intent } from '../../../shared/fields'
import type { OutboxItem, OutboxKind, SyncStatus } from '../../../shared/domain'

/** What each kind carries; stored as JSON in the outbox row. */
export interface OutboxPayloads {
  'weixin.savecallback': {
    user_id: number
    phone_no: string
    owner_name: string
    package_id: number
    pro_id: number
    call_back_item_name: string
  }
  'weixin.save_to_customer': {
    reg_user_id: number
    customer_name: string
    customer_phone: string
    gender_type: string
    customer_type: string
    recommend: string
    follow_content: string
  }
  'datacenter.report_call': {
    /** the agent's 工号, sent as userGUID / consultantId (the 置业顾问帐号) */
    userNum: string
    mobile: string
    customerName: string
    /** 1 男 2 女 0 未知 */
    gender: 0 | 1 | 2
    /** the weixin project, mapped to the Data Center's projGUID at send time by name */
    projectId: number
    projectName: string
    followTime: string
    followContent: string
    nextDate?: string
    nextContent?: string
    cstWill: Intent
  }
}

export interface EnqueueInput<K extends OutboxKind = OutboxKind> {
  kind: K
  payload: OutboxPayloads[K]
  /** per-phone ordering: items of one phone are delivered in enqueue order */
  phone: string
  /** the sync panel's line, e.g. 保存反馈 · 李先生 159****7900 */
  title: string
}

/** The outbox as the other services use it. */
export interface Outbox {
  /**
   * Commits the items in one transaction and returns them. When it returns they are on disk
   * (WAL, synchronous=FULL): the screen may say "saved". Throws AppError kind 'storage' with a
   * Chinese reason (disk full, read-only, damaged database) and commits nothing.
   */
  enqueue(items: EnqueueInput[]): OutboxItem[]
  /** wake the sync engine (after an enqueue, or when the network may be back) */
  kick(): void
  status(): SyncStatus
}
