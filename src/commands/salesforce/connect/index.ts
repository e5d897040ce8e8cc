import {Args} from '../../../lib/ui/oclif.js'

import {oauthFlags} from '../../../lib/flows/flow-definitions.js'
import {OAuthAddCommand} from '../../../lib/cli/oauth-command.js'
import type {RecordKind} from '../../../lib/flows/records.js'
import type {OrgKind} from '../../../lib/api/types.js'

/** `salesforce:connect`; `datacloud:connect` is this command with `org = 'datacloud'`. */
export default class SalesforceConnect extends OAuthAddCommand {
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

  static kind: RecordKind = 'connection'

  static org: OrgKind = 'salesforce'
}
