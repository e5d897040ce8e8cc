import {Args} from '@oclif/core'

import {AppLinkCommand} from '../../lib/base.js'
import {connectionFlow, flowIO, oauthFlags, runFlow, waitTimeoutMs} from '../../lib/flow.js'
import {loginUrl} from '../../lib/jwt.js'
import {assertValidName} from '../../lib/names.js'
import {connectionRows, printInfo} from '../../lib/output.js'
import type {Connection} from '../../lib/types.js'

export default class DatacloudConnect extends AppLinkCommand {
  static args = {
    connection_name: Args.string({description: 'name for the connection: 3-30 letters, digits and single underscores, starting with a letter', required: true}),
  }

  static description = `connect a Data Cloud org to an app: log in to the org in a browser (OAuth), then wait until the connection is ready

On a terminal, press a key to open the browser (q quits). Without one, the login URL is printed on stderr and the command polls until the login ends, --wait-timeout passes, or Ctrl-C.`

  static examples = [
    '$ heroku datacloud:connect my_dc_org -a my-app',
    '$ heroku datacloud:connect my_dc_org -a my-app -l https://MyDomain.my.salesforce.com --browser firefox',
    '$ heroku datacloud:connect my_dc_org -a my-app --json 2>/dev/null | jq -r .status',
  ]

  static flags = oauthFlags

  async run(): Promise<Connection> {
    const {args, flags} = await this.parse(DatacloudConnect)
    const name = args.connection_name
    assertValidName('connection name', name)
    const login = flags['login-url'] === undefined ? undefined : loginUrl(flags['login-url'])
    const timeoutMs = waitTimeoutMs(flags['wait-timeout'])
    const {client, context} = await this.applink(flags.app, flags.addon)
    const app = context.app.name
    const flow = connectionFlow(client, 'datacloud', name, login, flags.browser, {addon: flags.addon, app, timeoutMs})
    const connection = await runFlow(flow, await flowIO(this.interactive))
    return this.render(connection, () => printInfo(`Data Cloud connection ${name} on app ${app}`, connectionRows(connection)))
  }
}
