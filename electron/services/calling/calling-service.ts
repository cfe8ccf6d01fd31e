import type { DispensedPhone, SessionInfo } from '../../../shared/domain'
import { FIELD_MAX } from '../../../shared/fields'
import type { CallingService } from '../../../shared/ipc/contract'
import { maskPhone } from '../../../shared/settings'
import { HOLD_AHEAD_DEFAULT } from '../../../shared/values'
import { AppError } from '../../core/app-error'
import { isRemoteError } from '../../core/errors'
import { chinaDateTime, localDay } from '../../core/time'
import type { CallLogRow } from '../../../shared/calllog'
import { genderFromOwnerName } from './owner-gender'
import { fitCall, withNote } from './fitted-call'
import type { ConnectionManager } from '../connections/connections'
import {
  isoOrNull,
  packageNameFromCache,
  projectNameFromCache,
  type CallLogWriter,
} from '../calllog/types'
import { buildDialUri } from './dial'
import { DraftStore } from './draft-store'
import { ExhaustedPackages, memoryCache } from './exhausted-store'
import { isRefusal } from './refusal'
import type { DispensedStore } from './dispensed-store'
import type { KeyValueCache } from '../db/ref-cache'
import type { EnqueueInput, Outbox } from '../outbox'
import type { Dialer, Logger, SettingsStore } from '../ports'
import type { ProjectDirectory } from '../catalog/project-directory'
import type { SessionState } from '../session/session-state'

/** The call log as the number card reads it. */
export interface NumberHistory {
  callsOf(phone: string, limit?: number): CallLogRow[]
  followUpsDue(userNum: string, day: string): CallLogRow[]
}

/** The do-not-call list as the calling service needs it. */
export interface DncList {
  isDnc(phone: string): boolean
  mark(phone: string, reason: string, userNum: string): void
  /** who marked it and when, for an undo by the same agent */
  get(phone: string): { userNum: string | null; createdAt: string } | null
  remove(phone: string): boolean
}

export interface CallingServiceDeps {
  connections: ConnectionManager
  state: SessionState
  dispensed: DispensedStore
  outbox: Outbox
  dnc: DncList
  projects: ProjectDirectory
  /** the server's callback items, for the automatic 勿扰 disposition of a skipped number */
  callbackNames: () => Promise<string[]>
  settings: SettingsStore
  dialer: Dialer
  log: Logger
  now?: () => Date
  /** the call log: a row per saved call and per skipped 勿扰 number */
  callLog?: CallLogWriter
  /** the catalog's cache, for a package's name in the call log */
  catalogCache?: KeyValueCache
  /** a number's earlier calls and today's follow-ups (none when not given) */
  history?: NumberHistory
  /** unsaved forms per held number (in memory only when not given) */
  drafts?: DraftStore
  /** called-through packages, kept across restarts (in memory only when not given) */
  exhausted?: ExhaustedPackages
}

/** What a saved call records: the save's input, whether or not its number was dispensed now. */
type CallInput = Omit<Parameters<CallingService['saveCallback']>[0], 'phoneId'>

/** The disposition recorded when a number on the do-not-call list is dispensed again. */
export const DNC_ITEM = '要求勿扰'
/** How long the reach probe waits for the call server. */
const REACH_TIMEOUT_MS = 4000
/** A package full of 勿扰 numbers must not loop forever. */
const MAX_SKIPS = 50
/** A 勿扰 can be taken back by the agent who marked it, during that call (a long one at most). */
const UNDO_DNC_MS = 2 * 3600_000

/**
 * Next number, save the result, dial, 勿扰. A dispensed number is on disk before the screen sees
 * it and stays until its result is saved. Saves go through the outbox: "saved" means committed
 * locally. The following number is fetched while the agent is still on the call.
 */
