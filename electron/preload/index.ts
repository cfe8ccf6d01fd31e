import { contextBridge } from 'electron'

contextBridge.exposeInMainWorld('callcenter', Object.freeze({ platform: process.platform }))
