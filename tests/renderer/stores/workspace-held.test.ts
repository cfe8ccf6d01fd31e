import { beforeEach, describe, expect, it } from 'vitest'
import { useWorkspaceStore } from '../../../renderer/src/stores/workspace'
import { err, ok, phone } from '../support/fake-api'
import { flushPromises, setup, type Setup } from '../support/mount'

/** Save → the next held number on screen at once; the save goes on underneath. */

let s: Setup
beforeEach(() => {
  s = setup()
  s.fake.answer('calling', 'nextPhone', phone(1))
  s.fake.answer('calling', 'held', { phones: [phone(1), phone(2), phone(3)], exhausted: false })
})

describe('the next number from the held ones', () => {
  it('is on screen before main has answered the save', async () => {
    const ws = useWorkspaceStore()
    await ws.open(141, 467)
    await flushPromises()
    expect(ws.ahead.map((p) => p.phoneId)).toEqual([phone(2).phoneId, phone(3).phoneId])
    let answer: (v: unknown) => void = () => undefined
    s.fake.fn('calling', 'saveCallback').mockImplementation(() => new Promise((r) => (answer = r)))
    ws.pick('无人接听')
    const saved = ws.save()
    // synchronously: no await between the Enter and the next number
    expect(ws.phone?.phoneId).toBe(phone(2).phoneId)
    expect(ws.form.callbackItem).toBe('')
    expect(s.fake.fn('calling', 'nextPhone')).toHaveBeenCalledTimes(1)
    answer(ok({ id: 'r1', state: 'pending' }))
    expect(await saved).toBe(true)
    expect(ws.lastSaved?.phone).toBe(phone(1).phone)
    expect(s.fake.fn('calling', 'saveCallback').mock.calls[0]![0]).toMatchObject({
      phoneId: phone(1).phoneId,
      callbackItem: '无人接听',
    })
  })

  it('brings the call back with what was typed when main refuses the save', async () => {
    const ws = useWorkspaceStore()
    await ws.open(141, 467)
    await flushPromises()
    s.fake
      .fn('calling', 'saveCallback')
      .mockImplementation(async () => err({ kind: 'storage', message: '磁盘已满，无法保存' }))
    ws.pick('继续跟进')
    ws.form.notes = '周末再打'
    expect(await ws.save()).toBe(false)
    expect(ws.phone?.phoneId).toBe(phone(1).phoneId)
    expect(ws.form).toMatchObject({ callbackItem: '继续跟进', notes: '周末再打' })
    expect(ws.saveNotice).toMatchObject({ text: '磁盘已满，无法保存' })
    expect(ws.ahead[0]?.phoneId).toBe(phone(2).phoneId)
  })

  it('ends the package at once when main says nothing more will come', async () => {
    s.fake.answer('calling', 'held', { phones: [phone(1)], exhausted: true })
    const ws = useWorkspaceStore()
    await ws.open(141, 467)
    await flushPromises()
    ws.pick('无人接听')
    const saved = ws.save()
    expect(ws.phase).toBe('exhausted')
    expect(await saved).toBe(true)
    expect(s.fake.fn('calling', 'nextPhone')).toHaveBeenCalledTimes(1)
  })
})