export function createCallingService(deps: CallingServiceDeps): CallingService {
  const { connections, state, dispensed, outbox, dnc, projects, settings, dialer, log } = deps
  const callLog = deps.callLog
  const now = deps.now ?? (() => new Date())
  const drafts = deps.drafts ?? new DraftStore(null, log)
  /** packages getphone said are called through: the screen may say so at once */
  const exhausted = deps.exhausted ?? new ExhaustedPackages(memoryCache(), () => null, now)
  /** one getphone at a time per agent and package: two would dispense two numbers */
  const fetching = new Map<string, Promise<void>>()

  function saveCallbackItem(
    user: SessionInfo,
    phone: Pick<DispensedPhone, 'phone' | 'ownerName' | 'projectId' | 'packageId'>,
    item: string,
  ): EnqueueInput<'weixin.savecallback'> {
    return {
      kind: 'weixin.savecallback',
      phone: phone.phone,
      title: `保存反馈「${item}」· ${phone.ownerName} ${maskPhone(phone.phone)}`,
      payload: {
        user_id: user.userId,
        phone_no: phone.phone,
        // as dispensed, cut to our limit (the call log notes a cut)
        owner_name: fitCall(phone.phone, phone.ownerName, '').ownerName,
        package_id: phone.packageId,
        pro_id: phone.projectId,
        call_back_item_name: item,
      },
    }
  }

  /** who, where and which package, as the call log records them */
  function callLogContext(user: SessionInfo, projectId: number, packageId: number) {
    return {
      userNum: user.userNum,
      userName: user.userName,
      machineNo: user.machineNo,
      projectId,
      projectName:
        projects.nameOf(projectId) ??
        projectNameFromCache(deps.catalogCache, user.userId, projectId),
      packageId,
      packageName: packageNameFromCache(deps.catalogCache, user.userId, projectId, packageId),
    }
  }

  async function skipDnc(user: SessionInfo, phone: DispensedPhone): Promise<void> {
    const names = await deps.callbackNames().catch(() => [] as string[])
    const skipRow = (outboxId: string | null) => ({
      ...callLogContext(user, phone.projectId, phone.packageId),
      phone: phone.phone,
      ownerName: phone.ownerName,
      dispensedAt: phone.dispensedAt,
      callbackItem: DNC_ITEM,
      outboxId,
    })
    if (names.includes(DNC_ITEM)) {
      const enqueue = () => outbox.enqueue([saveCallbackItem(user, phone, DNC_ITEM)])
      if (callLog) {
        callLog.transaction(() => callLog.recordDncSkip(skipRow(enqueue()[0]?.id ?? null)))
      } else {
        enqueue()
      }
      outbox.kick()
    } else if (callLog) {
      try {
        callLog.recordDncSkip(skipRow(null))
      } catch (e) {
        // the skip itself must go on: the number is on the 勿扰 list either way
        log.warn('could not record a skipped do-not-call number', {
          error: e instanceof Error ? e.message : String(e),
        })
      }
    }
    log.info('skipped a do-not-call number', {
      phone: maskPhone(phone.phone),
      packageId: phone.packageId,
      recorded: names.includes(DNC_ITEM),
    })
  }

  function fetchOne(user: SessionInfo, projectId: number, packageId: number): Promise<void> {
    const key = `${user.userId}:${packageId}`
    const running = fetching.get(key)
    if (running) return running
    const p = (async () => {
      const conns = await connections.get()
      for (let skips = 0; skips <= MAX_SKIPS; skips++) {
        const raw = await conns.weixin
          .getPhone({ user_id: user.userId, package_id: packageId })
          .catch((e: unknown) => {
            if (isRemoteError(e) && e.code === 'package-exhausted') {
              exhausted.mark(user.userId, packageId)
            }
            throw e
          })
        exhausted.forget(user.userId, packageId)
        const phone: DispensedPhone = {
          phoneId: raw.phone_id,
          phone: raw.phone_no,
          ownerName: raw.owner_name,
          projectId,
          packageId,
          dispensedAt: now().toISOString(),
        }
        if (dnc.isDnc(phone.phone)) {
          await skipDnc(user, phone)
          continue
        }
        dispensed.add(user.userId, phone)
        return
      }
    })().finally(() => fetching.delete(key))
    fetching.set(key, p)
    return p
  }

  /**
   * Keeps the settings' number of numbers held behind the current one (3 unless set), fetched
   * one at a time while the agent calls: quick outcomes never wait for getphone, and calling goes
   * on through a short outage. Failures (exhausted, offline) are quiet here: the next save or
   * number asks again.
   */
  const filling = new Set<string>()
  function prefetch(user: SessionInfo, projectId: number, packageId: number): void {
    const key = `${user.userId}:${packageId}`
    if (filling.has(key)) return
    const ahead = settings.get().holdAhead ?? HOLD_AHEAD_DEFAULT
    if (dispensed.size(user.userId, packageId) > ahead) return
    filling.add(key)
    void (async () => {
      try {
        while (dispensed.size(user.userId, packageId) <= ahead) {
          const before = dispensed.size(user.userId, packageId)
          await fetchOne(user, projectId, packageId)
          // the agent logged out or switched meanwhile, or a 勿扰-only run stored nothing
          if (state.current?.userId !== user.userId) break
          if (dispensed.size(user.userId, packageId) <= before) break
        }
      } catch (e) {
        log.info('prefetch did not get a number', {
          error: e instanceof Error ? e.message : String(e),
        })
      } finally {
        filling.delete(key)
      }
    })()
  }

  /** the 勿扰 button and a refusal outcome alike: the list and the call log, together */
  function markDncFor(user: SessionInfo, phone: string, reason: string): void {
    if (callLog) {
      callLog.transaction(() => {
        dnc.mark(phone, reason, user.userNum)
        callLog.markDnc(user.userNum, phone)
      })
    } else {
      dnc.mark(phone, reason, user.userNum)
    }
    log.info('marked do-not-call', { phone: maskPhone(phone) })
  }

  /**
   * A saved call: its outbox items and its call-log row, committed together (synchronously, so a
   * check just before it cannot be overtaken). A refusal goes on the 勿扰 list first.
   */
  function commitCall(
    user: SessionInfo,
    conns: Awaited<ReturnType<ConnectionManager['get']>>,
    input: CallInput,
    dispensedAt: string | null,
  ) {
    const items: EnqueueInput[] = [saveCallbackItem(user, input, input.callbackItem)]
    const fitted = fitCall(input.phone, input.ownerName, projects.nameOf(input.projectId) ?? '')
    if (conns.datacenter && fitted.reportsToDataCenter) {
      const followContent = input.notes
        ? `${input.callbackItem}：${input.notes}`
        : input.callbackItem
      items.push({
        kind: 'datacenter.report_call',
        phone: input.phone,
        title: `数据中心跟进 · ${input.ownerName} ${maskPhone(input.phone)}`,
        payload: {
          userNum: user.userNum,
          mobile: input.phone,
          customerName: fitted.customerName,
          gender: genderFromOwnerName(input.ownerName),
          projectId: input.projectId,
          projectName: fitted.projectName,
          followTime: chinaDateTime(now()),
          followContent: followContent.slice(0, FIELD_MAX.followContent),
          ...(input.nextFollowDate ? { nextDate: input.nextFollowDate } : {}),
          ...(input.nextFollowContent ? { nextContent: input.nextFollowContent } : {}),
          cstWill: input.intent,
        },
      })
    }
    const record = (outboxId: string | null) =>
      callLog?.record({
        ...callLogContext(user, input.projectId, input.packageId),
        phone: input.phone,
        ownerName: input.ownerName,
        dispensedAt,
        dialledAt: isoOrNull(input.dialledAt),
        answeredAt: isoOrNull(input.answeredAt),
        endedAt: isoOrNull(input.endedAt),
        callbackItem: input.callbackItem,
        intent: input.intent ?? null,
        notes: withNote(input.notes, fitted.note),
        nextFollowDate: input.nextFollowDate ?? null,
        nextFollowContent: input.nextFollowContent ?? null,
        dnc: dnc.isDnc(input.phone),
        outboxId,
      })
    // a refusal goes on the 勿扰 list as the button puts it there, before the save answers
    if (isRefusal(input.callbackItem) && !dnc.isDnc(input.phone)) {
      markDncFor(user, input.phone, `反馈：${input.callbackItem}`)
    }
    // the outbox items and the call-log row commit together
    return callLog
      ? callLog.transaction(() => {
          const out = outbox.enqueue(items)
          record(out[0]?.id ?? null)
          return out
        })
      : outbox.enqueue(items)
  }

  return {
    async currentPhone({ packageId }) {
      const user = state.require()
      return dispensed.head(user.userId, packageId)
    },

    async nextPhone({ projectId, packageId }) {
      const user = state.require()
      let head = dispensed.head(user.userId, packageId)
      if (!head) {
        // a prefetch started during an outage may still be failing: its error is not this ask's
        await fetching.get(`${user.userId}:${packageId}`)?.catch(() => undefined)
        head = dispensed.head(user.userId, packageId)
      }
      if (!head) {
        await fetchOne(user, projectId, packageId)
        head = dispensed.head(user.userId, packageId)
      }
      if (!head) throw new Error('getphone returned without storing a number')
      prefetch(user, projectId, packageId)
      return head
    },

    async held({ packageId }) {
      const user = state.require()
      return {
        phones: dispensed.list(user.userId, packageId),
        exhausted: exhausted.has(user.userId, packageId),
      }
    },

    async saveCallback(input) {
      const user = state.require()
      const conns = await connections.get()
      // the dispensed number (still held until now) knows when it was handed out
      const held = dispensed
        .list(user.userId, input.packageId)
        .find((p) => p.phoneId === input.phoneId)
      const [saved] = commitCall(user, conns, input, held?.dispensedAt ?? null)
      dispensed.remove(user.userId, input.packageId, input.phoneId)
      drafts.clear(user.userId, input.packageId, input.phoneId)
      outbox.kick()
      prefetch(user, input.projectId, input.packageId)
      if (!saved) throw new Error('the outbox returned no item')
      return { id: saved.id, state: 'pending' as const, message: '已保存，正在同步' }
    },

    async markDnc({ phone, reason }) {
      const user = state.require()
      markDncFor(user, phone, reason)
      return { id: `dnc:${phone}`, state: 'delivered' as const, message: '已加入勿扰名单' }
    },

    async undoDnc({ phone }) {
      const user = state.require()
      const entry = dnc.get(phone)
      if (!entry) return false
      const age = now().getTime() - Date.parse(entry.createdAt)
      if (entry.userNum !== user.userNum || !(age <= UNDO_DNC_MS)) {
        throw new AppError('invalid-args', '只能撤销自己刚刚标记的勿扰', {
          code: 'undo-dnc-not-own',
        })
      }
      const removed = dnc.remove(phone)
      log.info('undid do-not-call', { phone: maskPhone(phone) })
      return removed
    },

    async draft({ packageId, phoneId }) {
      return drafts.get(state.require().userId, packageId, phoneId)
    },

    async putDraft({ packageId, phoneId, draft }) {
      drafts.put(state.require().userId, packageId, phoneId, draft)
      return null
    },

    async clearDraft({ packageId, phoneId }) {
      drafts.clear(state.require().userId, packageId, phoneId)
      return null
    },

    async story({ phone }) {
      state.require()
      return deps.history?.callsOf(phone, 5) ?? []
    },

    async dueToday() {
      const user = state.require()
      return deps.history?.followUpsDue(user.userNum, localDay(now())) ?? []
    },

    async saveFollowUp({ followUpOf, ...form }) {
      const user = state.require()
      const conns = await connections.get()
      // only an open follow-up of this agent's today: a second save of it (a double Enter, a
      // retry after a lost answer) finds it closed by the first one's call-log row
      const row = deps.history
        ?.followUpsDue(user.userNum, localDay(now()))
        .find((r) => r.id === followUpOf)
      if (!row) {
        throw new AppError('invalid-args', '这个回访已经保存过，或不是今天的待回访', {
          field: 'followUpOf',
          code: 'follow-up-closed',
        })
      }
      // savecallback needs no phone_id: the package and project of the call that set it
      const [saved] = commitCall(
        user,
        conns,
        {
          ...form,
          projectId: row.projectId,
          packageId: row.packageId,
          phone: row.phone,
          ownerName: row.ownerName,
        },
        null,
      )
      outbox.kick()
      if (!saved) throw new Error('the outbox returned no item')
      return { id: saved.id, state: 'pending' as const, message: '已保存，正在同步' }
    },

    async reach() {
      try {
        // the lightest read the server has, and no session needed: any answer means it is there
        await (await connections.get()).weixin.getGenderTypes({ timeoutMs: REACH_TIMEOUT_MS })
        return { online: true }
      } catch (e) {
        if (isRemoteError(e)) return { online: e.kind !== 'network' }
        throw e
      }
    },

    async dial({ phone }) {
      state.require()
      const uri = buildDialUri(settings.get().dialTemplate, phone)
      await dialer.open(uri)
      return { uri }
    },
  }
}
