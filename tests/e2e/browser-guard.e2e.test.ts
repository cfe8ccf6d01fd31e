import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, type OffHostGuard, type TestBrowser } from './support/browser'

/**
 * Both ways the test browser keeps requests on the machine: a page on 127.0.0.1 loads and
 * fetches from it; a request to any other host fails and is recorded.
 */

let server: http.Server
let origin = ''

beforeAll(async () => {
  server = http.createServer((req, res) => {
    res.setHeader('content-type', 'text/html; charset=utf-8')
    res.end(req.url === '/data' ? 'local data' : '<!doctype html><title>guard</title><p>本机</p>')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve))
})

const FETCH = (href: string) =>
  `fetch(${JSON.stringify(href)}).then((r) => r.text(), (e) => 'refused: ' + e.name)`

for (const guard of ['route', 'proxy'] as OffHostGuard[]) {
  describe(`the browser's off-host guard: ${guard}`, () => {
    let browser: TestBrowser
    beforeAll(async () => {
      browser = await launchBrowser([], guard)
    })
    afterAll(async () => {
      await browser.close()
    })

    it('loads and fetches from 127.0.0.1; refuses and records any other host', async () => {
      const page = await browser.context.newPage()
      await page.goto(origin)
      expect(await page.textContent('p')).toBe('本机')
      expect(await page.evaluate(FETCH(`${origin}/data`))).toBe('local data')
      // a documentation-only address and a name that never resolves: neither may leave
      for (const away of ['http://192.0.2.1/ping', 'http://example.invalid/ping']) {
        expect(await page.evaluate(FETCH(away))).toMatch(/^refused/)
      }
      expect(browser.offHost).toEqual(['http://192.0.2.1/ping', 'http://example.invalid/ping'])
    })
  })
}
