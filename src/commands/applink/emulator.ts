import {Command, Flags} from '@oclif/core'
import {join} from 'node:path'

import {AppLinkError, ExitCode} from '../../lib/errors.js'
import {noteOnStderr} from '../../lib/terminal-text.js'

export default class Emulator extends Command {
  static description = `run a local AppLink emulator: the Heroku Platform API calls AppLink needs, the AppLink API, a Salesforce login page and a dashboard, on 127.0.0.1

It runs in the foreground until Ctrl-C or SIGTERM. It prints "export" lines that point the heroku CLI at it, then "listening on URL". State is kept in --data-dir and survives restarts.`

  static examples = [
    '$ heroku applink:emulator --auto-approve',
    '$ eval "$(heroku applink:emulator --port 0 | head -2)"   # in another shell, after starting it',
    '$ heroku applink:emulator --port 0 --data-dir ./tmp/emu --reset',
  ]

  static flags = {
    'auto-approve': Flags.boolean({description: 'approve OAuth logins by themselves about a second after they start (for CI and demos)'}),
    'data-dir': Flags.string({description: 'directory of the emulator\'s store [default: applink-emulator in the CLI\'s data directory]'}),
    port: Flags.integer({default: 5050, description: 'port on 127.0.0.1; 0 picks a free one', max: 65_535, min: 0}),
    reset: Flags.boolean({description: 'empty the store before starting'}),
    verbose: Flags.boolean({char: 'v', description: 'log every request on stderr'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(Emulator)
    const dataDir = flags['data-dir'] ?? join(this.config.dataDir, 'applink-emulator')
    const {startEmulator} = await import('../../emulator/server.js')
    const emu = await startEmulator({
      autoApprove: flags['auto-approve'],
      dataDir,
      log(line, kind) {
        // lines quote request paths from any client: control characters are shown, not sent
        if (kind === 'error' || flags.verbose) noteOnStderr(`emulator: ${line}`)
      },
      port: flags.port,
      reset: flags.reset,
    }).catch(error => {
      throw new AppLinkError((error as Error).message, {id: 'emulator_failed'})
    })

    process.stderr.write(`AppLink emulator: store ${emu.store.file}${emu.wasReset ? ' (emptied by --reset)' : ''}\n`)
    if (flags['auto-approve']) process.stderr.write('AppLink emulator: OAuth logins approve themselves after about a second (--auto-approve)\n')
    process.stderr.write(`AppLink emulator: dashboard at ${emu.url}/ ; stop with Ctrl-C\n`)
    process.stdout.write(`export HEROKU_HOST=${emu.url}\nexport HEROKU_API_KEY=${emu.apiKey}\nlistening on ${emu.url}\n`)

    await new Promise<void>(resolve => {
      const stop = () => {
        process.off('SIGINT', stop)
        process.off('SIGTERM', stop)
        emu.close().finally(resolve)
      }

      process.on('SIGINT', stop)
      process.on('SIGTERM', stop)
    })
    process.stderr.write('AppLink emulator: stopped\n')
  }

  async catch(err: Error & {oclif?: {exit?: number}}): Promise<void> {
    if (err.oclif?.exit !== undefined && err.name === 'ExitError') throw err
    const parseError = err.oclif?.exit !== undefined
    const exitCode = err instanceof AppLinkError ? err.exitCode : parseError ? ExitCode.INVALID_INPUT : ExitCode.FAILED
    process.stderr.write(`Error: ${err.message}\n`)
    process.exitCode = exitCode
    this.exit(exitCode)
  }
}
