import {Flags} from '../../lib/ui/oclif.js'

import {appFlag, AppLinkCommand} from '../../lib/cli/base.js'
import {ExitCode, invalidInput} from '../../lib/api/errors.js'
import {interrupts} from '../../lib/ui/interrupt.js'
import {splitCommandLine} from '../../lib/mesh/config.js'

export default class Mesh extends AppLinkCommand {
  static baseFlags = {...AppLinkCommand.baseFlags, app: appFlag({required: false})}

  static description = `run your app behind a local AppLink service mesh, as the buildpack runs it on a dyno

The mesh listens on --port (else $PORT, else 8070), starts COMMAND with APP_PORT set (--app-port, else $APP_PORT, else 3000) and forwards each request to it after the production mesh's checks: the x-request-context of a Salesforce request, or the x-signature of a data action request, authenticated with the AppLink API of the app's add-on (the emulator's, or the real one). heroku-applink-service-mesh.yaml in the current folder gives bypass routes and the health check. Its config vars come from the app (-a), or from HEROKU_APPLINK_API_URL and HEROKU_APPLINK_TOKEN when both are set and no app is named. Ctrl-C stops the app's whole process group. See docs/mesh.md.`

  static enableJsonFlag = false

  static examples = [
    '$ heroku applink:mesh -a my-app -- npm start',
    '$ heroku applink:mesh npm start            # the app from the git remote, as the Procfile line reads',
    '$ heroku applink:mesh --port 5000 --app-port 3000 -- uvicorn app:app --port 3000',
    '$ HEROKU_APPLINK_SERVICE_MESH_BYPASS_ALL_ROUTES=true heroku applink:mesh -a my-app -- npm start',
  ]

  static flags = {
    'app-port': Flags.integer({description: 'port the app listens on, given to it as APP_PORT [default: $APP_PORT, else app.port of the YAML file, else 3000]', max: 65_535, min: 0}),
    config: Flags.string({description: 'the mesh\'s YAML file [default: heroku-applink-service-mesh.yaml in the current folder, when there is one]'}),
    port: Flags.integer({char: 'p', description: 'port the mesh listens on, 127.0.0.1 [default: $PORT, else 8070]', max: 65_535, min: 0}),
  }

  static strict = false

  static usage = 'applink:mesh [FLAGS] [--] COMMAND [ARGS...]'

  async run(): Promise<void> {
    const split = splitCommandLine(this.argv)
    const {flags} = await this.parse(Mesh, split.flags)
    if (split.command.length === 0) throw invalidInput('missing_command', 'Give the command that starts your app, after the mesh\'s flags.', ['For example: heroku applink:mesh -a my-app -- npm start'])
    const {meshSettings, startMesh} = await import('../../lib/mesh/run.js')
    const settings = await meshSettings({appPort: flags['app-port'], config: flags.config, port: flags.port}, process.env, process.cwd())
    const {applink, extraEnv, logStore} = await import('../../lib/mesh/endpoint.js').then(m => m.meshEndpoint({
      addon: flags.addon, app: flags.app, config: this.config, env: process.env,
      named: split.flags.some(f => /^(-a|--app|-r|--remote)(=|$)/.test(f)),
      resolve: (app, addon) => this.applink(app, addon).then(r => r.context),
    }))
    const run = await startMesh({applink, command: split.command, cwd: process.cwd(), env: process.env, extraEnv, io: this.io, logStore, settings, version: this.ctor.plugin?.version ?? this.config.pjson.version})
    // Ctrl-C / SIGTERM: to the app's whole group, waited for, then exit 130
    interrupts.onInterrupt(signal => {
      run.stopNow(signal)
      return ExitCode.INTERRUPTED
    })
    process.exitCode = await run.done
  }
}
