import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * The floor under the login figure: a page that does nothing but add the 工号 field from one
 * module script and focus it, served from 127.0.0.1. Loaded in fresh browsers like the login
 * screen, it is what Chromium itself takes on this machine from navigation to a focused field.
 */

const HTML = `<!doctype html>
<html lang="zh-CN">
  <head>
    <meta charset="UTF-8" />
    <title>floor</title>
    <script type="module" src="./floor.js"></script>
  </head>
  <body></body>
</html>`

const SCRIPT = `const field = document.createElement('input')
field.id = 'login-user'
document.body.append(field)
field.focus()`

export async function startFloorPage(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    const script = req.url === '/floor.js'
    res.writeHead(200, {
      'content-type': script ? 'text/javascript' : 'text/html; charset=utf-8',
      'cache-control': 'no-cache',
    })
    res.end(script ? SCRIPT : HTML)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
