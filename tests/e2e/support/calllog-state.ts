import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect } from 'vitest'
import { callLogColumnLabels, type CallLogColumn } from '../../../shared/calllog'
import { ensureLoggedIn, ok, type E2eSession } from './app-state'

/**
 * The call-log file's starting states, each reached through the app's services when an earlier
 * test has not already reached it: six saved calls, supervisor mode, 100,000 imported rows.
 */

export const PROJECT_ID = 141
export const PACKAGE_ID = 467
export const IMPORTED_ROWS = 100_000
export const SUPERVISOR_PASSWORD = 'zhuguan-8'
export const OWN_CALLS = 6

export interface SavedCall {
  phone: string
  item: string
}

/**
 * Six calls saved from package 467 (the second also saved as a customer), as the workspace test
 * saves them: the calls already in `saved` count, the rest are saved through the services.
 */
export async function ensureSixCalls(s: E2eSession, saved: SavedCall[]): Promise<void> {
  if (saved.length >= OWN_CALLS) return
  const { api } = s
  await ensureLoggedIn(s)
  // what the screens load first: the call log takes the project's and package's names from it
  await ok(api.catalog.projects())
  await ok(api.catalog.packages({ projectId: PROJECT_ID }))
  const items = await ok(api.catalog.callbackItems())
  const genders = await ok(api.catalog.genderTypes())
  const types = await ok(api.catalog.customerTypes())
  const ref = { projectId: PROJECT_ID, packageId: PACKAGE_ID }
  for (let n = saved.length + 1; n <= OWN_CALLS; n++) {
    const phone =
      (await ok(api.calling.currentPhone(ref))) ?? (await ok(api.calling.nextPhone(ref)))
    const item = items[n - 1]!.name
    if (n === 2) {
      await ok(
        api.customer.saveToCustomer({
          projectId: PROJECT_ID,
          customerName: phone.ownerName,
          phone: phone.phone,
          gender: genders.find((g) => g.name === '女')!.value,
          customerType: types.find((t) => t.name === '重要客')!.value,
          recommend: '万科东荟城',
          followContent: '有意向，周末看房',
        }),
      )
    }
    await ok(
      api.calling.saveCallback({
        ...ref,
        phoneId: phone.phoneId,
        phone: phone.phone,
        ownerName: phone.ownerName,
        callbackItem: item,
      }),
    )
    saved.push({ phone: phone.phone, item })
  }
  s.stale = true
}

/** a supervisor password set and supervisor mode on */
export async function ensureSupervisor(s: E2eSession): Promise<void> {
  const { api } = s
  await ensureLoggedIn(s)
  const status = await ok(api.calllog.supervisorStatus())
  if (!status.configured) {
    await ok(api.calllog.setSupervisorPassword({ next: SUPERVISOR_PASSWORD }))
    s.stale = true
  }
  if (!(await ok(api.calllog.supervisorStatus())).unlocked) {
    await ok(api.calllog.supervisorUnlock({ password: SUPERVISOR_PASSWORD }))
    s.stale = true
  }
  expect(await ok(api.calllog.supervisorStatus())).toEqual({ configured: true, unlocked: true })
}

/** supervisor mode off (the agent's own view), whether or not a password is set */
export async function ensureAgentView(s: E2eSession): Promise<void> {
  await ensureLoggedIn(s)
  if ((await ok(s.api.calllog.supervisorStatus())).unlocked) {
    await ok(s.api.calllog.supervisorLock())
    s.stale = true
  }
}

/** every row on this machine: the agent's six and the imported ones, supervisor mode on */
export async function ensureImported(s: E2eSession, saved: SavedCall[]): Promise<void> {
  await ensureSixCalls(s, saved)
  await ensureSupervisor(s)
  const all = await ok(s.api.calllog.query({ filter: {}, page: 1, pageSize: 10 }))
  if (all.total >= IMPORTED_ROWS + OWN_CALLS) return
  writeImportFile(s.env.dataDir)
  const r = await ok(s.api.calllog.importFile())
  expect(r.added).toBe(IMPORTED_ROWS)
  s.stale = true
}

/**
 * A call-log CSV from "another machine" in the folder the web app imports from: two other
 * agents over the last two weeks.
 */
export function writeImportFile(dataDir: string): string {
  const columns: CallLogColumn[] = [
    'id',
    'userNum',
    'userName',
    'machineNo',
    'projectName',
    'packageName',
    'phone',
    'ownerName',
    'dialledAt',
    'endedAt',
    'durationS',
    'callbackItem',
    'notes',
    'savedToCustomer',
  ]
  const agents = [
    ['00007', '李娜'],
    ['00008', '王强'],
  ] as const
  const results = ['继续跟进', '无人接听', '接受邀请', '无意向', '占线/稍后回电', '空号/错号']
  const pad = (n: number) => String(n).padStart(2, '0')
  const local = (d: Date) =>
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
  const lines = [columns.map((c) => callLogColumnLabels[c]).join(',')]
  const now = new Date()
  for (let i = 0; i < IMPORTED_ROWS; i++) {
    const [num, name] = agents[i % 5 === 0 ? 1 : 0]
    const day = new Date(now)
    day.setDate(now.getDate() - 1 - (i % 14))
    day.setHours(9 + ((i * 7) % 12), (i * 13) % 60, i % 60, 0)
    const duration = 15 + ((i * 37) % 280)
    const ended = new Date(day.getTime() + duration * 1000)
    lines.push(
      [
        `m2-${i}`,
        num,
        name,
        'desk-2',
        '万科东荟城',
        'VIP 客户',
        String(13_800_000_000 + i),
        `客户${i}`,
        local(day),
        local(ended),
        String(duration),
        results[(i + Math.floor(i / 7)) % results.length],
        i % 9 === 0 ? '周末看房' : '',
        i % 12 === 0 ? '是' : '否',
      ].join(','),
    )
  }
  const dir = join(dataDir, 'imports')
  mkdirSync(dir, { recursive: true })
  const file = join(dir, '通话记录-另一台电脑.csv')
  writeFileSync(file, `\uFEFF${lines.join('\r\n')}\r\n`)
  return file
}
