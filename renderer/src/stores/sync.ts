import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { OutboxItem, OutboxState, SyncStatus } from '../../../shared/domain'
import { useApi } from '../api'
import { attempt, noticeOf, type Notice } from './notice'

/** Open items first in the panel: what the agent may need to act on. */
const stateOrder: Record<OutboxState, number> = {
  failed: 0,
  uncertain: 1,
  sending: 2,
  pending: 3,
  delivered: 4,
  discarded: 5,
}

/**
 * Tolerant reading of a status payload: a missing or odd field must not break the header
 * (events from an older main, or a half-built one).
 */
function normalise(raw: Partial<SyncStatus> | null | undefined): SyncStatus {
  const n = (v: unknown): number => (typeof v === 'number' && v >= 0 ? v : 0)
  return {
    online: raw?.online !== false,
    pending: n(raw?.pending),
    sending: n(raw?.sending),
    uncertain: n(raw?.uncertain),
    failed: n(raw?.failed),
    lastSuccessAt: typeof raw?.lastSuccessAt === 'string' ? raw.lastSuccessAt : null,
    flush:
      raw?.flush && typeof raw.flush === 'object'
        ? { total: n(raw.flush.total), done: n(raw.flush.done) }
        : null,
    storageProblem: typeof raw?.storageProblem === 'string' ? raw.storageProblem : null,
  }
}

/** The outbox as the agent sees it: the header's indicator and the sync panel. */
export const useSyncStore = defineStore('sync', () => {
  const api = useApi()
  const status = ref<SyncStatus | null>(null)
  const statusError = ref<Notice | null>(null)
  const items = ref<OutboxItem[]>([])
  const listLoading = ref(false)
  const listError = ref<Notice | null>(null)
  const panelOpen = ref(false)
  const busy = ref<Record<string, boolean>>({})
  let unsubscribe: (() => void) | null = null

  const waiting = computed(() => (status.value ? status.value.pending + status.value.sending : 0))
  const needsAttention = computed(() =>
    status.value ? status.value.failed + status.value.uncertain > 0 : false,
  )

  function apply(raw: Partial<SyncStatus> | null | undefined): void {
    status.value = normalise(raw)
    statusError.value = null
    if (panelOpen.value) void loadList()
  }

  function start(): void {
    unsubscribe ??= api.on('syncProgress', (payload) => apply(payload))
    void refresh()
  }

  function stop(): void {
    unsubscribe?.()
    unsubscribe = null
  }

  async function refresh(): Promise<void> {
    try {
      apply(await api.sync.status())
    } catch (e) {
      statusError.value = noticeOf(e)
    }
  }

  let listing: Promise<void> | null = null
  function loadList(): Promise<void> {
    // one request at a time: progress events can arrive many a second
    listing ??= (async () => {
      listLoading.value = true
      try {
        const list = await api.sync.list({ limit: 200 })
        items.value = [...list].sort(
          (a, b) =>
            stateOrder[a.state] - stateOrder[b.state] || b.createdAt.localeCompare(a.createdAt),
        )
        listError.value = null
      } catch (e) {
        listError.value = noticeOf(e)
      } finally {
        listLoading.value = false
        listing = null
      }
    })()
    return listing
  }

  function openPanel(): void {
    panelOpen.value = true
    void loadList()
  }

  async function act(id: string, run: () => Promise<OutboxItem>): Promise<Notice | null> {
    busy.value[id] = true
    const failed = await attempt(async () => {
      const updated = await run()
      items.value = items.value.map((i) => (i.id === id ? updated : i))
    })
    busy.value[id] = false
    if (!failed) void refresh()
    return failed
  }

  const retry = (id: string): Promise<Notice | null> => act(id, () => api.sync.retry({ id }))
  const discard = (id: string): Promise<Notice | null> => act(id, () => api.sync.discard({ id }))
  /** main validates the fields; the notice names the bad one (field `fields.<name>`) */
  const edit = (id: string, fields: Record<string, string>): Promise<Notice | null> =>
    act(id, () => api.sync.edit({ id, fields }))

  const flushing = ref(false)
  const flushError = ref<Notice | null>(null)
  async function flush(): Promise<void> {
    flushing.value = true
    flushError.value = null
    try {
      apply(await api.sync.flush())
    } catch (e) {
      flushError.value = noticeOf(e)
    } finally {
      flushing.value = false
    }
  }

  return {
    status,
    statusError,
    items,
    listLoading,
    listError,
    panelOpen,
    busy,
    waiting,
    needsAttention,
    flushing,
    flushError,
    start,
    stop,
    refresh,
    loadList,
    openPanel,
    retry,
    discard,
    edit,
    flush,
    apply,
  }
})
