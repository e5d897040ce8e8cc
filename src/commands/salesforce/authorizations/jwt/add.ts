import {Args, Flags} from '../../../../lib/ui/oclif.js'

import {jwtFlags} from '../../../../lib/flows/jwt.js'
import {JwtAddCommand} from '../../../../lib/cli/jwt-command.js'
import type {RecordKind} from '../../../../lib/flows/records.js'
import type {OrgKind} from '../../../../lib/api/types.js'

/** `salesforce:authorizations:jwt:add`; the Data Cloud twin is this command with `org = 'datacloud'`. */
export default class AuthorizationsJwtAdd extends JwtAddCommand {
  static args = {
    developer_name: Args.string({description: 'developer name for the authorization: 3-30 letters, digits and single underscores, starting with a letter', required: true}),
  }

  static description = 'store a Salesforce user\'s credentials for an app with the JWT bearer flow (no browser; for CI and scripts)'

  static examples = [
    '$ heroku salesforce:authorizations:jwt:add my_auth -a my-app --client-id 3MVG9... --jwt-key-file server.key --username api@example.com',
    '$ heroku salesforce:authorizations:jwt:add my_auth -a my-app --client-id 3MVG9... --jwt-key-file server.key --username api@example.com --alias billing',
  ]

  static flags = {
    ...jwtFlags(),
    alias: Flags.string({description: 'alias the app\'s AppLink SDK fetches the credentials by [default: applink:DEVELOPER_NAME]'}),
  }

  static kind: RecordKind = 'authorization'

  static org: OrgKind = 'salesforce'
}
