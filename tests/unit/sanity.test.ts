import { expect, it } from 'vitest'
it('runs on the Node line Electron embeds', () => {
  expect(Number(process.versions.node.split('.')[0])).toBeGreaterThanOrEqual(24)
})
