import { contextBridge, ipcRenderer } from 'electron'
import { buildCallcenterApi, type Invoke, type Subscribe } from '../../shared/ipc/api'
import { contractEventNames, contractMethods, eventChannelOf } from '../../shared/ipc/channels'

/**
 * The renderer's only door to main (#20 of Electron's security checklist: do not expose
 * Electron APIs to untrusted web content). The page gets `window.callcenter`, one typed method
 * per contract method; never ipcRenderer, a generic invoke, or an IpcRendererEvent.
 */

const methodChannels = new Set(contractMethods().map((m) => m.channel))
const eventChannels = new Set(contractEventNames.map(eventChannelOf))

const invoke: Invoke = (channel, args) => {
  if (!methodChannels.has(channel)) return Promise.reject(new Error('unknown channel'))
  return ipcRenderer.invoke(channel, ...args)
}

const subscribe: Subscribe = (channel, listener) => {
  if (!eventChannels.has(channel)) throw new Error('unknown event channel')
  // only the payload crosses: the event object would hand the page `sender` (ipcRenderer)
  const wrapped = (_event: Electron.IpcRendererEvent, payload: unknown): void => listener(payload)
  ipcRenderer.on(channel, wrapped)
  return () => {
    ipcRenderer.removeListener(channel, wrapped)
  }
}

contextBridge.exposeInMainWorld('callcenter', buildCallcenterApi(invoke, subscribe))
