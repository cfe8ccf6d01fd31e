import { beforeEach, describe, expect, it } from 'vitest'
import { useCallLogStore } from '../../../renderer/src/stores/calllog'
import { useSupervisorStore } from '../../../renderer/src/stores/supervisor'
import { setup, type Setup } from '../support/mount'

let s: Setup
beforeEach(() => {
  s = setup()
})

const everyone = [
  { userNum: '00006', userName: '冯依敏' },
  { userNum: '00007', userName: '李娜' },
]

describe('the supervisor store', () => {
  it('unlocks with the password, loads every agent and tells the screens to reload', async () => {
    const supervisor = useSupervisorStore()
    const calllog = useCallLogStore()
    s.fake.answer('calllog', 'agents', everyone)
    const version = calllog.dataVersion
    await supervisor.unlock('secret1')
    expect(s.fake.fn('calllog', 'supervisorUnlock')).toHaveBeenCalledWith({ password: 'secret1' })
    expect(supervisor.unlocked).toBe(true)
    expect(calllog.agents).toEqual(everyone)
    expect(calllog.dataVersion).toBe(version + 1)
  })

  it('sets the first password without a current one, changes it with one', async () => {
    const supervisor = useSupervisorStore()
    await supervisor.setPassword('123456')
    expect(s.fake.fn('calllog', 'setSupervisorPassword')).toHaveBeenLastCalledWith({
      next: '123456',
    })
    await supervisor.setPassword('abcdef', '123456')
    expect(s.fake.fn('calllog', 'setSupervisorPassword')).toHaveBeenLastCalledWith({
      current: '123456',
      next: 'abcdef',
    })
    expect(supervisor.unlocked).toBe(true)
  })

  it('on lock: hides the numbers again and drops the agent filter', async () => {
    const supervisor = useSupervisorStore()
    const calllog = useCallLogStore()
    await supervisor.unlock('secret1')
    supervisor.revealPhones = true
    calllog.setFilter({ userNum: '00007' })
    await supervisor.lock()
    expect(supervisor.unlocked).toBe(false)
    expect(supervisor.revealPhones).toBe(false)
    expect(calllog.form.userNum).toBe('')
  })

  it('answers a wrong password as main said it', async () => {
    const supervisor = useSupervisorStore()
    s.fake.fail('calllog', 'supervisorUnlock', {
      kind: 'forbidden',
      message: '主管密码不正确',
      field: 'password',
      code: 'wrong-password',
    })
    expect(await supervisor.unlock('nope')).toMatchObject({
      text: '主管密码不正确',
      field: 'password',
      code: 'wrong-password',
    })
    expect(supervisor.unlocked).toBe(false)
  })

  it('imports a file and reloads when rows were added; a failure is kept as text', async () => {
    const supervisor = useSupervisorStore()
    const calllog = useCallLogStore()
    s.fake.answer('calllog', 'importFile', {
      file: '/data/imports/a.csv',
      read: 10,
      added: 7,
      duplicates: 3,
    })
    const version = calllog.dataVersion
    await supervisor.importFile()
    expect(supervisor.lastImport).toMatchObject({ read: 10, added: 7, duplicates: 3 })
    expect(calllog.dataVersion).toBe(version + 1)
    s.fake.fail('calllog', 'importFile', {
      kind: 'forbidden',
      message: '导入通话记录需要主管模式，请先输入主管密码',
    })
    await supervisor.importFile()
    expect(supervisor.lastImport).toBeNull()
    expect(supervisor.importError).toMatchObject({
      text: '导入通话记录需要主管模式，请先输入主管密码',
    })
  })
})
