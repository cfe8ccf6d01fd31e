import path from 'node:path'
import type { TableSalvage } from './salvage'

/**
 * What happened to the local database at open and what was recovered, for the agent: the
 * structured report (AppDatabase.recovery) and its Chinese text (AppDatabase.problem, which the
 * sync status shows).
 */

export interface RecoveryReport {
  /**
   * damaged: the file could not be read whole (moved aside, salvaged);
   * emptied: it was there, zero bytes long, although this machine had data;
   * missing: gone, although this machine had data
   */
  cause: 'damaged' | 'emptied' | 'missing'
  /** where the damaged (or empty) file was moved, when it was */
  movedAside: string | null
  /** per table, when a damaged file was salvaged; empty otherwise */
  tables: TableSalvage[]
  /** whether the supervisor password's hash was recovered */
  supervisorPassword: boolean
  /** 勿扰 numbers put back from the append-only list (dnc.log) */
  dncRestoredFromJournal: number
  /** 勿扰 numbers on the list after the merge */
  dncTotal: number
}

const LABEL: Record<TableSalvage['table'], string> = {
  outbox: '尚未同步的记录',
  call_log: '通话记录',
  dnc: '勿扰号码',
  ref_cache: '缓存数据（项目、信息包、离线登录）',
}

const UNIT: Record<TableSalvage['table'], string> = {
  outbox: '条',
  call_log: '条',
  dnc: '个',
  ref_cache: '项',
}

export function recoveryText(r: RecoveryReport, supervisorKey: string): string {
  const parts: string[] = []
  if (r.cause === 'damaged') {
    const where = r.movedAside ? `已另存为 ${path.basename(r.movedAside)} ` : ''
    parts.push(`本地数据库文件已损坏，${where}并新建了数据库。`)
  } else if (r.cause === 'emptied') {
    parts.push('本地数据库文件变成了空文件（可能在断电或磁盘故障时被截断），已新建数据库。')
  } else {
    parts.push('本地数据库文件不见了（可能被删除或移走），已新建数据库。')
  }

  const found: string[] = []
  const lost: string[] = []
  for (const t of r.tables) {
    const n =
      t.table === 'outbox' ? (t.open ?? 0) : t.table === 'ref_cache' ? otherKeys(t) : t.recovered
    if (n > 0) found.push(`${n} ${UNIT[t.table]}${LABEL[t.table]}`)
    if (t.unreadable) lost.push(`全部${LABEL[t.table]}`)
    else if (!t.complete) lost.push(`部分${LABEL[t.table]}（在文件损坏的部分）`)
  }
  if (r.supervisorPassword) found.push('主管密码')
  if (found.length > 0) parts.push(`已从损坏的文件中找回 ${found.join('、')}。`)
  if (r.cause !== 'damaged') {
    lost.push('尚未同步的记录、通话记录和缓存数据')
  }
  if (lost.length > 0) parts.push(`未能找回：${lost.join('、')}。`)
  // a ref_cache read whole without the hash: no supervisor password was ever set
  const refs = r.tables.find((t) => t.table === 'ref_cache')
  if (!r.supervisorPassword && !refs?.complete) parts.push('如本机设置过主管密码，请重新设置。')

  if (r.dncRestoredFromJournal > 0) {
    parts.push(
      `勿扰名单已从备份清单补回 ${r.dncRestoredFromJournal} 个号码（共 ${r.dncTotal} 个）。`,
    )
  } else if (r.dncTotal > 0) {
    parts.push(`勿扰名单完整（共 ${r.dncTotal} 个号码，已与备份清单核对）。`)
  }
  const outbox = r.tables.find((t) => t.table === 'outbox')
  if (!outbox || !outbox.complete)
    parts.push('尚未同步的记录可能已丢失，请核对最近保存的通话结果。')
  return parts.join('')

  function otherKeys(t: TableSalvage): number {
    return (t.keys ?? []).filter((k) => k !== supervisorKey).length
  }
}
