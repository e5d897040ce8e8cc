import {Args} from '../../../lib/ui/oclif.js'

import {AppLinkCommand} from '../../../lib/cli/base.js'
import {connectionFlow, oauthFlags} from '../../../lib/flows/flow-definitions.js'
import {flowIO} from '../../../lib/flows/flow-io.js'
import {waitTimeoutMs} from '../../../lib/flows/flow-timing.js'
import {runFlow} from '../../../lib/flows/flow.js'
import {loginUrl} from '../../../lib/flows/jwt.js'
import {assertValidName} from '../../../lib/api/names.js'
import {targetOf} from '../../../lib/ui/hints.js'
import {connectionRows, printInfo} from '../../../lib/ui/output.js'
import {type Connection, orgKindLabel, type OrgKind} from '../../../lib/api/types.js'

/** `salesforce:connect`; `datacloud:connect` is this command with `org = 'datacloud'`. */
export default class SalesforceConnect extends AppLinkCommand {
  static args = {
    connection_name: Args.string({description: 'name for the connection: 3-30 letters, digits and single underscores, starting with a letter', required: true}),
  }

  static description = `connect a Salesforce org to an app: log in to the org in a browser (OAuth), then wait until the connection is ready

On a terminal, press a key to open the browser (q quits). Without one, the login URL is printed on stderr and the command polls until the login ends, --wait-timeout passes, or Ctrl-C.`

  static examples = [
    '$ heroku salesforce:connect my_org -a my-app',
    '$ heroku salesforce:connect my_sandbox -a my-app -l https://test.salesforce.com --browser firefox',
    '$ heroku salesforce:connect my_org -a my-app --json --wait-timeout 300 2>/dev/null | jq -r .org.id',
  ]

  static flags = oauthFlags

  static org: OrgKind = 'salesforce'

  async run(): Promise<Connection> {
    const {org} = this.constructor as typeof SalesforceConnect
    const {args, flags} = await this.parse(this.constructor as typeof SalesforceConnect)
    const name = args.connection_name
    assertValidName('connection name', name)
    const login = flags['login-url'] === undefined ? undefined : loginUrl(flags['login-url'])
    const timeoutMs = waitTimeoutMs(flags['wait-timeout'])
    const {client, context} = await this.applink(flags.app, flags.addon)
    const app = context.app.name
    const flow = connectionFlow(client, org, name, login, flags.browser, {...targetOf(context), io: this.io, timeoutMs})
    const connection = await runFlow(flow, await flowIO(this.io))
    return this.render(connection, () => printInfo(this.io, `${orgKindLabel(org)} connection ${name} on app ${app}`, connectionRows(connection)))
  }
}
