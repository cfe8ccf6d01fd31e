import { buildCallcenterApi } from '../../shared/ipc/api'
import type { CallcenterApi } from '../../shared/ipc/contract'
import type { Dispatcher } from '../../electron/ipc/dispatcher'
import { registerDispatcher, type IpcMainLike } from '../../electron/ipc/register'

type Listener = (event: { senderFrame: { url: string } | null }, ...args: unknown[]) => unknown

/**
 * An in-memory stand-in for ipcMain/ipcRenderer (as VS Code tests its IPC over an in-memory
 * protocol): main's real registration and the preload's real API builder, joined by a queue that
 * copies every value with structuredClone the way Electron's IPC serialises them.
 */
export function createInMemoryIpcPair(
  dispatcher: Dispatcher,
  senderUrl = 'app://callcenter/index.html',
): {
  api: CallcenterApi
  invokeRaw(channel: string, args: unknown[], url?: string): Promise<unknown>
  emit(channel: string, payload: unknown): void
  /** everything the renderer side received: answers and events, as serialised */
  transcript: string[]
} {
  const transcript: string[] = []
  const handlers = new Map<string, Listener>()
  const ipcMain: IpcMainLike = {
    handle(channel, listener) {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`)
      handlers.set(channel, listener)
    },
  }
  registerDispatcher(ipcMain, dispatcher)
  const subscribers = new Map<string, Set<(payload: unknown) => void>>()

  async function invokeRaw(channel: string, args: unknown[], url = senderUrl): Promise<unknown> {
    const handler = handlers.get(channel)
    if (!handler) throw new Error(`No handler registered for '${channel}'`)
    await Promise.resolve()
    const result = await handler({ senderFrame: { url } }, ...structuredClone(args))
    transcript.push(JSON.stringify(result))
    return structuredClone(result)
  }

  const api = buildCallcenterApi(
    (channel, args) => invokeRaw(channel, args),
    (channel, listener) => {
      const set = subscribers.get(channel) ?? new Set()
      set.add(listener)
      subscribers.set(channel, set)
      return () => set.delete(listener)
    },
  )
  return {
    api,
    invokeRaw,
    transcript,
    emit(channel, payload) {
      transcript.push(JSON.stringify({ channel, payload }))
      for (const l of subscribers.get(channel) ?? []) l(structuredClone(payload))
    },
  }
}
