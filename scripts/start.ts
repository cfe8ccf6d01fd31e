/**
 * `npm start`: the Electron app through `electron-vite dev` when the Electron binary is
 * installed; otherwise one line saying so, then the same app through the web bridge
 * (`npm run start:web`). The binary is looked up on disk only: requiring the `electron` package
 * would start downloading it.
 */
import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'

const repoRoot = resolve(import.meta.dirname, '..')

const ELECTRON_MISSING_LINE =
  '未找到 Electron 可执行文件（node_modules/electron/dist），改为通过网页桥（web bridge）在浏览器中提供本应用'

/** The path the electron package would launch, if that file exists. */
function findElectronBinary(root = repoRoot): string | undefined {
  const pkg = join(root, 'node_modules', 'electron')
  const pathFile = join(pkg, 'path.txt')
  if (!existsSync(pathFile)) return undefined
  const relativePath = readFileSync(pathFile, 'utf8').trim()
  if (relativePath === '') return undefined
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH
  const binary = override ? join(override, relativePath) : join(pkg, 'dist', relativePath)
  return existsSync(binary) ? binary : undefined
}

const argv = process.argv.slice(2)
if (findElectronBinary()) {
  const cli = join(repoRoot, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js')
  const child = spawn(process.execPath, [cli, 'dev', ...argv], { cwd: repoRoot, stdio: 'inherit' })
  // Ctrl+C reaches the child through the terminal's process group; wait for it to finish.
  process.on('SIGINT', () => {})
  process.on('SIGTERM', () => child.kill('SIGTERM'))
  child.once('exit', (code, signal) => {
    process.exitCode = code ?? (signal ? 1 : 0)
  })
} else {
  process.stdout.write(`${ELECTRON_MISSING_LINE}\n`)
  const { serveWeb } = await import('./start-web')
  await serveWeb(argv)
}
