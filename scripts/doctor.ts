import { runDoctorCli } from '../electron/cli/doctor'
import { startSandbox } from '../electron/sandbox'

process.exitCode = await runDoctorCli(
  process.argv.slice(2),
  { out: (s) => console.log(s), err: (s) => console.error(s) },
  () => startSandbox(),
)
