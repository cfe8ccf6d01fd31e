import { resolve } from 'node:path'
import { build } from 'esbuild'

/** the browser-side source; bundled in memory so nothing of the bridge lands in out/ */
export const BRIDGE_CLIENT_SOURCE = resolve(import.meta.dirname, 'client.ts')

/**
 * Bundles client.ts (and the shared contract it builds the global from) into one classic-script
 * IIFE: a classic script runs before the app's deferred module script and declares no globals
 * of its own besides window.callcenter.
 */
export function buildBridgeClient(): Promise<string> {
  // one bundle per process: every host started by a test run serves the same source
  cached ??= bundle().catch((e: unknown) => {
    cached = undefined
    throw e
  })
  return cached
}

let cached: Promise<string> | undefined

async function bundle(): Promise<string> {
  const result = await build({
    entryPoints: [BRIDGE_CLIENT_SOURCE],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    charset: 'utf8',
    legalComments: 'none',
    logLevel: 'silent',
  })
  const out = result.outputFiles[0]
  if (!out) throw new Error('bridge: esbuild produced no client bundle')
  return out.text
}
