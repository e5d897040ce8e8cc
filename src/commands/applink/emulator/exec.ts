import {Flags} from '../../../lib/ui/oclif.js'

import {AppLinkError, ExitCode} from '../../../lib/api/errors.js'
import {EmulatorCommand} from '../../../lib/cli/emulator-command.js'
import {holdSignals} from '../../../lib/ui/interrupt.js'

const USAGE = 'heroku applink:emulator:exec [FLAGS] -- COMMAND [ARGS...]'

export default class EmulatorExec extends EmulatorCommand {
  static description = `run a command against a local AppLink emulator started for it, then stop the emulator

The emulator starts on a free port of 127.0.0.1 with a fresh store in a temporary directory (removed afterwards), or with --data-dir (kept). COMMAND runs with HEROKU_HOST and HEROKU_API_KEY pointing at it; with --app also with the app's config vars (HEROKU_APPLINK_API_URL, HEROKU_APPLINK_TOKEN, …), HEROKU_APP_ID and HEROKU_APP_NAME. The exit code is COMMAND's (128+N when signal N ended it, 127 when it is not found). Ctrl-C and SIGTERM are passed on to COMMAND's process group; once it has ended the emulator stops and the exit code is 130 (143 for SIGTERM). Nothing is left running, also when this process or COMMAND is killed with SIGKILL.`

  static examples = [
    '$ heroku applink:emulator:exec -- npm test',
    '$ heroku applink:emulator:exec -a my-app --create-app --addons heroku-applink -- npm test   # the app\'s config vars in the environment',
    '$ heroku applink:emulator:exec --auto-approve --org-data ./test/org-data.json -- ./scripts/e2e.sh',
    '$ heroku applink:emulator:exec --data-dir ./tmp/emu -- sh -c \'heroku apps:create my-app --no-remote && npm test\'',
  ]

  static flags = {
    addons: Flags.string({dependsOn: ['app'], description: 'comma-separated add-on services to create on --app when it has none of them yet (as apps:create --addons; the emulator has heroku-applink)'}),
    app: Flags.string({char: 'a', description: 'app whose config vars, HEROKU_APP_ID and HEROKU_APP_NAME COMMAND gets (it must exist, or give --create-app)'}),
    'auto-approve': Flags.boolean({description: 'approve OAuth logins by themselves about a second after they start'}),
    'create-app': Flags.boolean({dependsOn: ['app'], description: 'create --app first when the emulator has no such app'}),
    'data-dir': Flags.string({description: 'use (and keep) this data directory [default: a fresh temporary one, removed afterwards]'}),
    'org-data': Flags.string({description: 'JSON file of records that new emulated orgs start with (format: docs/emulated-org.md)'}),
    port: Flags.integer({default: 0, description: 'port on 127.0.0.1; 0 picks a free one', max: 65_535, min: 0}),
    verbose: Flags.boolean({char: 'v', description: 'log the emulator\'s requests and what this command does on stderr'}),
  }

  static strict = false

  static usage = '<%= command.id %> [FLAGS] -- COMMAND [ARGS...]'

  async run(): Promise<void> {
    // everything after the first -- is the command, as given (parse() replaces this.argv)
    const given = [...this.argv]
    const dashDash = given.indexOf('--')
    const {argv, flags} = await this.parse(EmulatorExec, dashDash === -1 ? given : given.slice(0, dashDash))
    if (argv.length > 0) throw new AppLinkError(`Put the command to run after --: ${USAGE} (got ${JSON.stringify(String(argv[0]))} before it).`, {exitCode: ExitCode.INVALID_INPUT, id: 'invalid_input'})
    const command = dashDash === -1 ? [] : given.slice(dashDash + 1)
    if (command.length === 0) throw new AppLinkError(`No command to run: give it after --, e.g. ${USAGE.replace('[FLAGS] -- COMMAND [ARGS...]', '-- npm test')}.`, {exitCode: ExitCode.INVALID_INPUT, id: 'invalid_input'})
    const addons = (flags.addons ?? '').split(',').map(s => s.trim()).filter(Boolean)
    const {ExecError, execWithEmulator} = await import('../../../emulator/process/exec.js')
    const code = await execWithEmulator({
      addons, app: flags.app, autoApprove: flags['auto-approve'], command, createApp: flags['create-app'], dataDir: flags['data-dir'],
      orgData: flags['org-data'], port: flags.port, stdinIsTerminal: this.io.stdinIsTTY, verbose: flags.verbose,
    }, {holdSignals, note: line => this.io.note(line)}).catch(error => {
      if (error instanceof ExecError) throw new AppLinkError(error.message, {exitCode: error.exitCode, hints: error.hints, id: error.id})
      throw error
    })
    if (code !== 0) this.exitWith(code)
  }
}
