import {Flags} from '../../../lib/ui/oclif.js'

import {AppLinkError, ExitCode} from '../../../lib/api/errors.js'
import {EmulatorCommand} from '../../../lib/cli/emulator-command.js'

export default class EmulatorWait extends EmulatorCommand {
  static description = `wait until a local AppLink emulator answers

It asks GET /__emulator/health of --url (default: HEROKU_HOST) every 0.2 s. Exit 0 once the emulator answers, 3 when it has not within --timeout seconds, 2 without a URL.`

  static examples = [
    '$ heroku applink:emulator:wait --timeout 60',
    '$ heroku applink:emulator:wait --url http://127.0.0.1:5050',
  ]

  static flags = {
    timeout: Flags.integer({default: 30, description: 'seconds to wait before giving up (exit 3)', min: 0}),
    url: Flags.string({description: 'the emulator\'s URL [default: HEROKU_HOST]'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(EmulatorWait)
    const url = flags.url ?? process.env.HEROKU_HOST
    const start = 'Start one with: heroku applink:emulator --detach, or eval "$(heroku applink:emulator --detach --port 0)" to set HEROKU_HOST too'
    if (!url) throw new AppLinkError('No emulator to wait for: give --url URL or set HEROKU_HOST.', {exitCode: ExitCode.INVALID_INPUT, hints: [start], id: 'invalid_input'})
    if (!/^https?:\/\/[^/\s]+\/?$/i.test(url)) throw new AppLinkError(`${JSON.stringify(url)} is not an emulator URL such as http://127.0.0.1:5050.`, {exitCode: ExitCode.INVALID_INPUT, id: 'invalid_input'})
    const {waitForEmulator} = await import('../../../emulator/process/wait.js')
    const outcome = await waitForEmulator(url, flags.timeout * 1000)
    if (!outcome.ok) throw new AppLinkError(`The AppLink emulator at ${url} did not answer within ${flags.timeout} s (last try: ${outcome.last}).`, {exitCode: ExitCode.TIMEOUT, hints: [start], id: 'timeout'})
    this.io.err(`AppLink emulator at ${url}: ready\n`)
  }
}
