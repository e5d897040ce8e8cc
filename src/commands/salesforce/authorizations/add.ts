import {Args} from '../../../lib/ui/oclif.js'

import {AppLinkCommand} from '../../../lib/cli/base.js'
import {authorizationFlow, oauthFlags} from '../../../lib/flows/flow-definitions.js'
import {flowIO} from '../../../lib/flows/flow-io.js'
import {waitTimeoutMs} from '../../../lib/flows/flow-timing.js'
import {runFlow} from '../../../lib/flows/flow.js'
import {loginUrl} from '../../../lib/flows/jwt.js'
import {assertValidName} from '../../../lib/api/names.js'
import {targetOf} from '../../../lib/ui/hints.js'
import {authorizationRows, printInfo} from '../../../lib/ui/output.js'
import {type Authorization, orgKindLabel, type OrgKind} from '../../../lib/api/types.js'

/** `salesforce:authorizations:add`; `datacloud:authorizations:add` is this command with `org = 'datacloud'`. */
export default class SalesforceAuthorizationsAdd extends AppLinkCommand {
  static args = {
    developer_name: Args.string({description: 'developer name for the authorization: 3-30 letters, digits and single underscores, starting with a letter', required: true}),
  }

  static description = `store a Salesforce user's credentials for an app: log in as that user in a browser (OAuth), then wait until the authorization is ready

On a terminal, press a key to open the browser (q quits). Without one, the login URL is printed on stderr and the command polls until the login ends, --wait-timeout passes, or Ctrl-C. The login URL sent is https://login.salesforce.com unless -l/--login-url is given.`

  static examples = [
    '$ heroku salesforce:authorizations:add my_auth -a my-app',
    '$ heroku salesforce:authorizations:add my_sandbox_auth -a my-app -l https://test.salesforce.com --browser firefox',
  ]

  static flags = oauthFlags

  static org: OrgKind = 'salesforce'

  async run(): Promise<Authorization> {
    const {org} = this.constructor as typeof SalesforceAuthorizationsAdd
    const {args, flags} = await this.parse(this.constructor as typeof SalesforceAuthorizationsAdd)
    const name = args.developer_name
    assertValidName('developer name', name)
    const login = loginUrl(flags['login-url'])
    const timeoutMs = waitTimeoutMs(flags['wait-timeout'])
    const {client, context} = await this.applink(flags.app, flags.addon)
    const app = context.app.name
    const flow = authorizationFlow(client, org, name, login, flags.browser, {...targetOf(context), io: this.io, timeoutMs})
    const authorization = await runFlow(flow, await flowIO(this.io))
    return this.render(authorization, () => printInfo(this.io, `${orgKindLabel(org)} authorization ${name} on app ${app}`, authorizationRows(authorization)))
  }
}
