import { defineConfig } from 'vitest/config'

/**
 * End-to-end tests: the built renderer in Debian's Chromium through the web bridge. Run after
 * `electron-vite build` (scripts/test-all.ts does); one file at a time, since each starts a
 * browser, the sandbox and the app.
 */
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.e2e.test.ts'],
    environment: 'node',
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
    // expect.poll waits on the app's state; on a busy machine a second (the default) is short
    expect: { poll: { timeout: 15_000 } },
  },
})
