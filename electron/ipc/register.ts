import { eventChannelOf } from '../../shared/ipc/channels'
import { type EventName, type EventPayload, ipcEvents } from '../../shared/ipc/contract'
import type { EmitEvent } from '../services/ports'
import type { Dispatcher } from './dispatcher'

/** The part of Electron's ipcMain the app uses; the in-memory test pair implements it too. */
export interface IpcMainLike {
  handle(
    channel: string,
    listener: (event: { senderFrame: { url: string } | null }, ...args: unknown[]) => unknown,
  ): void
}

/** One handler per contract channel: each hands the call to the dispatcher with its sender. */
export function registerDispatcher(ipc: IpcMainLike, dispatcher: Dispatcher): void {
  for (const channel of dispatcher.channels) {
    ipc.handle(channel, (event, ...args) =>
      dispatcher.dispatch(channel, args, { senderUrl: event.senderFrame?.url }),
    )
  }
}

export type EventSink = (channel: string, payload: unknown) => void

/** Validates an event payload against the contract before any renderer sees it. */
export function createEventEmitter(sink: EventSink): EmitEvent {
  return function emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    const parsed = ipcEvents[event].parse(payload)
    sink(eventChannelOf(event), parsed)
  }
}
