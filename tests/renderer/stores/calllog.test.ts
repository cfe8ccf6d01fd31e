import { beforeEach, describe, expect, it } from 'vitest'
import { useCallLogStore } from '../../../renderer/src/stores/calllog'
import { logRow } from '../support/fake-api'
import { flushPromises, setup, type Setup } from '../support/mount'

let s: Setup
beforeEach(() => {
  s = setup()
})

const query = () => s.fake.fn('calllog', 'query')
const rows = (from: number, n: number) => Array.from({ length: n }, (_, i) => logRow(from + i))

describe('the call-log store', () => {
  it('sends the filter as the contract wants it, empty fields left out', async () => {
    const store = useCallLogStore()
    store.openFor('00006')
    await store.load()
    expect(query()).toHaveBeenLastCalledWith({ filter: {}, page: 1, pageSize: 50 })

    store.setFilter({
      range: ['2025-03-01', '2025-03-07'],
      projectId: 141,
      packageId: 467,
      result: '继续跟进',
      search: '  7901 ',
    })
    await store.load()
    expect(query()).toHaveBeenLastCalledWith({
      filter: {
        from: '2025-03-01',
        to: '2025-03-07',
        projectId: 141,
        packageId: 467,
        result: '继续跟进',
        search: '7901',
      },
      page: 1,
      pageSize: 50,
    })
    expect(store.hasFilter).toBe(true)
  })

  it('drops the package when the project changes, and goes back to page 1 on any change', async () => {
    const store = useCallLogStore()
    s.fake.answer('calllog', 'query', { rows: rows(0, 50), total: 500 })
    store.setFilter({ projectId: 141, packageId: 467 })
    await store.load()
    store.setPage(4)
    expect(store.page).toBe(4)
    store.setFilter({ projectId: 123 })
    expect(store.form.packageId).toBeNull()
    expect(store.page).toBe(1)
    store.setFilter({ userNum: '00007' })
    expect(store.applied).toEqual({ projectId: 123, userNum: '00007' })
  })

  it('pages on main: total, page count, next page fetched ahead and served at once', async () => {
    const store = useCallLogStore()
    query().mockImplementation(async ({ page }: { page: number }) => ({
      ok: true,
      value: { rows: rows((page - 1) * 50, 50), total: 100_000 },
    }))
    await store.load()
    await flushPromises()
    expect(store.total).toBe(100_000)
    expect(store.pageCount).toBe(2000)
    expect(store.rows[0]!.id).toBe('row-0')
    // page 2 was asked for ahead
    expect(query().mock.calls.map((c) => c[0].page)).toEqual([1, 2])
    store.setPage(2)
    const before = query().mock.calls.length
    const loading = store.load()
    await loading
    expect(store.rows[0]!.id).toBe('row-50')
    // page 2 came from the cache; page 3 is fetched ahead now
    expect(
      query()
        .mock.calls.slice(before)
        .map((c) => c[0].page),
    ).toEqual([3])
    store.setPage(99_999)
    expect(store.page).toBe(2000)
  })

  it('changes page size back to page 1 and asks with the new size', async () => {
    const store = useCallLogStore()
    s.fake.answer('calllog', 'query', { rows: rows(0, 50), total: 1000 })
    await store.load()
    store.setPage(3)
    store.setPageSize(200)
    expect(store.page).toBe(1)
    await store.load()
    expect(query()).toHaveBeenCalledWith({ filter: {}, page: 1, pageSize: 200 })
  })

  it('keeps only the newest answer when requests overlap', async () => {
    const store = useCallLogStore()
    let release: (() => void) | undefined
    query().mockImplementationOnce(
      () =>
        new Promise((resolve) => {
          release = () => resolve({ ok: true, value: { rows: [logRow(1)], total: 1 } })
        }),
    )
    const slow = store.load()
    store.setFilter({ search: '李' })
    s.fake.answer('calllog', 'query', { rows: [logRow(9)], total: 1 })
    await store.load()
    release!()
    await slow
    expect(store.rows.map((r) => r.id)).toEqual(['row-9'])
    expect(store.loading).toBe(false)
  })

  it('reports a failure in Chinese and keeps the rows it had', async () => {
    const store = useCallLogStore()
    await store.load()
    s.fake.fail('calllog', 'query', { kind: 'storage', message: '本地数据库不可用' })
    store.setFilter({ search: 'x' })
    await store.load()
    expect(store.error).toMatchObject({ text: '本地数据库不可用' })
    expect(store.rows).toHaveLength(2)
  })

  it("forgets another agent's filter and rows when a different agent opens it", async () => {
    const store = useCallLogStore()
    expect(store.openFor('00006')).toBe(true)
    store.setFilter({ search: '李' })
    await store.load()
    expect(store.openFor('00006')).toBe(false)
    expect(store.form.search).toBe('李')
    expect(store.openFor('00007')).toBe(true)
    expect(store.form.search).toBe('')
    expect(store.rows).toEqual([])
    expect(store.loaded).toBe(false)
  })
})
