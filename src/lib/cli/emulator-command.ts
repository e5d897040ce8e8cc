/**
 * The base of the `applink:emulator` commands: none of AppLinkCommand's flags (no app, no add-on,
 * no --json), the command's IO, and the same error rendering: `Error: message` with its hints on
 * stderr, and the exit code of the error (2 for a bad flag). `exit(code)` ends the command with a
 * given code (a command's own, passed through by `applink:emulator:exec`).
 */
import {AppLinkError, ExitCode} from '../api/errors.js'
import {Command} from '../ui/oclif.js'
import {createIO} from '../ui/io.js'

export abstract class EmulatorCommand extends Command {
  /** The command's streams, made once (as AppLinkCommand does). */
  protected readonly io = createIO()

  /** Ends the command with `code`, printing nothing more. */
  protected exitWith(code: number): never {
    process.exitCode = code
    // not this.exit(): the heroku CLI's own copy of oclif does not know our ExitError class and
    // would print "EEXIT: 1" after the message (see AppLinkCommand.catch)
    throw Object.assign(new Error(`EEXIT: ${code}`), {code: 'EEXIT', oclif: {exit: code}, skipOclifErrorHandling: true})
  }

  async catch(err: Error & {code?: string; oclif?: {exit?: number}}): Promise<void> {
    if (err.code === 'EEXIT') throw err
    const parseError = err.oclif?.exit !== undefined
    const exitCode = err instanceof AppLinkError ? err.exitCode : parseError ? ExitCode.INVALID_INPUT : ExitCode.FAILED
    const hints = err instanceof AppLinkError ? err.hints : []
    this.io.err([`Error: ${err.message}`, ...hints.map(h => `  › ${h}`)].join('\n') + '\n')
    this.exitWith(exitCode)
  }
}
