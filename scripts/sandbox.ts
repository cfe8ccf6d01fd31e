import { runSandboxCli } from '../electron/cli/sandbox'

const result = await runSandboxCli(process.argv.slice(2))
if (typeof result === 'number') process.exit(result)
const stop = (): void => void result.close().then(() => process.exit(0))
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
