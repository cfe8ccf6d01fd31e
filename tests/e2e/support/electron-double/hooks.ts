/**
 * `node --import ./hooks.ts out/main/index.js`: `electron` resolves to the recording double, for
 * main's own imports and for every package that imports or requires it. In-thread hooks
 * (module.registerHooks), so CommonJS require() is covered as well as import.
 */
import { registerHooks } from 'node:module'

const DOUBLE = new URL('./electron-double.ts', import.meta.url).href

registerHooks({
  resolve(specifier, context, nextResolve) {
    if (specifier === 'electron' || specifier.startsWith('electron/')) {
      return { url: DOUBLE, shortCircuit: true }
    }
    return nextResolve(specifier, context)
  },
})
