import {Command, Flags} from '@oclif/core'
import {join} from 'node:path'

import {AppLinkError, ExitCode} from '../../lib/api/errors.js'
import {interrupts} from '../../lib/ui/interrupt.js'
import {noteOnStderr} from '../../lib/ui/terminal-text.js'

export default class Emulator extends Command {
  static description = `run a local AppLink emulator: the Heroku Platform API calls AppLink needs, the AppLink API, a Salesforce login page and a dashboard, on 127.0.0.1

It runs in the foreground until Ctrl-C or SIGTERM. It prints "export" lines that point the heroku CLI at it, then "listening on URL". With --detach it starts in the background instead, prints only the "export" lines once it is ready, and returns; stop it with --stop. State is kept in --data-dir and survives restarts.`

  static examples = [
    '$ heroku applink:emulator --auto-approve',
    '$ eval "$(heroku applink:emulator --detach --port 0)"   # in a script: start it in the background, export HEROKU_HOST and HEROKU_API_KEY',
    '$ heroku applink:emulator --stop',
    '$ heroku applink:emulator --port 0 --data-dir ./tmp/emu --reset --export-file ./tmp/emu.env',
    '$ heroku applink:emulator --org-data ./org-data.json   # new orgs start with these records',
  ]

  static flags = {
    'auto-approve': Flags.boolean({description: 'approve OAuth logins by themselves about a second after they start (for CI and demos)'}),
    'data-dir': Flags.string({description: 'directory of the emulator\'s store [default: applink-emulator in the CLI\'s data directory]'}),
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
    if (flags.stop) {
      await this.stopRunning(dataDir)
      return
    }

    if (flags.detach) {
      await this.detach(dataDir, flags)
      return
    }

    const {startEmulator} = await import('../../emulator/server.js')
    const emu = await startEmulator({
      autoApprove: flags['auto-approve'],
      dataDir,
      orgData: flags['org-data'],
      log(line, kind) {
        // lines quote request paths from any client: control characters are shown, not sent
        if (kind === 'error' || flags.verbose) noteOnStderr(`emulator: ${line}`)
      },
      port: flags.port,
      reset: flags.reset,
    }).catch(error => {
      const badSeed = (error as Error).name === 'SeedError'
      throw new AppLinkError((error as Error).message, {exitCode: badSeed ? ExitCode.INVALID_INPUT : undefined, id: badSeed ? 'invalid_org_data' : 'emulator_failed'})
    })

    // Ctrl-C / SIGTERM: stop synchronously (under the heroku CLI the process exits right after) and
    // exit 0; in place before the first line is printed, since whoever reads it may stop us at once
    interrupts.onInterrupt(() => {
      emu.closeNow()
      process.stderr.write('AppLink emulator: stopped\n')
      return 0
    })
    process.stderr.write(`AppLink emulator: store ${emu.store.file}${emu.wasReset ? ' (emptied by --reset)' : ''}\n`)
    if (flags['auto-approve']) process.stderr.write('AppLink emulator: OAuth logins approve themselves after about a second (--auto-approve)\n')
    process.stderr.write(`AppLink emulator: dashboard at ${emu.url}/ ; stop with Ctrl-C\n`)
    const {exportLines, writeExportFile} = await import('../../emulator/detach.js')
    if (flags['export-file']) await writeExportFile(flags['export-file'], emu.url, emu.apiKey)
    process.stdout.write(`${exportLines(emu.url, emu.apiKey)}listening on ${emu.url}\n`)

    await new Promise<void>(() => {})
  }

  private async detach(dataDir: string, flags: {'auto-approve': boolean; 'export-file'?: string; port: number; reset: boolean; verbose: boolean}): Promise<void> {
    const {exportLines, startDetached, writeExportFile} = await import('../../emulator/detach.js')
    const emu = await startDetached({autoApprove: flags['auto-approve'], dataDir, port: flags.port, reset: flags.reset, verbose: flags.verbose}).catch(error => {
      throw new AppLinkError((error as Error).message, {id: 'emulator_failed'})
    })
    if (flags['export-file']) await writeExportFile(flags['export-file'], emu.url, emu.apiKey)
    process.stderr.write(`AppLink emulator: store ${emu.store}${emu.wasReset ? ' (emptied by --reset)' : ''}; log ${emu.logFile}\n`)
    process.stderr.write(`AppLink emulator: listening on ${emu.url} in the background (pid ${emu.pid}); dashboard at ${emu.url}/ ; stop with: heroku applink:emulator --stop${dataDirArg(dataDir, this.argv)}\n`)
    // stdout holds only shell lines, so `eval "$(heroku applink:emulator --detach)"` works
    process.stdout.write(exportLines(emu.url, emu.apiKey))
  }

  private async stopRunning(dataDir: string): Promise<void> {
    const {stopEmulator} = await import('../../emulator/detach.js')
    const pid = await stopEmulator(dataDir).catch(error => {
      throw new AppLinkError((error as Error).message, {id: 'emulator_failed'})
    })
    if (pid === undefined) throw new AppLinkError(`No emulator is running on ${dataDir}.`, {hints: ['Start one with: heroku applink:emulator --detach'], id: 'emulator_not_running'})
    process.stderr.write(`AppLink emulator (pid ${pid}) on ${dataDir}: stopped\n`)
  }

  async catch(err: Error & {code?: string; oclif?: {exit?: number}}): Promise<void> {
    if (err.code === 'EEXIT') throw err
    const parseError = err.oclif?.exit !== undefined
    const exitCode = err instanceof AppLinkError ? err.exitCode : parseError ? ExitCode.INVALID_INPUT : ExitCode.FAILED
    const hints = err instanceof AppLinkError ? err.hints : []
    process.stderr.write([`Error: ${err.message}`, ...hints.map(h => `  › ${h}`)].join('\n') + '\n')
    process.exitCode = exitCode
    // not this.exit(): the heroku CLI's own copy of oclif does not know our ExitError class and
    // would print "EEXIT: 1" after the message (see AppLinkCommand.catch)
    throw Object.assign(new Error(`EEXIT: ${exitCode}`), {code: 'EEXIT', oclif: {exit: exitCode}, skipOclifErrorHandling: true})
  }
}

/** ` --data-dir DIR` when the user gave one, so the stop command printed matches. */
function dataDirArg(dataDir: string, argv: string[]): string {
  return argv.some(a => a === '--data-dir' || a.startsWith('--data-dir=')) ? ` --data-dir ${dataDir}` : ''
}
