import { text } from 'node:stream/consumers'
import { runEnvelopeCli } from '../electron/cli/envelope'

process.exitCode = await runEnvelopeCli(process.argv.slice(2), {
  stdin: () => text(process.stdin),
  stdout: (s) => void process.stdout.write(s),
  stderr: (s) => void process.stderr.write(s),
})
