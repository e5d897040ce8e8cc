import {Args} from '../../../lib/ui/oclif.js'

import {oauthFlags} from '../../../lib/flows/flow-definitions.js'
import {OAuthAddCommand} from '../../../lib/cli/oauth-command.js'
import type {RecordKind} from '../../../lib/flows/records.js'
import type {OrgKind} from '../../../lib/api/types.js'

/** `salesforce:authorizations:add`; `datacloud:authorizations:add` is this command with `org = 'datacloud'`. */
export default class SalesforceAuthorizationsAdd extends OAuthAddCommand {
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

  static kind: RecordKind = 'authorization'

  static org: OrgKind = 'salesforce'
}
