import {Flags} from '../../../lib/ui/oclif.js'
import {join} from 'node:path'

import {AppLinkError, ExitCode} from '../../../lib/api/errors.js'
import {interrupts} from '../../../lib/ui/interrupt.js'
import {EmulatorCommand} from '../../../lib/cli/emulator-command.js'

export default class Emulator extends EmulatorCommand {
  static description = `run a local AppLink emulator: the Heroku Platform API calls AppLink needs, the AppLink API, a Salesforce login page and a dashboard, on 127.0.0.1

It runs in the foreground until Ctrl-C or SIGTERM. It prints "export" lines that point the heroku CLI at it, then "listening on URL". With --detach it starts in the background instead, prints only the "export" lines once it is ready, and returns; stop it with --stop. State is kept in --data-dir and survives restarts.`

  static examples = [
    '$ heroku applink:emulator --auto-approve',
    '$ eval "$(heroku applink:emulator --detach --port 0)"   # in a script: start it in the background, export HEROKU_HOST and HEROKU_API_KEY',
    '$ heroku applink:emulator --stop',
    '$ heroku applink:emulator --port 0 --data-dir ./tmp/emu --reset --export-file ./tmp/emu.env',
    '$ heroku applink:emulator --org-data ./org-data.json   # new orgs start with these records',
    '$ heroku applink:emulator --metadata ./my-sfdx-project --metadata ./Invoice__c.describe.json   # your custom objects and fields',
  ]

  static flags = {
    'auto-approve': Flags.boolean({description: 'approve OAuth logins by themselves about a second after they start (for CI and demos)'}),
    'data-dir': Flags.string({description: 'directory of the emulator\'s store [default: applink-emulator in the CLI\'s data directory]'}),
    'invent-fields': Flags.boolean({description: 'let a REST or composite write create the custom objects and fields (Name__c) it names, as older emulators did (seed files always may)'}),
    metadata: Flags.string({description: 'an SFDX project directory, or the JSON `sf sobject describe --sobject X --json` prints, whose custom objects, fields and picklists every emulated org gets (repeatable)', multiple: true}),
    'org-data': Flags.string({description: 'JSON file of records that new emulated orgs start with, in place of the default sample data (format: docs/emulated-org.md)'}),
    detach: Flags.boolean({description: 'start in the background: print the export lines once it listens, then return (log in emulator.log of --data-dir)', exclusive: ['stop']}),
    // not --env-file: node 20 takes that option for itself even after the script's name
    'export-file': Flags.string({description: 'also write the export lines to this file (readable by you only), for `. FILE` in another shell'}),
    stop: Flags.boolean({description: 'stop the emulator running on --data-dir (started with --detach or in another terminal), and wait until it has'}),
    port: Flags.integer({default: 5050, description: 'port on 127.0.0.1; 0 picks a free one', max: 65_535, min: 0}),
    reset: Flags.boolean({description: 'empty the store before starting'}),
    verbose: Flags.boolean({char: 'v', description: 'log every request on stderr'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(Emulator)
    const dataDir = flags['data-dir'] ?? join(this.config.dataDir, 'applink-emulator')
    if (flags.stop) return this.stopRunning(dataDir)
    const cli = await import('../../../emulator/process/cli.js')
    // --detach: stdout holds only shell lines, so `eval "$(heroku applink:emulator --detach)"` works
    if (flags.detach) return this.io.out(await cli.startInBackground(dataDir, flags, this.argv, text => this.io.err(text)).catch(failed))
    // Ctrl-C / SIGTERM: stop synchronously (under the heroku CLI the process exits right after), exit 0
    await cli.runInForeground(dataDir, flags, this.io, stop => interrupts.onInterrupt(() => {
      stop()
      return 0
    })).catch(failed)
  }

  private async stopRunning(dataDir: string): Promise<void> {
    const {stopEmulator} = await import('../../../emulator/process/detach.js')
    const pid = await stopEmulator(dataDir).catch(failed)
    if (pid === undefined) throw new AppLinkError(`No emulator is running on ${dataDir}.`, {hints: ['Start one with: heroku applink:emulator --detach'], id: 'emulator_not_running'})
    this.io.err(`AppLink emulator (pid ${pid}) on ${dataDir}: stopped\n`)
  }
}

/** A failure to start or stop the emulator, as the plugin's error (a bad --org-data file is invalid input). */
function failed(error: Error): never {
  const badSeed = error.name === 'SeedError'
  throw new AppLinkError(error.message, {exitCode: badSeed ? ExitCode.INVALID_INPUT : undefined, id: badSeed ? 'invalid_org_data' : 'emulator_failed'})
}
