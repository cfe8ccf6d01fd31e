import { beforeEach, describe, expect, it, vi } from 'vitest'
import { useWorkspaceStore } from '../../../renderer/src/stores/workspace'
import { ok, phone } from '../support/fake-api'
import { flushPromises, setup, type Setup } from '../support/mount'

let s: Setup
beforeEach(() => {
  s = setup()
})

describe('the workspace store', () => {
  it('opens on the number already dispensed, before asking for a new one', async () => {
    s.fake.answer('calling', 'currentPhone', phone(5))
    const ws = useWorkspaceStore()
    await ws.open(141, 467)
    expect(ws.phone?.phoneId).toBe(phone(5).phoneId)
    expect(ws.phase).toBe('ready')
    expect(s.fake.fn('calling', 'nextPhone')).not.toHaveBeenCalled()
  })

  it('saves the callback with the form, then shows the next number at once', async () => {
    const ws = useWorkspaceStore()
    await ws.open(141, 467)
    const first = ws.phone!
    ws.pick('无人接听')
    ws.form.notes = ' 三点后再打 '
    ws.form.nextFollowDate = '2025-02-01'
    ws.form.intent = 'B'
    ws.markDialled(new Date('2025-01-01T10:00:00Z'))
    expect(await ws.save()).toBe(true)
    expect(s.fake.fn('calling', 'saveCallback')).toHaveBeenCalledWith({
      projectId: 141,
      packageId: 467,
      phoneId: first.phoneId,
      phone: first.phone,
      ownerName: first.ownerName,
      callbackItem: '无人接听',
      notes: '三点后再打',
      intent: 'B',
      nextFollowDate: '2025-02-01',
      dialledAt: '2025-01-01T10:00:00.000Z',
      endedAt: expect.any(String),
    })
    // saved first, then the next number; the form starts clean
    const save = s.fake.fn('calling', 'saveCallback').mock.invocationCallOrder[0]!
    const next = s.fake.fn('calling', 'nextPhone').mock.invocationCallOrder[1]!
    expect(save).toBeLessThan(next)
    expect(ws.phone?.phoneId).not.toBe(first.phoneId)
    expect(ws.lastSaved).toMatchObject({ ownerName: first.ownerName, callbackItem: '无人接听' })
    expect(ws.form).toMatchObject({ callbackItem: '', notes: '', intent: 'C' })
    expect(ws.call.dialledAt).toBeNull()
  })

  it('asks for a callback item before saving', async () => {
    const ws = useWorkspaceStore()
    await ws.open(141, 467)
    expect(await ws.save()).toBe(false)
    expect(ws.saveNotice).toEqual({ key: 'work.pickFirst' })
    expect(s.fake.fn('calling', 'saveCallback')).not.toHaveBeenCalled()
  })

  it('keeps the number and the form when the save is refused, with main’s message', async () => {
    s.fake.fail('calling', 'saveCallback', {
      kind: 'invalid-args',
      message: '参数 notes 无效：备注最多 500 字',
      field: 'notes',
    })
    const ws = useWorkspaceStore()
    await ws.open(141, 467)
    const first = ws.phone
    ws.pick('继续跟进')
    expect(await ws.save()).toBe(false)
    expect(ws.phone).toEqual(first)
    expect(ws.form.callbackItem).toBe('继续跟进')
    expect(ws.saveNotice).toMatchObject({
      text: '参数 notes 无效：备注最多 500 字',
      field: 'notes',
    })
  })

  it('does not save twice while a save is under way', async () => {
    const ws = useWorkspaceStore()
    await ws.open(141, 467)
    ws.pick('继续跟进')
    const a = ws.save()
    const b = ws.save()
    expect(await b).toBe(false)
    expect(await a).toBe(true)
    expect(s.fake.fn('calling', 'saveCallback')).toHaveBeenCalledTimes(1)
  })

  it('ends in the exhausted state when the package is called through', async () => {
    const ws = useWorkspaceStore()
    await ws.open(141, 467)
    s.fake.fail('calling', 'nextPhone', {
      kind: 'remote',
      message: '此信息包已经 call 完',
      code: 'package-exhausted',
    })
    ws.pick('无意向')
    expect(await ws.save()).toBe(true)
    expect(ws.phase).toBe('exhausted')
    expect(ws.phone).toBeNull()
    expect(ws.lastSaved?.callbackItem).toBe('无意向')
  })

  it('tells an expired project and a network failure apart', async () => {
    s.fake.fail('calling', 'nextPhone', {
      kind: 'remote',
      message: '联动项目已删除、或者过期',
      code: 'project-expired',
    })
    const ws = useWorkspaceStore()
    await ws.open(141, 467)
    expect(ws.phase).toBe('expired')
    s.fake.fail('calling', 'nextPhone', { kind: 'network', message: '无法连接服务器' })
    await ws.reload()
    expect(ws.phase).toBe('error')
    expect(ws.phaseNotice).toMatchObject({ text: '无法连接服务器' })
  })

  it('marks 勿扰 through main and picks the 勿扰 item; saving records it and moves on', async () => {
    const ws = useWorkspaceStore()
    await ws.open(141, 467)
    const first = ws.phone!
    expect(await ws.markDnc('要求勿扰')).toBe(true)
    expect(s.fake.fn('calling', 'markDnc')).toHaveBeenCalledWith({ phone: first.phone })
    // the call stays on screen until Enter: a mistaken 勿扰 can still be taken back
    expect(ws.phone).toBe(first)
    expect(ws.dncMarked).toBe(first.phone)
    expect(await ws.save()).toBe(true)
    expect(s.fake.fn('calling', 'saveCallback').mock.calls[0]?.[0]).toMatchObject({
      callbackItem: '要求勿扰',
      phone: first.phone,
    })
    expect(ws.phone?.phoneId).not.toBe(first.phoneId)
    expect(ws.dncMarked).toBeNull()
  })

  it('takes a mistaken 勿扰 back within the call', async () => {
    const ws = useWorkspaceStore()
    await ws.open(141, 467)
    const first = ws.phone!
    await ws.markDnc('要求勿扰')
    expect(await ws.undoDnc('要求勿扰')).toBe(true)
    expect(s.fake.fn('calling', 'undoDnc')).toHaveBeenCalledWith({ phone: first.phone })
    expect(ws.dncMarked).toBeNull()
    expect(ws.form.callbackItem).toBe('')
  })

  it('keeps what is typed as a draft in main and restores it on coming back', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    try {
      const ws = useWorkspaceStore()
      await ws.open(141, 467)
      const first = ws.phone!
      ws.pick('继续跟进')
      ws.form.notes = '下午再联系'
      await flushPromises()
      vi.advanceTimersByTime(400)
      const put = s.fake.fn('calling', 'putDraft')
      expect(put).toHaveBeenCalledTimes(1)
      expect(put.mock.calls[0]?.[0]).toMatchObject({
        phoneId: first.phoneId,
        draft: { callbackItem: '继续跟进', notes: '下午再联系', intent: 'C' },
      })
      // leaving at once after typing: the draft goes before the screen closes
      ws.form.intent = 'A'
      await flushPromises()
      ws.close()
      expect(put).toHaveBeenCalledTimes(2)
      // back on the screen (or after a restart): main holds the number and its draft
      s.fake.answer('calling', 'currentPhone', { ...first })
      s.fake.answer('calling', 'draft', { ...put.mock.calls[1]?.[0].draft })
      await ws.open(141, 467)
      await flushPromises()
      expect(ws.form).toMatchObject({ callbackItem: '继续跟进', notes: '下午再联系', intent: 'A' })
      // a restored draft is not typing: nothing is put again
      vi.advanceTimersByTime(400)
      expect(put).toHaveBeenCalledTimes(2)
    } finally {
      vi.useRealTimers()
    }
  })

  it('starts the call timer on dial', async () => {
    const ws = useWorkspaceStore()
    await ws.open(141, 467)
    await ws.dial()
    expect(s.fake.fn('calling', 'dial')).toHaveBeenCalledWith({ phone: ws.phone!.phone })
    expect(ws.call.dialledAt).not.toBeNull()
  })
  it('ignores a late answer for a package the agent has already left', async () => {
    // the first package's number is slow; the agent switches package before it comes
    let answerFirst: (value: unknown) => void = () => undefined
    s.fake
      .fn('calling', 'currentPhone')
      .mockImplementationOnce(() => new Promise((resolve) => (answerFirst = resolve)))
      .mockImplementationOnce(async () => ok(phone(2, { packageId: 468 })))
    const ws = useWorkspaceStore()
    const first = ws.open(141, 467)
    await ws.open(141, 468)
    expect(ws.phone?.phoneId).toBe(phone(2).phoneId)
    answerFirst(ok(phone(1)))
    await first
    await flushPromises()
    expect(ws.pkg).toEqual({ projectId: 141, packageId: 468 })
    expect(ws.phone?.phoneId).toBe(phone(2).phoneId)
    expect(ws.phase).toBe('ready')
  })

  it('ignores a late failure after a newer number came', async () => {
    let failFirst: (value: unknown) => void = () => undefined
    const ws = useWorkspaceStore()
    await ws.open(141, 467)
    s.fake
      .fn('calling', 'nextPhone')
      .mockImplementationOnce(() => new Promise((resolve) => (failFirst = resolve)))
    const slow = ws.reload()
    await ws.reload()
    const shown = ws.phone
    failFirst({ ok: false, error: { kind: 'network', message: '无法连接服务器' } })
    await slow
    expect(ws.phase).toBe('ready')
    expect(ws.phone).toEqual(shown)
    expect(ws.phaseNotice).toBeNull()
  })
})
